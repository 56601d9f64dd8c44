import { describe, expect, it } from 'vitest';
import { benchCrossbar } from '../../emulator/pim/bench.js';

describe('crossbar benchmark (smoke: it runs and searches correctly; no timing assertions)', () => {
  it('returns every figure and finds the planted row', () => {
    const r = benchCrossbar({ seconds: 0.02 });
    expect(r.searchBestRow).toBe(123);
    for (const k of ['mvmPerSecond', 'mvmPerCpuSecond', 'searchGBps', 'searchGBpsCpu', 'plainPopcountGBps']) expect(typeof r[k]).toBe('number');
    expect(String(r.mvmArray)).toContain('256x256');
    expect(String(r.mvmArray)).toContain('4-bit ADC');
  });
});
