import { describe, expect, it } from 'vitest';
import { createMetrics } from '../src/metrics.js';

const delay = (text: string, quantile: string) =>
  Number(new RegExp(`^fleet_event_loop_delay_seconds\\{quantile="${quantile}"\\} (\\S+)$`, 'm').exec(text)?.[1]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('metrics', () => {
  it('reports how long the event loop stalled since the previous scrape, then starts a new window', async () => {
    const metrics = createMetrics();
    await metrics.render(); // opens the window
    await sleep(30);
    const started = performance.now();
    while (performance.now() - started < 500) {
      // a blocking call: the loop cannot run its timers meanwhile
    }
    await sleep(30);
    const stalled = await metrics.render();
    expect(delay(stalled, '1')).toBeGreaterThanOrEqual(0.45);
    expect(delay(stalled, '1')).toBeLessThan(5);
    expect(stalled).toContain('# TYPE fleet_event_loop_delay_seconds gauge');

    await sleep(60);
    const calm = await metrics.render();
    expect(delay(calm, '1')).toBeLessThan(0.4); // the stall belongs to the window before
  });
});
