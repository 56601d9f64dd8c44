/**
 * Build the WebAssembly kernels from their WAT sources (emulator/core/kernels/*.wat) with wabt, an
 * npm package. Writes each .wasm next to its source (for tsx/vitest runs) and next to the compiled
 * module in dist/ (for the CLI and benchmarks). Run by `npm run build` and by the test setup.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

/**
 * Uniform-parameter variants derived from a kernel at build time (one WAT source, no copy to keep in
 * step): `from` is copied as `to`, each per-lane load of the named parameter arrays,
 * `(v128.load (i32.add (local.get $X) (local.get $o)))`, becoming a vector of that array's element
 * at `$start` splatted once before the loops. Valid when those parameters are equal over the range.
 * `drop` also removes every `(local.set $NAME …)` statement of the vector loops (`count` of them):
 * lif_update_uniform_active leaves out the count of active compartments, for ranges whose uniform
 * bias is non-zero (every compartment is active; the caller knows the count).
 */
interface UniformVariant {
  from: string;
  to: string;
  arrays: string[];
  loads: number;
  drop?: { local: string; count: number };
}
const LIF_PARAMETERS = ['ru', 'rv', 'bias', 'vth', 'refr'];
const UNIFORM_VARIANTS: Record<string, UniformVariant[]> = {
  'lif.wat': [
    { from: 'lif_update', to: 'lif_update_uniform', arrays: LIF_PARAMETERS, loads: 15 },
    { from: 'lif_update', to: 'lif_update_uniform_active', arrays: LIF_PARAMETERS, loads: 15, drop: { local: 'acc', count: 3 } },
  ],
};

/** The text of the S-expression that starts at `at` (WAT `;;` comments skipped). */
function sexpr(wat: string, at: number): string {
  let depth = 0;
  for (let i = at; i < wat.length; i++) {
    if (wat.startsWith(';;', i)) {
      i = wat.indexOf('\n', i);
      if (i < 0) break;
      continue;
    }
    if (wat[i] === '(') depth++;
    else if (wat[i] === ')' && --depth === 0) return wat.slice(at, i + 1);
  }
  throw new Error('unbalanced parentheses');
}

/** `wat` with the uniform-parameter variants of `file` appended to its module (see UNIFORM_VARIANTS). */
export function deriveUniformVariants(file: string, wat: string): string {
  let out = wat;
  for (const v of UNIFORM_VARIANTS[file] ?? []) {
    const at = out.indexOf(`(func (export "${v.from}")`);
    if (at < 0) throw new Error(`${file}: no function ${v.from} to derive ${v.to} from`);
    let fn = sexpr(out, at).replace(`(export "${v.from}")`, `(export "${v.to}")`);
    let loads = 0;
    const splats: string[] = [];
    for (const a of v.arrays) {
      const load = `(v128.load (i32.add (local.get $${a}) (local.get $o)))`;
      loads += fn.split(load).length - 1;
      fn = fn.split(load).join(`(local.get $${a}_x4)`);
      splats.push(`(local.set $${a}_x4 (i32x4.splat (i32.load (i32.add (local.get $${a}) (i32.shl (local.get $start) (i32.const 2))))))`);
    }
    if (loads !== v.loads) throw new Error(`${file}: deriving ${v.to} replaced ${loads} parameter loads, expected ${v.loads}`);
    if (v.drop) {
      const statement = new RegExp(`\\(local\\.set \\$${v.drop.local}\\s`);
      let dropped = 0;
      for (let at = fn.search(statement); at >= 0; at = fn.search(statement)) {
        fn = fn.slice(0, at) + fn.slice(at + sexpr(fn, at).length);
        dropped++;
      }
      if (dropped !== v.drop.count) throw new Error(`${file}: deriving ${v.to} dropped ${dropped} statements setting $${v.drop.local}, expected ${v.drop.count}`);
    }
    // the splat locals, and their values computed once the array addresses are known (before $i is set)
    const setI = '(local.set $i (local.get $start))';
    if (!fn.includes(setI)) throw new Error(`${file}: ${v.from} has no ${setI}`);
    fn = fn.replace(setI, `${splats.join(' ')}\n    ${setI}`);
    const firstLocal = fn.indexOf('(local ');
    fn = fn.slice(0, firstLocal) + v.arrays.map((a) => `(local $${a}_x4 v128)`).join(' ') + '\n    ' + fn.slice(firstLocal);
    const end = out.lastIndexOf(')');
    const dropNote = v.drop ? `; no $${v.drop.local}` : '';
    out = `${out.slice(0, end)}\n  ;; derived by tools/build-wasm.ts from ${v.from}: parameters ${v.arrays.join(', ')} uniform${dropNote}\n  ${fn}\n${out.slice(end)}`;
  }
  return out;
}

/** Folders (from the package root) whose WAT kernels are built: the cores' and the NoC's. */
export const KERNEL_DIRS = ['emulator/core/kernels', 'emulator/noc/kernels'];

export async function buildWasm(root: string): Promise<string[]> {
  const wabt = await wabtInit();
  const written: string[] = [];
  for (const dir of KERNEL_DIRS) {
    const srcDir = path.join(root, ...dir.split('/'));
    if (fs.existsSync(srcDir)) written.push(...buildDir(wabt, root, dir, srcDir));
  }
  return written;
}

function buildDir(wabt: Awaited<ReturnType<typeof wabtInit>>, root: string, dir: string, srcDir: string): string[] {
  const outDirs = [srcDir, path.join(root, 'dist', ...dir.split('/'))];
  const written: string[] = [];
  for (const f of fs.readdirSync(srcDir).filter((x) => x.endsWith('.wat'))) {
    const mod = wabt.parseWat(f, deriveUniformVariants(f, fs.readFileSync(path.join(srcDir, f), 'utf8')), { simd: true, multi_value: true });
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
