import {
  FleetError,
  backoffDelay,
  createLogger,
  describeError,
  httpStatusOf,
  sleep,
  validateHostname,
} from '@fleet/core';

/** Asks `probe` until the node answers, waiting longer after each miss; a typed error when it never does. */
async function waitForNode(hostname: string, probe: (host: string) => Promise<boolean>, attempts = 3) {
  const host = validateHostname(hostname); // 'db1; reboot' → ValidationError, code VALIDATION_FAILED
  const log = createLogger({ base: { host }, write: console.log }); // default: stderr
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (await probe(host)) return attempt;
    log.warn('node not ready', { attempt, bmcPassword: 'calvin' }); // secrets never reach the log
    await sleep(backoffDelay(attempt, { minMs: 10, maxMs: 200 })); // abortable with a signal
  }
  throw new FleetError('NODE_NOT_READY', `${host} did not answer`, { kind: 'unavailable', retryable: true });
}

let calls = 0;
console.log('answered on attempt', await waitForNode('DB1', async () => ++calls === 2));
for (const hostname of ['db1; reboot', 'db2']) {
  await waitForNode(hostname, async () => false, 1).catch((error: unknown) => {
    console.log(describeError(error), '→ HTTP', httpStatusOf(error)); // the kind decides status and exit code
  });
}
// prints: warn node not ready host=db1 attempt=1 bmcPassword=[redacted]
// prints: answered on attempt 2
// prints: VALIDATION_FAILED: hostname "db1; reboot" is not a valid host name
// prints: NODE_NOT_READY: db2 did not answer → HTTP 503
