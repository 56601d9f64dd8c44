/** Every CLI command, in the order `aerie --help` lists them. */
import type { CommandModule } from 'yargs';
import { command as run } from './run.js';
import { command as map } from './map.js';
import { command as info } from './info.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [run, map, info];
