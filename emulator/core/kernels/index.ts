/**
 * Compiled kernels for the hot loop, in WebAssembly (SIMD), built from the WAT sources beside this
 * file by `npm run build` (tools/build-wasm.ts); nothing binary is committed. The TypeScript
 * implementations stay the reference: test/core/kernel.test.ts checks that both agree bit for bit.
 *
 * A kernel works on arrays inside one WebAssembly.Memory (a KernelArena); a core that uses a kernel
 * allocates its hot arrays there. Kernels: lif.wat (the LIF compartment update, bound here) and
 * deliver.wat (the receive phase, bound by emulator/system/receive-kernel.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LifKernel {
  readonly arena: KernelArena;
  /**
   * Update compartments [start, end) of the arrays `a` (views inside the arena): returns
   * [spikes written so far, active compartments]. For tests and one-off calls (it writes a scratch
   * descriptor and allocates the pair); the step loop uses bind().
   */
  update(start: number, end: number, a: CoreKernelArrays, spikeBase: number, variant?: LifVariant): [number, number];
  /** Bind one core's arrays once (a descriptor in the arena): the allocation-free form of update(). */
  bind(a: CoreKernelArrays): LifBinding;
  /** The kernel's exports by LifVariant (another kernel module imports them: kernels/fire.ts fire_step). */
  readonly functions: readonly LifUpdate[];
}

/**
 * A core's arrays bound to the kernel. `run` updates compartments [start, end), appends spiking
 * indices from `spikeBase` on and returns the new spike count; `active` then holds the number of
 * active compartments of that call. `setInput` points the kernel's input at another array of the
 * arena (the core's accumulator slot for this step) and, with `clear`, makes it zero every input
 * word it reads (the slot is consumed: no separate gather copy and clear).
 * `variant` picks the kernel (see LifVariant and lifVariant()).
 */
export interface LifBinding {
  run(start: number, end: number, spikeBase: number, variant: LifVariant): number;
  readonly active: number;
  setInput(byteOffset: number, clear: boolean): void;
  /** Byte offset of the binding's descriptor in the arena. */
  readonly descriptor: number;
}

/** The arrays of one core inside the arena (Int32Array views; element offsets = byteOffset / 4). */
export interface CoreKernelArrays {
  u: Int32Array;
  v: Int32Array;
  input: Int32Array;
  decayU: Int32Array;
  decayV: Int32Array;
  bias: Int32Array;
  vthScaled: Int32Array;
  refractoryCount: Int32Array;
  refractory: Int32Array;
  spikeBuf: Int32Array;
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Where the built .wasm of a kernel lives (next to the compiled module, or next to the source). */
export function kernelBinaryPath(name: string): string {
  return path.join(HERE, `${name}.wasm`);
}

const compiledModules = new Map<string, WebAssembly.Module | null>();

/**
 * The compiled module of the built kernel file `file` (a .wasm path, see kernelBinaryPath), once per
 * process; null when it was not built (the caller runs its TypeScript implementation then).
 */
export function compiledKernel(file: string): WebAssembly.Module | null {
  let mod = compiledModules.get(file);
  if (mod !== undefined) return mod;
  try {
    mod = new WebAssembly.Module(fs.readFileSync(file));
  } catch {
    mod = null;
  }
  compiledModules.set(file, mod);
  return mod;
}

/** The compiled LIF module, or null when it was not built (the TypeScript path is used then). */
export function lifModuleOrNull(): WebAssembly.Module | null {
  return compiledKernel(kernelBinaryPath('lif'));
}

/** The compiled receive-phase module (deliver.wat), or null when it was not built. */
export function deliverModuleOrNull(): WebAssembly.Module | null {
  return compiledKernel(kernelBinaryPath('deliver'));
}

/** Bytes at the start of every arena kept for the kernel's scratch descriptor (see update()). */
const ARENA_RESERVED = 64;

/** Bytes an arena allocation of `bytes` takes (every allocation starts 16-byte aligned). */
export function arenaBytes(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/**
 * A bump allocator over one WebAssembly.Memory, sized once (views stay valid: it never grows).
 * Every allocation is 16-byte aligned, whatever its element type.
 */
export class KernelArena {
  readonly memory: WebAssembly.Memory;
  private next = ARENA_RESERVED;
  /** `bytes`: what the allocations need (bytesFor, arenaBytes); the arena adds its own reserved scratch. */
  constructor(readonly bytes: number) {
    const pages = Math.max(1, Math.ceil((bytes + ARENA_RESERVED) / 65536));
    if (pages > 65536) throw new RangeError(`kernel arena of ${bytes} bytes is beyond the 4 GiB of 32-bit WebAssembly memory`);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  }
  /** Byte offset of a new 16-byte aligned block of `bytes`. */
  private take(bytes: number): number {
    const at = this.next;
    this.next = at + arenaBytes(bytes);
    if (this.next > this.memory.buffer.byteLength) throw new RangeError('kernel arena exhausted (sizing bug)');
    return at;
  }
  /** An Int32Array of n elements, 16-byte aligned. */
  int32(n: number): Int32Array {
    return new Int32Array(this.memory.buffer, this.take(n * 4), n);
  }
  uint32(n: number): Uint32Array {
    return new Uint32Array(this.memory.buffer, this.take(n * 4), n);
  }
  int16(n: number): Int16Array {
    return new Int16Array(this.memory.buffer, this.take(n * 2), n);
  }
  uint16(n: number): Uint16Array {
    return new Uint16Array(this.memory.buffer, this.take(n * 2), n);
  }
  uint8(n: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, this.take(n), n);
  }
  float64(n: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.take(n * 8), n);
  }
  /** The reserved scratch words at the start of the arena (kernel descriptor of one-off calls). */
  scratch(): Int32Array {
    return new Int32Array(this.memory.buffer, 0, ARENA_RESERVED / 4);
  }
  /** Bytes an arena needs for `int32(n)` calls of these sizes. */
  static bytesFor(counts: number[]): number {
    let b = 0;
    for (const n of counts) b += arenaBytes(n * 4);
    return b;
  }
}

/** Words of a kernel descriptor (lif.wat): 10 array addresses, the active count, the clear flag. */
export const LIF_DESCRIPTOR_WORDS = 12;
const D_A = 2;
const D_ACTIVE = 10;
const D_CLEAR = 11;

function writeDescriptor(d: Int32Array, c: CoreKernelArrays): void {
  d[0] = c.u.byteOffset;
  d[1] = c.v.byteOffset;
  d[D_A] = c.input.byteOffset;
  d[3] = c.decayU.byteOffset;
  d[4] = c.decayV.byteOffset;
  d[5] = c.bias.byteOffset;
  d[6] = c.vthScaled.byteOffset;
  d[7] = c.refractoryCount.byteOffset;
  d[8] = c.refractory.byteOffset;
  d[9] = c.spikeBuf.byteOffset;
  d[D_ACTIVE] = 0;
  d[D_CLEAR] = 0;
}

export type LifUpdate = (desc: number, start: number, end: number, spikeBase: number) => number;

/**
 * Which form of the LIF kernel updates a range of compartments (all bit-identical):
 * - LIF_GENERAL: every parameter loaded per compartment;
 * - LIF_UNIFORM: the range shares its parameters (decays, bias, threshold, refractory period): they
 *   are broadcast from its first compartment instead of loaded per lane (~1/3 faster here);
 * - LIF_UNIFORM_ACTIVE: as LIF_UNIFORM, with a non-zero bias, so every compartment is active: the
 *   kernel skips counting active compartments (~14 % faster again) and `active` is not written —
 *   the caller takes the range's size.
 */
export type LifVariant = 0 | 1 | 2;
export const LIF_GENERAL = 0;
export const LIF_UNIFORM = 1;
export const LIF_UNIFORM_ACTIVE = 2;

/** True when compartments [start, end) of `a` share every parameter the uniform kernel broadcasts. */
export function uniformParameters(a: CoreKernelArrays, start: number, end: number): boolean {
  for (const p of [a.decayU, a.decayV, a.bias, a.vthScaled, a.refractory]) {
    for (let i = start + 1; i < end; i++) if (p[i] !== p[start]) return false;
  }
  return end > start;
}

/** The fastest kernel variant valid for compartments [start, end) of `a` (parameters fixed after setup). */
export function lifVariant(a: CoreKernelArrays, start: number, end: number): LifVariant {
  if (!uniformParameters(a, start, end)) return LIF_GENERAL;
  return a.bias[start] !== 0 ? LIF_UNIFORM_ACTIVE : LIF_UNIFORM;
}

/** The kernel's exports by LifVariant; a variant other than LIF_GENERAL needs a non-empty range. */
function pick(fns: readonly LifUpdate[], variant: LifVariant, start: number, end: number): LifUpdate {
  return end > start ? fns[variant] : fns[LIF_GENERAL];
}

class Binding implements LifBinding {
  constructor(
    private readonly fns: readonly LifUpdate[],
    private readonly desc: Int32Array,
  ) {}
  run(start: number, end: number, spikeBase: number, variant: LifVariant): number {
    return pick(this.fns, variant, start, end)(this.desc.byteOffset, start, end, spikeBase);
  }
  get active(): number {
    return this.desc[D_ACTIVE];
  }
  get descriptor(): number {
    return this.desc.byteOffset;
  }
  setInput(byteOffset: number, clear: boolean): void {
    this.desc[D_A] = byteOffset;
    this.desc[D_CLEAR] = clear ? 1 : 0;
  }
}

/** Instantiate the LIF kernel over an arena; null when the kernel was not built. */
export function createLifKernel(arena: KernelArena): LifKernel | null {
  const mod = lifModuleOrNull();
  if (!mod) return null;
  const inst = new WebAssembly.Instance(mod, { env: { memory: arena.memory } });
  // indexed by LifVariant
  const fns = [inst.exports.lif_update, inst.exports.lif_update_uniform, inst.exports.lif_update_uniform_active] as LifUpdate[];
  const scratch = arena.scratch();
  return {
    arena,
    functions: fns,
    update(start, end, c, spikeBase, variant = LIF_GENERAL) {
      writeDescriptor(scratch, c);
      const ns = pick(fns, variant, start, end)(scratch.byteOffset, start, end, spikeBase);
      return [ns, variant === LIF_UNIFORM_ACTIVE && end > start ? end - start : scratch[D_ACTIVE]];
    },
    bind(c) {
      const desc = arena.int32(LIF_DESCRIPTOR_WORDS);
      writeDescriptor(desc, c);
      return new Binding(fns, desc);
    },
  };
}
