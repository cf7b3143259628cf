import { describe, expect, it } from 'vitest';
import { checkReadiness } from '../src/readiness.js';

describe('readiness', () => {
  it('is not ready while start-up work runs, and says which', async () => {
    const state = { done: false, ms: 12 };
    const probes = {
      database: { db: async () => 'ok' },
      ldapUrl: null,
      consul: new Map(),
      startup: { cache: () => state },
    };
    const before = await checkReadiness(probes);
    expect(before.status).toBe('not-ready');
    expect(before.checks['startup.cache']).toEqual({ ok: false, ms: 12, error: 'still warming up' });
    expect(before.checks['database.db']?.ok).toBe(true);
    state.done = true;
    state.ms = 340;
    const after = await checkReadiness(probes);
    expect(after.status).toBe('ready');
    expect(after.checks['startup.cache']).toEqual({ ok: true, ms: 340 });
  });
});
