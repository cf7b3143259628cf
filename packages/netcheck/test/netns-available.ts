import { execFileSync } from 'node:child_process';

/** Real namespaces need root and iproute2; in CI (`CI` set) their absence is an error, not a skip. */
export function netnsAvailable(): boolean {
  let ok = process.getuid?.() === 0;
  if (ok) {
    try {
      execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    } catch {
      ok = false;
    }
  }
  if (!ok && process.env['CI']) throw new Error('netcheck integration tests need root and iproute2 (ip netns) in CI');
  return ok;
}
