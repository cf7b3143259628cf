import { connect } from 'node:net';
import type { ConsulClient } from '@fleet/consul';
import { describeError, isFleetError } from '@fleet/core';

/** One dependency's answer to the readiness probe. */
export interface ReadinessCheck {
  ok: boolean;
  ms: number;
  /** Why it is not ready (a code or a short reason; never a credential). */
  error?: string;
}

export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  checks: Record<string, ReadinessCheck>;
}

export interface ReadinessProbes {
  /** A cheap read through each store (the database answered, even with "not found"). */
  database: Record<string, () => Promise<unknown>>;
  /** `ldap://host:port` when LDAP logins are configured: a TCP connect proves the directory is there. */
  ldapUrl: string | null;
  consul: ReadonlyMap<string, ConsulClient>;
  /** Per check (default 1,000 ms): a load balancer probes often and must not wait on a hung dependency. */
  timeoutMs?: number;
  /** Work started with the process that must finish before it takes traffic (a cache filled at start). */
  startup?: Record<string, () => { done: boolean; ms: number }>;
}

async function timed(run: () => Promise<unknown>, timeoutMs: number): Promise<ReadinessCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    // "Not found" means the database answered; only an outage or a timeout makes it not ready.
    if (isFleetError(error) && /NOT_FOUND$/.test(error.code))
      return { ok: true, ms: Math.round(performance.now() - started) };
    const code = (error as { code?: unknown } | null)?.code;
    const reason = isFleetError(error) || typeof code === 'string' ? String(code) : describeError(error);
    return { ok: false, ms: Math.round(performance.now() - started), error: reason };
  } finally {
    clearTimeout(timer);
  }
}

function tcpConnect(url: string): Promise<void> {
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === 'ldaps:' ? 636 : 389));
  return new Promise((resolve, reject) => {
    const socket = connect({ host: parsed.hostname, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', (error) => {
      socket.destroy();
      reject(error);
    });
  });
}

/**
 * `/readyz`: can this instance serve requests? The database through every store, and LDAP and each Consul
 * datacenter when they are configured, all probed in parallel with a short timeout. `/healthz` stays
 * liveness (the process runs): a load balancer takes an instance out on `/readyz`, a supervisor restarts it
 * on `/healthz`.
 */
export async function checkReadiness(probes: ReadinessProbes): Promise<ReadinessReport> {
  const timeoutMs = probes.timeoutMs ?? 1_000;
  const jobs: [string, Promise<ReadinessCheck>][] = [];
  for (const [name, read] of Object.entries(probes.database)) jobs.push([`database.${name}`, timed(read, timeoutMs)]);
  if (probes.ldapUrl) {
    const url = probes.ldapUrl;
    jobs.push(['ldap', timed(() => tcpConnect(url), timeoutMs)]);
  }
  for (const [dc, consul] of probes.consul) {
    jobs.push([`consul.${dc}`, timed(() => consul.status.leader(), timeoutMs)]);
  }
  const checks: Record<string, ReadinessCheck> = {};
  for (const [name, job] of jobs) checks[name] = await job;
  for (const [name, state] of Object.entries(probes.startup ?? {})) {
    const { done, ms } = state();
    checks[`startup.${name}`] = done ? { ok: true, ms } : { ok: false, ms, error: 'still warming up' };
  }
  return { status: Object.values(checks).every((c) => c.ok) ? 'ready' : 'not-ready', checks };
}
