/** Every CLI command, in the order `aerie --help` lists them. */
import type { CommandModule } from 'yargs';
import { command as run } from './run.js';
import { command as map } from './map.js';
import { command as info } from './info.js';
import { command as model } from './model.js';
import { command as importCmd } from './import.js';
import { command as noc } from './noc.js';
import { command as sweep } from './sweep.js';
import { command as worker } from './worker.js';
import { command as shard } from './shard.js';
import { command as replay } from './replay.js';
import { command as report } from './report.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [run, map, model, info, importCmd, replay, report, noc, sweep, worker, shard];
