/**
 * rxjs views of a running emulation, batched per step (one emission per step and stream, never
 * one per event): the spikes of the step, the probe rows of the step, and a per-step report
 * (duration, spikes, packets).
 * Nothing is emitted, and nothing is copied, while a stream has no subscriber.
 *
 * The emitted objects are reused from step to step and `neurons` is a view of the engine's spike
 * buffer: a subscriber that keeps data past its callback must copy it.
 */
import { Subject, type Observable } from 'rxjs';
import type { Emulator } from './emulator.js';
import { stepDurationPs } from './recording.js';

/** One step's spikes: global compartment indices (a view valid during the emission only). */
export interface StepSpikes {
  step: number;
  neurons: Uint32Array;
}

export interface StepReport {
  step: number;
  /** Emulated duration of the step, integer ps (critical path + barrier). */
  durationPs: number;
  spikes: number;
  packets: number;
}

/** One step's probe rows: per probed variable its values after the step (views valid during the emission only). */
export interface StepProbes {
  step: number;
  rows: { name: string; values: Int32Array }[];
}

export class RunStreams {
  private readonly spikesSubject = new Subject<StepSpikes>();
  private readonly stepsSubject = new Subject<StepReport>();
  private readonly spikeBatch: StepSpikes = { step: 0, neurons: new Uint32Array(0) };
  private readonly report: StepReport = { step: 0, durationPs: 0, spikes: 0, packets: 0 };
  private readonly probesSubject = new Subject<StepProbes>();
  private probeBatch: StepProbes | undefined;
  private probeFull: Int32Array[] = [];
  private probeWidths: number[] = [];
  readonly spikes$: Observable<StepSpikes> = this.spikesSubject.asObservable();
  readonly steps$: Observable<StepReport> = this.stepsSubject.asObservable();
  /** Probe rows of every step (the emulator's probes, added before the run). */
  readonly probes$: Observable<StepProbes> = this.probesSubject.asObservable();

  constructor(private readonly emulator: Emulator) {}

  /** Call after each step (Emulator.run's onStep); emits one batch per stream that has subscribers. */
  emit(step: number): void {
    const e = this.emulator;
    if (this.spikesSubject.observed) {
      this.spikeBatch.step = step;
      this.spikeBatch.neurons = e.stepSpikes.subarray(0, e.stepSpikeCount);
      this.spikesSubject.next(this.spikeBatch);
    }
    if (this.stepsSubject.observed) {
      const r = this.report;
      r.step = step;
      r.durationPs = stepDurationPs(e, step);
      r.spikes = e.stepSpikeCount;
      r.packets = e.batch.count;
      this.stepsSubject.next(r);
    }
    if (this.probesSubject.observed) {
      if (!this.probeBatch) {
        // full views of the engine's probe buffers, taken once (probeData() trims them to the steps done)
        const data = e.probeData();
        this.probeFull = data.map((d) => new Int32Array(d.values.buffer, d.values.byteOffset));
        this.probeWidths = data.map((d) => d.size);
        this.probeBatch = { step: 0, rows: data.map((d) => ({ name: d.name, values: new Int32Array(0) })) };
      }
      const b = this.probeBatch;
      b.step = step;
      for (let k = 0; k < b.rows.length; k++) {
        const w = this.probeWidths[k];
        b.rows[k].values = this.probeFull[k].subarray((step - 1) * w, step * w);
      }
      this.probesSubject.next(b);
    }
  }


  /** The `(step) => void` callback for Emulator.run. */
  get callback(): (step: number) => void {
    return (step) => this.emit(step);
  }

  /** The run is over: complete both streams. */
  complete(): void {
    this.spikesSubject.complete();
    this.stepsSubject.complete();
    this.probesSubject.complete();
  }
}
