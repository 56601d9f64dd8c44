/** test/helpers/system.ts: a missing system package skips outside CI, fails in CI unless .ci/run reported it. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemPackage } from '../helpers/system.js';

describe('systemPackage', () => {
  const saved = { ci: process.env.CI, un: process.env.AERIE_CI_UNAVAILABLE };
  afterEach(() => {
    for (const [k, v] of [['CI', saved.ci], ['AERIE_CI_UNAVAILABLE', saved.un]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    vi.restoreAllMocks();
  });

  it('a present package is used, in CI or not', () => {
    process.env.CI = 'true';
    expect(systemPackage('nats-server', true, 'msg')).toBe(true);
  });

  it('outside CI an absent package skips with its message', () => {
    delete process.env.CI;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(systemPackage('nats-server', false, 'no nats')).toBe(false);
    expect(warn).toHaveBeenCalledWith('no nats');
  });

  it('in CI an absent package fails, unless .ci/run could not install it', () => {
    process.env.CI = 'true';
    delete process.env.AERIE_CI_UNAVAILABLE;
    expect(() => systemPackage('nats-server', false, 'no nats')).toThrow(/nats-server is not installed/);
    process.env.AERIE_CI_UNAVAILABLE = ' chromium nats-server';
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(systemPackage('nats-server', false, 'no nats')).toBe(false);
    expect(() => systemPackage('wfrench', false, 'no lists')).toThrow(/wfrench/);
  });
});
