/**
 * System packages some tests use (nats-server, chromium, Debian word lists). Outside CI a test whose
 * package is absent skips with a message. Under CI (`.ci/run` sets CI=true and installs them) an
 * absent package is an error, unless `.ci/run` reported that it could not install it
 * (AERIE_CI_UNAVAILABLE, printed as a warning there): a missing package never turns tests into
 * silent skips in CI.
 */
export function systemPackage(pkg: string, present: boolean, skipMessage: string): boolean {
  if (present) return true;
  const unavailable = (process.env.AERIE_CI_UNAVAILABLE ?? '').split(/\s+/).filter(Boolean);
  if (process.env.CI === 'true' && !unavailable.includes(pkg)) {
    throw new Error(`${pkg} is not installed, although .ci/run installs it and did not report a failure (${skipMessage})`);
  }
  console.warn(skipMessage);
  return false;
}
