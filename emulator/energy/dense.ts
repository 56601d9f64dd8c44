/**
 * Dense baselines: what the same work costs on conventional hardware. Two, never one:
 *
 * (a) `same-network`: the emulated network stepped densely — every weight × every input, every
 *     step (MACs per step = Σ over projections of pre × post), every compartment updated, all
 *     weights read every step at their bit width and all state read and written;
 * (b) `task`: the task-equivalent dense computation a firmware model declares (MACs and bytes).
 *
 * Each is priced with several labelled device models. Latency always comes from one roofline,
 *   t_pass = max(ops / (peak × utilisation), onChipBytes / onChipBW, offChipBytes / offChipBW) + overhead,
 * so energy-delay products compare like with like. Bytes up to the device's on-chip capacity
 * per pass are on-chip traffic; the excess is off-chip traffic (re-read every pass).
 * Energy is device-specific: composed per op and per byte (Horowitz), a per-op figure that
 * includes memory (KerasSpiking), or power × latency (datasheet accelerator).
 */
import { Checker } from '../spec/validate.js';

export type Precision = 'int8' | 'int32' | 'fp16' | 'fp32';
export const PRECISIONS: readonly Precision[] = ['int8', 'int32', 'fp16', 'fp32'];

/** (a) The same network stepped densely; supplied by the caller that knows the network. */
export interface DenseNetworkSpec {
  /** Σ over projections of pre × post. */
  denseWeights: number;
  compartments: number;
  steps: number;
  /** Stored weight width, bits (1–32). */
  weightBits: number;
}

/** (b) The task-equivalent dense computation a firmware model declares (totals for the run). */
export interface DenseTaskSpec {
  name: string;
  macs: number;
  bytes: number;
  description: string;
  /** Arithmetic precision of the dense computation; default fp32. */
  precision?: Precision;
  /** Sequential passes (kernel launches) the work is split into; default 1. */
  passes?: number;
}

/** Bytes of state per compartment read and written per dense step: u and v as int32, read + write. */
export const DENSE_STATE_BYTES_PER_COMPARTMENT = 16;

/** A dense workload in device-independent terms (totals over all passes). */
export interface DenseWorkload {
  kind: 'same-network' | 'task';
  name: string;
  description: string;
  macs: number;
  /** Neuron (compartment) updates; priced by devices as one MAC slot each unless they say otherwise. */
  neuronUpdates: number;
  bytes: number;
  passes: number;
  precision: Precision;
  /** How the workload was derived, printed in the report. */
  derivation: string[];
}

function precisionForBits(bits: number): Precision {
  return bits <= 8 ? 'int8' : 'int32';
}

/** Build workload (a) from the network's dense shape. Throws InputError on bad numbers. */
export function sameNetworkWorkload(spec: DenseNetworkSpec): DenseWorkload {
  const c = new Checker('<dense baseline>');
  c.integer(spec.denseWeights, ['denseWeights'], 0, Number.MAX_SAFE_INTEGER);
  c.integer(spec.compartments, ['compartments'], 0, Number.MAX_SAFE_INTEGER);
  c.integer(spec.steps, ['steps'], 1, Number.MAX_SAFE_INTEGER);
  c.integer(spec.weightBits, ['weightBits'], 1, 32);
  c.throwIfAny();
  const weightBytes = Math.ceil((spec.denseWeights * spec.weightBits) / 8);
  const stateBytes = spec.compartments * DENSE_STATE_BYTES_PER_COMPARTMENT;
  const precision = precisionForBits(spec.weightBits);
  return {
    kind: 'same-network',
    name: 'same network, stepped densely',
    description: 'every weight × every input and every compartment updated, every step',
    macs: spec.denseWeights * spec.steps,
    neuronUpdates: spec.compartments * spec.steps,
    bytes: (weightBytes + stateBytes) * spec.steps,
    passes: spec.steps,
    precision,
    derivation: [
      `MACs = ${spec.denseWeights} dense weights (Σ pre × post) × ${spec.steps} steps`,
      `neuron updates = ${spec.compartments} compartments × ${spec.steps} steps`,
      `bytes per step = ${spec.denseWeights} weights × ${spec.weightBits} bit / 8 = ${weightBytes} B + state ${spec.compartments} × ${DENSE_STATE_BYTES_PER_COMPARTMENT} B (u, v int32 read + write) = ${weightBytes + stateBytes} B`,
      `precision ${precision} (${spec.weightBits}-bit weights${precision === 'int32' ? '; assumption: 9–32-bit weights priced as 32-bit integer arithmetic' : ''})`,
      'one pass (kernel launch) per step: steps are sequential (assumption: batch 1, the network runs in real time)',
    ],
  };
}

/** Build workload (b) from a firmware model's declaration. Throws InputError on bad fields. */
export function taskWorkload(spec: DenseTaskSpec): DenseWorkload {
  const c = new Checker('<dense task baseline>');
  c.string(spec.name, ['name']);
  c.string(spec.description, ['description']);
  c.number(spec.macs, ['macs'], 0, Number.MAX_SAFE_INTEGER);
  c.number(spec.bytes, ['bytes'], 0, Number.MAX_SAFE_INTEGER);
  if (spec.precision !== undefined) c.oneOf(spec.precision, ['precision'], PRECISIONS);
  if (spec.passes !== undefined) c.integer(spec.passes, ['passes'], 1, Number.MAX_SAFE_INTEGER);
  c.throwIfAny();
  const precision = spec.precision ?? 'fp32';
  const passes = spec.passes ?? 1;
  return {
    kind: 'task',
    name: spec.name,
    description: spec.description,
    macs: spec.macs,
    neuronUpdates: 0,
    bytes: spec.bytes,
    passes,
    precision,
    derivation: [
      `declared by the firmware model: ${spec.macs} MACs, ${spec.bytes} bytes moved, ${passes} pass(es), ${precision}${spec.precision === undefined ? ' (default)' : ''}`,
    ],
  };
}

/** A labelled number: every device parameter says where it comes from. */
export interface Sourced {
  value: number;
  unit: string;
  source: string;
}

export interface DeviceModelBase {
  id: string;
  label: string;
  /** Short label for chart axes. */
  short: string;
  /** Figures from an old table kept for comparison with the literature. */
  legacy: boolean;
  /** Peak MAC/s per precision class. */
  peakMacs: Record<Precision, Sourced>;
  /** Fraction of peak compute reached. */
  utilisation: Sourced;
  /** Batch size assumed (printed next to the figures). */
  batch: Sourced;
  onChipBytes: Sourced;
  /** Bytes/s. */
  onChipBandwidth: Sourced;
  offChipBandwidth: Sourced;
  /** Fixed time per pass (kernel launch, synchronisation), seconds. */
  overheadPerPass: Sourced;
  notes: string[];
}

export interface ComposedDevice extends DeviceModelBase {
  energy: 'composed';
  /** J per MAC by precision. */
  macEnergy: Record<Precision, Sourced>;
  neuronUpdateEnergy: Sourced;
  onChipByteEnergy: Sourced;
  offChipByteEnergy: Sourced;
}

export interface PerOpDevice extends DeviceModelBase {
  energy: 'per-op';
  /** J per MAC, memory traffic included. */
  opEnergy: Sourced;
  neuronUpdateEnergy: Sourced;
}

export interface PowerDevice extends DeviceModelBase {
  energy: 'power';
  /** W drawn while busy. */
  power: Sourced;
}

export type DeviceModel = ComposedDevice | PerOpDevice | PowerDevice;

const HZ = 'Horowitz, ISSCC 2014, 45 nm';
const KS = 'KerasSpiking ModelEnergy device table (nengo)';
const A = (value: number, unit: string, why: string): Sourced => ({ value, unit, source: `assumption: ${why}` });
const S = (value: number, unit: string, source: string): Sourced => ({ value, unit, source });

const ALL = (s: Sourced): Record<Precision, Sourced> => ({ int8: s, int32: s, fp16: s, fp32: s });

export const HOROWITZ_DEVICE: ComposedDevice = {
  id: 'horowitz-45nm',
  label: 'Horowitz 45 nm digital accelerator',
  short: 'Horowitz 45 nm',
  legacy: false,
  energy: 'composed',
  macEnergy: {
    int8: S(0.3e-12, 'J/MAC', `${HZ}: 8b mult 0.2 pJ + 32b accumulate add 0.1 pJ`),
    int32: S(3.2e-12, 'J/MAC', `${HZ}: 32b mult 3.1 pJ + 32b add 0.1 pJ`),
    fp16: S(1.5e-12, 'J/MAC', `${HZ}: fp16 mult 1.1 pJ + fp16 add 0.4 pJ`),
    fp32: S(4.6e-12, 'J/MAC', `${HZ}: fp32 mult 3.7 pJ + fp32 add 0.9 pJ`),
  },
  neuronUpdateEnergy: S(6.5e-12, 'J/update', `${HZ}: 2 decay 32b mults (2 × 3.1 pJ) + 3 32b adds (0.3 pJ); state traffic priced as bytes`),
  onChipByteEnergy: S(1.25e-12, 'J/B', `${HZ}: 32b read from 8 KB SRAM 5 pJ / 4 B (optimistic for larger arrays)`),
  offChipByteEnergy: S(160e-12, 'J/B', `${HZ}: 32b DRAM read 640 pJ / 4 B`),
  peakMacs: ALL(A(1e12, 'MAC/s', '1024 MAC units at 1 GHz')),
  utilisation: A(1, '', 'roofline peak (no utilisation loss) for the idealised 45 nm accelerator'),
  batch: A(1, '', 'batch 1'),
  onChipBytes: A(1 << 20, 'B', '1 MiB on-chip SRAM; bytes beyond it per pass come from DRAM'),
  onChipBandwidth: A(1e12, 'B/s', '1 TB/s SRAM bandwidth'),
  offChipBandwidth: A(25.6e9, 'B/s', 'one DDR4-3200 channel, 25.6 GB/s'),
  overheadPerPass: A(0, 's', 'no per-pass overhead for the idealised accelerator'),
  notes: ['energy = MACs × E_MAC + neuron updates × E_update + on-chip bytes × E_SRAM + off-chip bytes × E_DRAM'],
};

/** KerasSpiking's CPU row: Intel i7-4960X. */
export const KERASSPIKING_CPU: PerOpDevice = {
  id: 'kerasspiking-cpu',
  label: 'CPU, KerasSpiking table (legacy, Intel i7-4960X)',
  short: 'CPU i7-4960X (legacy)',
  legacy: true,
  energy: 'per-op',
  opEnergy: S(8.6e-9, 'J/MAC', `${KS}: cpu energy_per_synop 8.6 nJ (legacy figure, memory included)`),
  neuronUpdateEnergy: S(8.6e-9, 'J/update', `${KS}: cpu energy_per_neuron 8.6 nJ`),
  peakMacs: ALL(S(86.4e9, 'MAC/s', 'Intel i7-4960X datasheet: 6 cores × 3.6 GHz × 8-wide AVX (separate mul + add) = 172.8 GFLOP/s = 86.4 GMAC/s')),
  utilisation: A(0.5, '', '50 % of peak for vectorised dense loops'),
  batch: A(1, '', 'batch 1'),
  onChipBytes: S(15 * (1 << 20), 'B', 'Intel i7-4960X datasheet: 15 MB L3 cache'),
  onChipBandwidth: A(200e9, 'B/s', '200 GB/s aggregate cache bandwidth'),
  offChipBandwidth: S(59.7e9, 'B/s', 'Intel i7-4960X datasheet: 4 × DDR3-1866, 59.7 GB/s'),
  overheadPerPass: A(1e-6, 's', '1 µs per step for loop/thread synchronisation'),
  notes: ['energy = (MACs + neuron updates) × per-op energy (the table folds memory traffic into the per-op figure)'],
};

/** KerasSpiking's GPU row: Nvidia GTX Titan Black. */
export const KERASSPIKING_GPU: PerOpDevice = {
  id: 'kerasspiking-gpu',
  label: 'GPU, KerasSpiking table (legacy, GTX Titan Black)',
  short: 'GPU Titan Black (legacy)',
  legacy: true,
  energy: 'per-op',
  opEnergy: S(0.3e-9, 'J/MAC', `${KS}: gpu energy_per_synop 0.3 nJ (legacy figure, memory included)`),
  neuronUpdateEnergy: S(0.3e-9, 'J/update', `${KS}: gpu energy_per_neuron 0.3 nJ`),
  peakMacs: ALL(S(2.56e12, 'MAC/s', 'Nvidia GTX Titan Black datasheet: 2880 cores × 889 MHz × 2 = 5.1 TFLOP/s fp32 = 2.56 TMAC/s')),
  utilisation: A(0.5, '', '50 % of peak'),
  batch: A(1, '', 'batch 1'),
  onChipBytes: S(1.5 * (1 << 20), 'B', 'Nvidia GTX Titan Black datasheet: 1.5 MB L2 cache'),
  onChipBandwidth: A(1e12, 'B/s', '1 TB/s L2 bandwidth'),
  offChipBandwidth: S(336e9, 'B/s', 'Nvidia GTX Titan Black datasheet: 336 GB/s GDDR5'),
  overheadPerPass: A(5e-6, 's', '5 µs kernel launch per step'),
  notes: ['energy = (MACs + neuron updates) × per-op energy'],
};

const H100 = 'Nvidia H100 SXM5 datasheet';

/** A current accelerator from its datasheet: Nvidia H100 SXM5. */
export const H100_SXM: PowerDevice = {
  id: 'h100-sxm',
  label: 'Nvidia H100 SXM5 (datasheet)',
  short: 'H100 SXM5',
  legacy: false,
  energy: 'power',
  power: S(700, 'W', `${H100}: max TDP 700 W; assumption: drawn in full while busy (upper bound)`),
  peakMacs: {
    int8: S(989.5e12, 'MAC/s', `${H100}: INT8 tensor 1979 TOPS dense (3958 with sparsity) = 989.5 TMAC/s`),
    int32: S(33.5e12, 'MAC/s', `${H100}: FP32 67 TFLOP/s = 33.5 TMAC/s (assumption: int32 at the fp32 rate)`),
    fp16: S(494.7e12, 'MAC/s', `${H100}: FP16 tensor 989.4 TFLOP/s dense = 494.7 TMAC/s`),
    fp32: S(33.5e12, 'MAC/s', `${H100}: FP32 67 TFLOP/s = 33.5 TMAC/s`),
  },
  utilisation: A(0.5, '', '50 % of peak tensor throughput'),
  batch: A(1, '', 'batch 1 (one sample stepped in real time; larger batches amortise weight reads)'),
  onChipBytes: S(50 * (1 << 20), 'B', `${H100}: 50 MB L2 cache`),
  onChipBandwidth: A(5.5e12, 'B/s', '5.5 TB/s L2 bandwidth'),
  offChipBandwidth: S(3.35e12, 'B/s', `${H100}: HBM3 3.35 TB/s`),
  overheadPerPass: A(5e-6, 's', '5 µs kernel launch + synchronisation per step'),
  notes: ['energy = power × latency (busy for the whole roofline time, including per-pass overhead)'],
};

export const DEFAULT_DEVICES: readonly DeviceModel[] = [HOROWITZ_DEVICE, KERASSPIKING_CPU, KERASSPIKING_GPU, H100_SXM];

export interface DensePrice {
  device: string;
  label: string;
  short: string;
  legacy: boolean;
  energyJ: number;
  latencyS: number;
  edpJs: number;
  /** What limits the roofline time: compute, on-chip memory, off-chip memory, or per-pass overhead. */
  bound: 'compute' | 'on-chip memory' | 'off-chip memory' | 'overhead';
  /** Energy split (J), for the report. */
  energyParts: { label: string; j: number }[];
}

/** Roofline latency of a workload on a device. */
export function rooflineLatency(w: DenseWorkload, d: DeviceModel): { latencyS: number; bound: DensePrice['bound']; onChipBytes: number; offChipBytes: number } {
  const passes = Math.max(1, w.passes);
  const perPassBytes = w.bytes / passes;
  const onPerPass = Math.min(perPassBytes, d.onChipBytes.value);
  const offPerPass = perPassBytes - onPerPass;
  const ops = (w.macs + w.neuronUpdates) / passes;
  const tCompute = ops / (d.peakMacs[w.precision].value * d.utilisation.value);
  const tOn = onPerPass / d.onChipBandwidth.value;
  const tOff = offPerPass / d.offChipBandwidth.value;
  const t = Math.max(tCompute, tOn, tOff);
  const overhead = d.overheadPerPass.value;
  let bound: DensePrice['bound'] = t === tCompute ? 'compute' : t === tOff ? 'off-chip memory' : 'on-chip memory';
  if (overhead > t) bound = 'overhead';
  return { latencyS: passes * (t + overhead), bound, onChipBytes: onPerPass * passes, offChipBytes: offPerPass * passes };
}

/** Price a dense workload on one device model. */
export function priceDense(w: DenseWorkload, d: DeviceModel): DensePrice {
  const r = rooflineLatency(w, d);
  const parts: { label: string; j: number }[] = [];
  if (d.energy === 'composed') {
    parts.push({ label: `MACs (${w.precision})`, j: w.macs * d.macEnergy[w.precision].value });
    if (w.neuronUpdates) parts.push({ label: 'neuron updates', j: w.neuronUpdates * d.neuronUpdateEnergy.value });
    parts.push({ label: 'on-chip bytes', j: r.onChipBytes * d.onChipByteEnergy.value });
    parts.push({ label: 'off-chip bytes', j: r.offChipBytes * d.offChipByteEnergy.value });
  } else if (d.energy === 'per-op') {
    parts.push({ label: 'MACs', j: w.macs * d.opEnergy.value });
    if (w.neuronUpdates) parts.push({ label: 'neuron updates', j: w.neuronUpdates * d.neuronUpdateEnergy.value });
  } else {
    parts.push({ label: `${d.power.value} W × latency`, j: d.power.value * r.latencyS });
  }
  const energyJ = parts.reduce((s, p) => s + p.j, 0);
  return { device: d.id, label: d.label, short: d.short, legacy: d.legacy, energyJ, latencyS: r.latencyS, edpJs: energyJ * r.latencyS, bound: r.bound, energyParts: parts };
}

/** Every parameter of a device that is an assumption, as printable lines. */
export function deviceAssumptions(d: DeviceModel): string[] {
  const out: string[] = [];
  const visit = (label: string, s: Sourced) => {
    if (/\bassumption\b/i.test(s.source)) out.push(`${d.id} ${label} = ${formatValue(s.value)}${s.unit ? ` ${s.unit}` : ''}: ${s.source}`);
  };
  const seen = new Set<Sourced>();
  for (const [k, v] of Object.entries(d)) {
    if (v && typeof v === 'object' && 'source' in v) visit(k, v as Sourced);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [p, s] of Object.entries(v as Record<string, unknown>)) {
        if (s && typeof s === 'object' && 'source' in s && !seen.has(s as Sourced)) {
          seen.add(s as Sourced);
          visit(`${k}.${p}`, s as Sourced);
        }
      }
    }
  }
  return out;
}

/** Every sourced parameter of a device as (name, value, unit, source) rows, for the report. */
export function deviceParameters(d: DeviceModel): { name: string; value: number; unit: string; source: string }[] {
  const out: { name: string; value: number; unit: string; source: string }[] = [];
  for (const [k, v] of Object.entries(d)) {
    if (v && typeof v === 'object' && 'source' in v) {
      const s = v as Sourced;
      out.push({ name: k, value: s.value, unit: s.unit, source: s.source });
    } else if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [p, s] of Object.entries(v as Record<string, unknown>)) {
        if (s && typeof s === 'object' && 'source' in s) {
          const ss = s as Sourced;
          out.push({ name: `${k}.${p}`, value: ss.value, unit: ss.unit, source: ss.source });
        }
      }
    }
  }
  return out;
}

/** Compact value text for printed assumptions: 1e12 → `1e12`, 0.000005 → `5e-6`, 0.5 → `0.5`. */
function formatValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) {
    const e = Math.floor(Math.log10(a));
    const m = +(v / 10 ** e).toPrecision(4);
    return m === 1 ? `1e${e}` : `${m}e${e}`;
  }
  return String(+v.toPrecision(6));
}
