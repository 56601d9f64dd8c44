/**
 * Build the WebAssembly kernels from their WAT sources (emulator/core/kernels/*.wat) with wabt, an
 * npm package. Writes each .wasm next to its source (for tsx/vitest runs) and next to the compiled
 * module in dist/ (for the CLI and benchmarks). Run by `npm run build` and by the test setup.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

export async function buildWasm(root: string): Promise<string[]> {
  const wabt = await wabtInit();
  const srcDir = path.join(root, 'emulator', 'core', 'kernels');
  const outDirs = [srcDir, path.join(root, 'dist', 'emulator', 'core', 'kernels')];
  const written: string[] = [];
  for (const f of fs.readdirSync(srcDir).filter((x) => x.endsWith('.wat'))) {
    const mod = wabt.parseWat(f, fs.readFileSync(path.join(srcDir, f), 'utf8'), { simd: true, multi_value: true });
    mod.validate();
    const bin = mod.toBinary({}).buffer;
    mod.destroy();
    for (const d of outDirs) {
      if (d.includes(`${path.sep}dist${path.sep}`) && !fs.existsSync(path.join(root, 'dist'))) continue;
      fs.mkdirSync(d, { recursive: true });
      const out = path.join(d, f.replace(/\.wat$/, '.wasm'));
      fs.writeFileSync(out, bin);
      written.push(out);
    }
  }
  return written;
}

const self = fileURLToPath(import.meta.url);
if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  // tools/build-wasm.ts (tsx) or dist/tools/build-wasm.js: the package root is one or two levels up
  let root = path.resolve(path.dirname(self), '..');
  if (path.basename(root) === 'dist') root = path.dirname(root);
  buildWasm(root).then(
    (w) => process.stdout.write(`built ${w.length} WebAssembly file(s)\n`),
    (e) => {
      process.stderr.write(`build-wasm failed: ${(e as Error).message}\n`);
      process.exit(1);
    },
  );
}
