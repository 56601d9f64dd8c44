/** Build the WebAssembly kernels before the suite (they are build products, never committed). */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm } from '../tools/build-wasm.js';

export default async function setup(): Promise<void> {
  await buildWasm(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
}
