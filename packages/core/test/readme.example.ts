import { FleetError, backoffDelay, createLogger, sleep, validateHostname } from '@fleet/core';

/** Asks `probe` until the node answers, waiting longer after each miss; a typed error when it never does. */
export async function waitForNode(
  hostname: string,
  probe: (host: string) => Promise<boolean>,
  options: { attempts?: number; signal?: AbortSignal; write?: (line: string) => void } = {},
): Promise<number> {
  const host = validateHostname(hostname); // 'db1; reboot' → ValidationError, code VALIDATION_FAILED
  const log = createLogger({ base: { host }, ...(options.write ? { write: options.write } : {}) });
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (await probe(host)) return attempt;
    const delayMs = Math.round(backoffDelay(attempt, { minMs: 10, maxMs: 200 }));
    log.warn('node not ready', { attempt, delayMs, bmcPassword: 'calvin' }); // logged as bmcPassword=[redacted]
    await sleep(delayMs, options.signal); // returns at once when the signal aborts
    if (options.signal?.aborted) break;
  }
  throw new FleetError('NODE_NOT_READY', `${host} did not answer after ${attempts} attempts`, {
    details: { host, attempts },
  });
}
