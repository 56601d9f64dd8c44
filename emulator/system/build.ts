/**
 * Assemble cores from a compiled network and its placement: per-core compartment parameters,
 * synapse memory (CSR by input axon, in source order), output axon tables and delay rings.
 */
import type { Arch } from '../spec/arch.js';
import type { CompiledNetwork } from '../spec/compile.js';
import type { Placement } from '../mapping/index.js';
import { NeuroCore, type CompartmentModel, type Segment } from '../core/neurocore.js';
import { lifBitAccurate, effectiveBias, DECAY_UNITY, DU_OFFSET, VTH_SHIFT } from '../core/lif.js';
import { spikeSource } from '../core/spike-source.js';

/** Compartment model implementations by kind (the step engine never names a model). */
export const COMPARTMENT_MODELS: Record<string, CompartmentModel> = {
  lif: lifBitAccurate,
  'spike-source': spikeSource,
};

export function buildCores(net: CompiledNetwork, arch: Arch, placement: Placement): NeuroCore[] {
  const n = net.totalCompartments;
  const { coreOf, localOf } = placement;
  // synapses by global source (CSR): target, weight (with non-negative weight_exp applied), delay, projection
  const srcStart = new Uint32Array(n + 1);
  for (const p of net.projections) {
    const off = net.populations[p.from].offset;
    for (let i = 0; i < p.pre.length; i++) srcStart[off + p.pre[i] + 1]++;
  }
  for (let i = 0; i < n; i++) srcStart[i + 1] += srcStart[i];
  const fill = srcStart.slice(0, n);
  const total = net.totalSynapses;
  const tgt = new Uint32Array(total);
  const wq = new Int16Array(total);
  const dl = new Uint8Array(total);
  const pj = new Uint16Array(total);
  for (const p of net.projections) {
    const fromOff = net.populations[p.from].offset;
    const toOff = net.populations[p.to].offset;
    const shift = p.weightExp > 0 ? p.weightExp : 0;
    for (let i = 0; i < p.pre.length; i++) {
      const k = fill[fromOff + p.pre[i]]++;
      tgt[k] = toOff + p.post[i];
      wq[k] = p.weight[i] * 2 ** shift;
      dl[k] = p.delay[i];
      pj[k] = p.index;
    }
  }

  const cores: NeuroCore[] = [];
  const coreIdx = new Int32Array(arch.totalCores).fill(-1);
  placement.cores.forEach((c, i) => (coreIdx[c.core] = i));
  const per = placement.cores.map((c) => {
    // accumulator groups: 0 for weight_exp >= 0, one more per projection with weight_exp < 0
    const groupOfProj = new Int16Array(net.projections.length);
    const exps: number[] = [0];
    let maxDelay = 0;
    for (const seg of c.segments) {
      for (const p of net.projections) {
        if (p.to !== seg.population) continue;
        if (p.weightExp < 0 && groupOfProj[p.index] === 0) {
          groupOfProj[p.index] = exps.length;
          exps.push(p.weightExp);
        }
        if (p.maxDelay > maxDelay) maxDelay = p.maxDelay;
      }
    }
    const segOfLocal = new Uint16Array(c.compartments);
    c.segments.forEach((s, k) => segOfLocal.fill(k, s.local, s.local + s.count));
    return {
      groupOfProj,
      exps,
      ringSlots: maxDelay + 1,
      segOfLocal,
      synStart: new Uint32Array(c.inputAxons + 1),
      synDest: new Uint32Array(c.synapses),
      synWeight: new Int16Array(c.synapses),
      synDelay: new Uint8Array(c.synapses),
      axonSegSynapses: new Uint32Array(c.inputAxons * c.segments.length),
      fillSyn: 0,
      fillAx: 0,
      lastSrc: -1,
    };
  });
  let totalOut = 0;
  for (const c of placement.cores) totalOut += c.outputAxons;
  const outSrcStart = new Uint32Array(n + 1);
  const outCore = new Uint32Array(totalOut);
  const outAxon = new Uint32Array(totalOut);
  let outN = 0;
  for (let s = 0; s < n; s++) {
    outSrcStart[s] = outN;
    for (let k = srcStart[s]; k < srcStart[s + 1]; k++) {
      const t = tgt[k];
      const cg = coreOf[t];
      const ci = coreIdx[cg];
      const st = per[ci];
      if (st.lastSrc !== s) {
        st.lastSrc = s;
        const ax = st.fillAx++;
        st.synStart[ax] = st.fillSyn;
        outCore[outN] = cg;
        outAxon[outN] = ax;
        outN++;
      }
      const j = st.fillSyn++;
      const local = localOf[t];
      const nComp = placement.cores[ci].compartments;
      st.synDest[j] = st.groupOfProj[pj[k]] * nComp + local;
      st.synWeight[j] = wq[k];
      st.synDelay[j] = dl[k];
      const S = placement.cores[ci].segments.length;
      st.axonSegSynapses[(st.fillAx - 1) * S + st.segOfLocal[local]]++;
    }
  }
  outSrcStart[n] = outN;

  placement.cores.forEach((c, ci) => {
    const st = per[ci];
    st.synStart[c.inputAxons] = c.synapses;
    const globalIndex = new Uint32Array(c.compartments);
    const outStart = new Uint32Array(c.compartments + 1);
    const segments: Segment[] = c.segments.map((s, k) => {
      const pop = net.populations[s.population];
      for (let j = 0; j < s.count; j++) globalIndex[s.local + j] = pop.offset + s.first + j;
      const seg: Segment = {
        index: k,
        population: s.population,
        first: s.first,
        count: s.count,
        local: s.local,
        model: COMPARTMENT_MODELS[pop.kind],
        poissonSeed: pop.poissonSeed ?? 0,
      };
      if (pop.spikeStart) {
        seg.spikeStart = pop.spikeStart;
        seg.spikeSteps = pop.spikeSteps;
        seg.spikeCursor = new Uint32Array(s.count);
        for (let j = 0; j < s.count; j++) seg.spikeCursor[j] = pop.spikeStart[s.first + j];
      }
      if (pop.poissonThreshold) seg.poissonThreshold = pop.poissonThreshold;
      return seg;
    });
    let m = 0;
    for (let i = 0; i < c.compartments; i++) {
      outStart[i] = m;
      m += outSrcStart[globalIndex[i] + 1] - outSrcStart[globalIndex[i]];
    }
    outStart[c.compartments] = m;
    const outDstCore = new Uint32Array(m);
    const outDstAxon = new Uint32Array(m);
    for (let i = 0; i < c.compartments; i++) {
      const g = globalIndex[i];
      outDstCore.set(outCore.subarray(outSrcStart[g], outSrcStart[g + 1]), outStart[i]);
      outDstAxon.set(outAxon.subarray(outSrcStart[g], outSrcStart[g + 1]), outStart[i]);
    }
    const core = new NeuroCore({
      id: c.core,
      chip: Math.floor(c.core / arch.coresPerChip),
      tile: Math.floor(c.core / arch.coresPerTile),
      nComp: c.compartments,
      ringSlots: st.ringSlots,
      groupExp: Int8Array.from(st.exps),
      outStart,
      outDstCore,
      outDstAxon,
      synStart: st.synStart,
      synDest: st.synDest,
      synWeight: st.synWeight,
      synDelay: st.synDelay,
      axonSegSynapses: st.axonSegSynapses,
      segments,
      globalIndex,
    });
    // compartment parameters
    for (const seg of segments) {
      const pop = net.populations[seg.population];
      if (!pop.lif) continue;
      const P = pop.lif;
      for (let j = 0; j < seg.count; j++) {
        const i = seg.local + j;
        const q = seg.first + j;
        core.decayU[i] = DECAY_UNITY - P.du[q] - DU_OFFSET;
        core.decayV[i] = DECAY_UNITY - P.dv[q];
        core.bias[i] = effectiveBias(P.bias_mant[q], P.bias_exp[q]);
        core.vthScaled[i] = P.vth[q] * 2 ** VTH_SHIFT;
        core.refractory[i] = P.refractory[q];
        core.u[i] = P.u_init[q];
        core.v[i] = P.v_init[q];
      }
    }
    cores.push(core);
  });
  return cores;
}
