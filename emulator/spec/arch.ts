/**
 * The architecture spec (`format: aerie-arch/1`): what hardware the network runs on. Every
 * parameter is declared once below with its unit, default per preset, range and source; the same
 * declaration drives validation, `aerie info` and docs. An arch file starts from a preset and
 * overrides any parameter:
 *
 *   format: aerie-arch/1
 *   preset: loihi
 *   core: { compartments: 512 }
 *   board: { chips_x: 2, chips_y: 1 }
 */
import { Checker } from './validate.js';
import { parseStructured } from './structured.js';
import { readInputText } from '../util/files.js';
import { InputError } from '../errors.js';

export const ARCH_FORMAT = 'aerie-arch/1';

export interface ParamDecl {
  /** Dotted path in the arch spec, e.g. `core.compartments`. */
  path: string;
  unit: string;
  description: string;
  /** Default per preset (a preset missing here uses `loihi`'s value). */
  defaults: { loihi: number } & Partial<Record<PresetName, number>>;
  min: number;
  max: number;
  integer: boolean;
  /** Where the default comes from; "assumption: …" when no published figure exists. */
  source: string;
}

export type PresetName = 'loihi' | 'loihi2';
export const PRESETS: Record<PresetName, string> = {
  loihi: 'Intel Loihi (2018): one chip of 8×4 tiles, 4 cores per tile, 1,024 compartments per core (Davies et al., IEEE Micro 2018)',
  loihi2: 'Intel Loihi 2 (2021): 128 cores, 8,192 compartments per core, graded spikes with up to 24-bit payloads (Davies et al., Proc. IEEE 2021; Lava)',
};

const D18 = 'Davies et al., IEEE Micro 2018, Table 1/2';
const D18T2 = 'Davies et al., IEEE Micro 2018, Table 2 (pre-silicon, 0.75 V)';
const L2 = 'Intel Loihi 2 brief / Davies et al., Proc. IEEE 2021';

export const ARCH_PARAMS: ParamDecl[] = [
  // chip and board
  { path: 'chip.tiles_x', unit: 'tiles', description: 'mesh width of a chip (routers)', defaults: { loihi: 8 }, min: 1, max: 64, integer: true, source: 'SANA-FE arch/loihi.yaml (8×4 tiles); Davies 2018 quotes 1–32 tiles' },
  { path: 'chip.tiles_y', unit: 'tiles', description: 'mesh height of a chip (routers)', defaults: { loihi: 4 }, min: 1, max: 64, integer: true, source: 'SANA-FE arch/loihi.yaml' },
  { path: 'chip.cores_per_tile', unit: 'cores', description: 'neuromorphic cores sharing one router', defaults: { loihi: 4 }, min: 1, max: 16, integer: true, source: D18 },
  { path: 'board.chips_x', unit: 'chips', description: 'board width in chips (chips meet at their mesh edges)', defaults: { loihi: 1 }, min: 1, max: 128, integer: true, source: 'user choice (Pohoiki Springs: 768 chips)' },
  { path: 'board.chips_y', unit: 'chips', description: 'board height in chips', defaults: { loihi: 1 }, min: 1, max: 128, integer: true, source: 'user choice' },
  // core capacity
  { path: 'core.compartments', unit: 'compartments', description: 'compartments per core', defaults: { loihi: 1024, loihi2: 8192 }, min: 1, max: 65536, integer: true, source: `${D18}; Loihi 2: ${L2}` },
  { path: 'core.input_axons', unit: 'axons', description: 'input axons per core (one per source compartment that reaches the core)', defaults: { loihi: 4096, loihi2: 8192 }, min: 1, max: 1 << 20, integer: true, source: `${D18}; Loihi 2 value: assumption (not published)` },
  { path: 'core.output_axons', unit: 'axons', description: 'output axons per core (one per destination core of each compartment)', defaults: { loihi: 4096, loihi2: 8192 }, min: 1, max: 1 << 20, integer: true, source: `${D18}; Loihi 2 value: assumption (not published)` },
  { path: 'core.synapse_words', unit: 'words', description: 'synapse memory words per core', defaults: { loihi: 16384, loihi2: 24576 }, min: 1, max: 1 << 24, integer: true, source: `${D18} (128 KB = 16,384 × 64 bit); Loihi 2: 192 KB per core, assumption that all of it holds synapses` },
  { path: 'core.synapse_word_bits', unit: 'bits', description: 'width of one synapse memory word', defaults: { loihi: 64 }, min: 8, max: 256, integer: true, source: D18 },
  { path: 'core.delay_bits', unit: 'bits', description: 'bits of a synapse entry that hold its delay (used when a projection has delays)', defaults: { loihi: 6 }, min: 0, max: 8, integer: true, source: D18 },
  { path: 'core.payload_bits', unit: 'bits', description: 'graded spike payload width (0 = binary spikes)', defaults: { loihi: 0, loihi2: 24 }, min: 0, max: 24, integer: true, source: `Loihi 1 binary spikes (${D18}); Loihi 2 graded spikes up to 24 bits (${L2})` },
  // core timing (per action, integer picoseconds)
  { path: 'timing.synop_ps', unit: 'ps', description: 'time per synaptic op (one synapse of an arriving spike)', defaults: { loihi: 3500 }, min: 0, max: 1e9, integer: true, source: `${D18T2}: 3.5 ns max` },
  { path: 'timing.compartment_active_ps', unit: 'ps', description: 'time per active compartment update', defaults: { loihi: 8400 }, min: 0, max: 1e9, integer: true, source: `${D18T2}: 8.4 ns` },
  { path: 'timing.compartment_inactive_ps', unit: 'ps', description: 'time per inactive compartment update', defaults: { loihi: 5300 }, min: 0, max: 1e9, integer: true, source: `${D18T2}: 5.3 ns` },
  { path: 'timing.spike_out_ps', unit: 'ps', description: 'time to look up a spiking compartment in the output axon table', defaults: { loihi: 0 }, min: 0, max: 1e9, integer: true, source: 'assumption: folded into the message-out time (Davies 2018 gives no separate figure)' },
  { path: 'timing.message_in_ps', unit: 'ps', description: 'time to receive one spike message (input axon lookup)', defaults: { loihi: 0 }, min: 0, max: 1e9, integer: true, source: 'assumption: folded into the synaptic op time (Davies 2018 gives no separate figure)' },
  { path: 'timing.message_out_ps', unit: 'ps', description: 'time to inject one spike message into the router', defaults: { loihi: 0 }, min: 0, max: 1e9, integer: true, source: 'assumption: injection overlaps the next lookup (no Davies 2018 figure)' },
  // NoC
  { path: 'noc.hop_ew_ps', unit: 'ps', description: 'latency per tile hop east-west', defaults: { loihi: 4100 }, min: 0, max: 1e9, integer: true, source: `${D18T2}: 4.1 ns` },
  { path: 'noc.hop_ns_ps', unit: 'ps', description: 'latency per tile hop north-south', defaults: { loihi: 6500 }, min: 0, max: 1e9, integer: true, source: `${D18T2}: 6.5 ns` },
  { path: 'noc.within_tile_ps', unit: 'ps', description: 'latency of a delivery between cores of one tile', defaults: { loihi: 2100 }, min: 0, max: 1e9, integer: true, source: `${D18T2}: 2.1 ns` },
  { path: 'noc.chip_link_ps', unit: 'ps', description: 'latency of one chip-to-chip link traversal', defaults: { loihi: 100000 }, min: 0, max: 1e12, integer: true, source: 'assumption: 100 ns per off-chip link (no published per-link figure; Pohoiki Springs barrier 14.3 µs per 256 chips suggests tens to hundreds of ns)' },
  { path: 'noc.packet_bits', unit: 'bits', description: 'size of one spike message on the wire', defaults: { loihi: 32, loihi2: 64 }, min: 8, max: 1024, integer: true, source: `${D18}: 32-bit spike messages; Loihi 2: assumption (32-bit address + 24-bit payload rounded to 64)` },
  { path: 'noc.injection_queue', unit: 'packets', description: 'depth of a core\'s injection queue; a full queue stalls the core', defaults: { loihi: 16 }, min: 1, max: 1 << 16, integer: true, source: 'assumption: the 16-entry link buffer of SANA-FE arch/loihi.yaml (Loihi publishes no injection-queue depth)' },
  { path: 'noc.flit_bits', unit: 'bits', description: 'flit width (packet bits / flit bits = flits per message)', defaults: { loihi: 32 }, min: 8, max: 1024, integer: true, source: 'assumption: one 32-bit flit per Loihi spike message' },
  // barrier
  { path: 'barrier.one_tile_ps', unit: 'ps', description: 'barrier synchronisation time with 1 tile in use', defaults: { loihi: 113000 }, min: 0, max: 1e12, integer: true, source: `${D18T2}: 113 ns (1 tile)` },
  { path: 'barrier.all_tiles_ps', unit: 'ps', description: 'barrier synchronisation time with every tile of a chip in use (linear in between)', defaults: { loihi: 465000 }, min: 0, max: 1e12, integer: true, source: `${D18T2}: 465 ns (32 tiles)` },
  // processing-in-memory crossbar arrays attached to the tile routers (docs/PIM.md "Crossbar-backed projections")
  { path: 'crossbar.per_tile', unit: 'arrays', description: 'crossbar arrays attached to each tile router (0 = none); the array shape comes from the projection', defaults: { loihi: 4 }, min: 0, max: 64, integer: true, source: 'assumption: Loihi has no crossbars; 4 arrays per tile (one per core slot) so crossbar-backed projections can be explored; set it in an arch file' },
  { path: 'crossbar.output_bits', unit: 'bits', description: 'width of the signed value a crossbar output packet carries (saturated to ±(2^(bits−1) − 1))', defaults: { loihi: 24 }, min: 2, max: 32, integer: true, source: `assumption: the 24-bit graded payload of Loihi 2 (${L2}); packets are timed with noc.packet_bits` },
  { path: 'barrier.per_chip_ps', unit: 'ps', description: 'added barrier time per chip beyond the first', defaults: { loihi: 55859 }, min: 0, max: 1e12, integer: true, source: 'Pohoiki Springs: 14.3 µs per 256 chips (Davies et al., Proc. IEEE 2021) → 55.86 ns per chip, linear assumption' },
];

export interface ArchSpec {
  preset: PresetName;
  /** Parameter values by dotted path. */
  values: Record<string, number>;
  /** Which parameters the user changed (path → where it was set). */
  overridden: Record<string, string>;
}

/** Typed view of an ArchSpec for the emulator. */
export interface Arch {
  preset: PresetName;
  tilesX: number;
  tilesY: number;
  coresPerTile: number;
  chipsX: number;
  chipsY: number;
  coresPerChip: number;
  totalCores: number;
  core: {
    compartments: number;
    inputAxons: number;
    outputAxons: number;
    synapseWords: number;
    synapseWordBits: number;
    delayBits: number;
    payloadBits: number;
  };
  timing: {
    synopPs: number;
    compartmentActivePs: number;
    compartmentInactivePs: number;
    spikeOutPs: number;
    messageInPs: number;
    messageOutPs: number;
  };
  noc: { hopEwPs: number; hopNsPs: number; withinTilePs: number; chipLinkPs: number; packetBits: number; flitBits: number; injectionQueue: number };
  barrier: { oneTilePs: number; allTilesPs: number; perChipPs: number };
  /** Crossbar arrays per tile router and the width of the value their output packets carry. */
  crossbar: { perTile: number; outputBits: number };
  spec: ArchSpec;
}

export function presetArch(name: PresetName): ArchSpec {
  const values: Record<string, number> = {};
  for (const p of ARCH_PARAMS) values[p.path] = p.defaults[name] ?? p.defaults.loihi;
  return { preset: name, values, overridden: {} };
}

/** Validate arch data (a preset plus overrides). */
export function validateArch(data: unknown, ck: Checker): ArchSpec | undefined {
  const groups = [...new Set(ARCH_PARAMS.map((p) => p.path.split('.')[0]))];
  const root = ck.object(data, [], ['format', 'preset', 'name', 'description', ...groups], ['format']);
  if (!root) return undefined;
  if (root.format !== undefined && root.format !== ARCH_FORMAT) ck.fail(['format'], `expected '${ARCH_FORMAT}', got ${JSON.stringify(root.format)}`);
  const preset = root.preset === undefined ? 'loihi' : ck.oneOf(root.preset, ['preset'], Object.keys(PRESETS) as PresetName[]);
  const spec = presetArch(preset ?? 'loihi');
  for (const g of groups) {
    if (root[g] === undefined) continue;
    const keys = ARCH_PARAMS.filter((p) => p.path.startsWith(g + '.')).map((p) => p.path.slice(g.length + 1));
    const sub = ck.object(root[g], [g], keys);
    if (!sub) continue;
    for (const k of keys) {
      if (sub[k] === undefined) continue;
      const decl = ARCH_PARAMS.find((p) => p.path === `${g}.${k}`)!;
      const v = decl.integer ? ck.integer(sub[k], [g, k], decl.min, decl.max) : ck.number(sub[k], [g, k], decl.min, decl.max);
      if (v !== undefined) {
        spec.values[decl.path] = v;
        spec.overridden[decl.path] = ck.source;
      }
    }
  }
  return ck.ok ? spec : undefined;
}

export function parseArch(text: string, source = '<arch>'): ArchSpec {
  const doc = parseStructured(text, source);
  const ck = new Checker(source, doc);
  const a = validateArch(doc.data, ck);
  ck.throwIfAny();
  return a!;
}

/**
 * Resolve `--arch PRESET|FILE` and `--chips WxH` into an Arch. A name of a preset wins over a file
 * of the same name in the current folder.
 */
export function resolveArch(presetOrFile: string | undefined, chips?: string, readFile: (f: string) => string = readInputText): Arch {
  let spec: ArchSpec;
  if (presetOrFile === undefined || presetOrFile in PRESETS) spec = presetArch((presetOrFile ?? 'loihi') as PresetName);
  else spec = parseArch(readFile(presetOrFile), presetOrFile);
  if (chips !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(chips);
    if (!m) throw new InputError('--chips', [{ where: '', message: `'${chips}' is not of the form WxH (e.g. 2x2)` }]);
    const [w, h] = [Number(m[1]), Number(m[2])];
    const decl = ARCH_PARAMS.find((p) => p.path === 'board.chips_x')!;
    if (w < 1 || h < 1 || w > decl.max || h > decl.max)
      throw new InputError('--chips', [{ where: '', message: `${chips}: each side must be 1..${decl.max}` }]);
    spec.values['board.chips_x'] = w;
    spec.values['board.chips_y'] = h;
    spec.overridden['board.chips_x'] = spec.overridden['board.chips_y'] = '--chips';
  }
  return archFromSpec(spec);
}

export function archFromSpec(spec: ArchSpec): Arch {
  const v = spec.values;
  const tilesX = v['chip.tiles_x'];
  const tilesY = v['chip.tiles_y'];
  const coresPerTile = v['chip.cores_per_tile'];
  const coresPerChip = tilesX * tilesY * coresPerTile;
  return {
    preset: spec.preset,
    tilesX,
    tilesY,
    coresPerTile,
    chipsX: v['board.chips_x'],
    chipsY: v['board.chips_y'],
    coresPerChip,
    totalCores: coresPerChip * v['board.chips_x'] * v['board.chips_y'],
    core: {
      compartments: v['core.compartments'],
      inputAxons: v['core.input_axons'],
      outputAxons: v['core.output_axons'],
      synapseWords: v['core.synapse_words'],
      synapseWordBits: v['core.synapse_word_bits'],
      delayBits: v['core.delay_bits'],
      payloadBits: v['core.payload_bits'],
    },
    timing: {
      synopPs: v['timing.synop_ps'],
      compartmentActivePs: v['timing.compartment_active_ps'],
      compartmentInactivePs: v['timing.compartment_inactive_ps'],
      spikeOutPs: v['timing.spike_out_ps'],
      messageInPs: v['timing.message_in_ps'],
      messageOutPs: v['timing.message_out_ps'],
    },
    noc: {
      hopEwPs: v['noc.hop_ew_ps'],
      hopNsPs: v['noc.hop_ns_ps'],
      withinTilePs: v['noc.within_tile_ps'],
      chipLinkPs: v['noc.chip_link_ps'],
      packetBits: v['noc.packet_bits'],
      flitBits: v['noc.flit_bits'],
      injectionQueue: v['noc.injection_queue'],
    },
    barrier: { oneTilePs: v['barrier.one_tile_ps'], allTilesPs: v['barrier.all_tiles_ps'], perChipPs: v['barrier.per_chip_ps'] },
    crossbar: { perTile: v['crossbar.per_tile'], outputBits: v['crossbar.output_bits'] },
    spec,
  };
}

/** Location of a global core id: chip-major, then tile row-major, then core within the tile. */
export function coreChip(arch: Arch, core: number): number {
  return Math.floor(core / arch.coresPerChip);
}
export function coreTile(arch: Arch, core: number): number {
  return Math.floor(core / arch.coresPerTile);
}

/** Barrier time for a step with `tiles` tiles in use on `chips` chips (linear in tiles, plus per chip). */
export function barrierPs(arch: Arch, tilesInUse: number, chips: number): number {
  const tilesPerChip = arch.tilesX * arch.tilesY;
  const t = Math.min(Math.max(tilesInUse, 1), tilesPerChip);
  const frac = tilesPerChip > 1 ? (t - 1) / (tilesPerChip - 1) : 0;
  return Math.round(arch.barrier.oneTilePs + frac * (arch.barrier.allTilesPs - arch.barrier.oneTilePs) + Math.max(0, chips - 1) * arch.barrier.perChipPs);
}
