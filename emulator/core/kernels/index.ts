/**
 * Compiled kernels for the hot loop, in WebAssembly (SIMD), built from the WAT sources beside this
 * file by `npm run build` (tools/build-wasm.ts); nothing binary is committed. The TypeScript
 * implementations stay the reference: test/core/kernel.test.ts checks that both agree bit for bit.
 *
 * A kernel works on arrays inside one WebAssembly.Memory (a KernelArena); a core that uses a kernel
 * allocates its hot arrays there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LifKernel {
  readonly arena: KernelArena;
  /**
   * Update compartments [start, end) of arrays given as element offsets... see lif.wat: returns
   * [spikes written so far, active compartments].
   */
  update(start: number, end: number, a: CoreKernelArrays, spikeBase: number): [number, number];
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

let lifModule: WebAssembly.Module | null | undefined;

/** The compiled LIF module, or null when it was not built (the TypeScript path is used then). */
export function lifModuleOrNull(): WebAssembly.Module | null {
  if (lifModule !== undefined) return lifModule;
  const file = kernelBinaryPath('lif');
  try {
    lifModule = new WebAssembly.Module(fs.readFileSync(file));
  } catch {
    lifModule = null;
  }
  return lifModule;
}

/** A bump allocator over one WebAssembly.Memory, sized once (views stay valid: it never grows). */
export class KernelArena {
  readonly memory: WebAssembly.Memory;
  private next = 0;
  constructor(readonly bytes: number) {
    const pages = Math.max(1, Math.ceil(bytes / 65536));
    if (pages > 65536) throw new RangeError(`kernel arena of ${bytes} bytes is beyond the 4 GiB of 32-bit WebAssembly memory`);
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  }
  /** An Int32Array of n elements, 16-byte aligned. */
  int32(n: number): Int32Array {
    const at = this.next;
    this.next = at + Math.ceil((n * 4) / 16) * 16;
    if (this.next > this.memory.buffer.byteLength) throw new RangeError('kernel arena exhausted (sizing bug)');
    return new Int32Array(this.memory.buffer, at, n);
  }
  /** Bytes an arena needs for `int32(n)` calls of these sizes. */
  static bytesFor(counts: number[]): number {
    let b = 0;
    for (const n of counts) b += Math.ceil((n * 4) / 16) * 16;
    return b;
  }
}

/** Instantiate the LIF kernel over an arena; null when the kernel was not built. */
export function createLifKernel(arena: KernelArena): LifKernel | null {
  const mod = lifModuleOrNull();
  if (!mod) return null;
  const inst = new WebAssembly.Instance(mod, { env: { memory: arena.memory } });
  const fn = inst.exports.lif_update as (...args: number[]) => [number, number];
  return {
    arena,
    update(start, end, c, spikeBase) {
      return fn(
        start,
        end,
        c.u.byteOffset,
        c.v.byteOffset,
        c.input.byteOffset,
        c.decayU.byteOffset,
        c.decayV.byteOffset,
        c.bias.byteOffset,
        c.vthScaled.byteOffset,
        c.refractoryCount.byteOffset,
        c.refractory.byteOffset,
        c.spikeBuf.byteOffset,
        spikeBase,
      );
    },
  };
}
