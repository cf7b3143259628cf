import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setImmediate as setImmediatePromise, setTimeout as sleep } from 'node:timers/promises';
import { describeError, type Logger, silentLogger } from '@fleet/core';
import { createS3Client, parseListObjects, requestFailed, type S3Client, type S3Result } from './client.js';
import {
  type BenchConfig,
  type ResolvedBenchConfig,
  type ResolvedWorkloadGroup,
  resolveBenchConfig,
} from './config.js';
import { S3BenchError } from './errors.js';
import { createPayloadPool, createRandom, KeyRegistry, type PayloadPool, streamSeed, UploadLog } from './payload.js';
import { emptyPhase, isRetryable, PhaseCounter, type PhaseResult } from './phases.js';
import { GroupRecorder, type OpenLoopResult } from './recorder.js';
import type { BenchResult } from './result.js';

/** What the run reports once a second while it goes. */
export interface ProgressSnapshot {
  phase: 'warmup' | 'measure';
  /** Seconds since the phase started. */
  elapsedS: number;
  groups: Array<{
    name: string;
    /** Successful operations and failed ones so far in this phase. */
    ops: number;
    errors: number;
    opsLastSecond: number;
    p99LastSecondMs: number;
    /** p99 of every successful operation so far in this phase. */
    p99Ms: number;
  }>;
}

export interface RunOptions {
  /** Use this client instead of creating one from the config (the caller closes it). */
  client?: S3Client;
  /** Called once a second with live counters. */
  onProgress?: (progress: ProgressSnapshot) => void;
  /** Stops the run early; the result so far is returned with `aborted` set. */
  signal?: AbortSignal;
  logger?: Logger;
  /** Called once for each thing the run notices and goes on with (also kept in `result.notes`). */
  onNote?: (text: string) => void;
}

/** One line of live progress for a terminal. */
export function formatProgress(p: ProgressSnapshot): string {
  const parts = p.groups.map(
    (g) =>
      `${g.name} ${g.ops} ops (${g.opsLastSecond}/s) err ${g.errors} p99 ${g.p99Ms.toFixed(1)}ms (last s ${g.p99LastSecondMs.toFixed(1)}ms)`,
  );
  return `[${p.phase} ${p.elapsedS}s] ${parts.join(' | ')}`;
}

interface GroupState {
  spec: ResolvedWorkloadGroup;
  recorder: GroupRecorder;
  /** Operations started while measuring (count-limited groups stop at spec.count). */
  issued: number;
  /** Open loop: next ticket of the schedule. */
  ticket: number;
  starved: boolean;
  /** Workers still running, and when the last one stopped (perf clock). */
  running: number;
  endedAt: number;
  /** The group's own random stream (key picks): the same whatever other groups run alongside. */
  random: () => number;
}

function keyOf(cfg: ResolvedBenchConfig, seq: number): string {
  return `${cfg.prefix}obj-${seq}`;
}

/** Statuses a HEAD bucket may get from a service that serves objects all the same (no bucket-level rights). */
const TOLERATED_BUCKET_STATUSES = new Set([403, 405, 501]);

/**
 * Checks the bucket (and creates it when missing and allowed). Returns whether this run created it. A service
 * that refuses HEAD bucket (403 for write-only credentials, 405/501 for minimal S3 front ends) is not a reason
 * not to run: `note` says so once and the run goes on.
 */
async function ensureBucket(
  client: S3Client,
  cfg: ResolvedBenchConfig,
  note: (text: string) => void,
  phase: PhaseCounter,
): Promise<boolean> {
  if (!cfg.checkBucket) return false;
  const head = await phase.send(() => client.headBucket(cfg.bucket));
  if (head.ok) return false;
  if (TOLERATED_BUCKET_STATUSES.has(head.status)) {
    note(
      `HEAD bucket ${cfg.bucket} answered ${head.status}${head.errorCode ? ` ${head.errorCode}` : ''}; ` +
        'proceeding without the bucket check (set checkBucket: false to skip it)',
    );
    return false;
  }
  if (head.status === 404 && cfg.createBucket) {
    const created = await phase.send(() => client.createBucket(cfg.bucket, cfg.region));
    if (!created.ok && created.errorCode !== 'BucketAlreadyOwnedByYou') {
      throw new S3BenchError(
        'S3BENCH_SETUP_FAILED',
        requestFailed(`create bucket ${cfg.bucket} at ${cfg.endpoint.origin}`, created).message,
      );
    }
    return true;
  }
  throw new S3BenchError(
    'S3BENCH_SETUP_FAILED',
    head.status === 404
      ? `bucket ${cfg.bucket} does not exist at ${cfg.endpoint.origin} and createBucket is false; create it or allow createBucket`
      : requestFailed(`HEAD bucket ${cfg.bucket} at ${cfg.endpoint.origin}`, head).message,
    { details: { status: head.status, kind: head.errorKind } },
  );
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(lanes);
}

/**
 * Runs the workload of `config` and returns its results. Setup (bucket, prefill) and cleanup are not
 * measured; warm-up is run and discarded. Failed requests are counted by kind and the run goes on, unless
 * `abortOnError` is set (then it stops and throws `S3BENCH_ABORTED`).
 */
export async function runBenchmark(config: BenchConfig, options: RunOptions = {}): Promise<BenchResult> {
  const cfg = resolveBenchConfig(config);
  const log = options.logger ?? silentLogger;
  const random = createRandom(cfg.seed);
  const payload: PayloadPool = await createPayloadPool(cfg.payload, cfg.seed);
  const client =
    options.client ??
    createS3Client({
      endpoint: cfg.endpoint,
      region: cfg.region,
      credentials: cfg.credentials,
      addressing: cfg.addressing,
      payloadSigning: cfg.payloadSigning,
      timeoutMs: cfg.timeoutMs,
      connections: cfg.connections,
      ...(cfg.ca === undefined ? {} : { ca: cfg.ca }),
      ...(cfg.resolveTo === undefined ? {} : { resolveTo: cfg.resolveTo }),
    });
  const registry = new KeyRegistry(cfg.maxTrackedKeys, random);
  let nextSeq = 0;
  const uploads = new UploadLog();
  let createdBucket = false;
  const startedAt = new Date();
  const notes: string[] = [];
  const note = (text: string): void => {
    if (notes.includes(text)) return;
    notes.push(text);
    log.info(text);
    options.onNote?.(text);
  };
  const setupPhase = new PhaseCounter();
  const prefillPhase = new PhaseCounter();
  const cleanupPhase = new PhaseCounter();
  try {
    createdBucket = await ensureBucket(client, cfg, note, setupPhase);
    // Chained with `then`, not an async function: every prefill upload passes here (one promise less each).
    const put = (seq: number, choice = payload.choiceFor(seq)): Promise<S3Result> => {
      const body = payload.body(choice);
      const key = keyOf(cfg, seq);
      const sent =
        body.length >= cfg.multipart.thresholdBytes
          ? client.multipartUpload(cfg.bucket, key, body, cfg.multipart.partSizeBytes)
          : client.putObject(cfg.bucket, key, body);
      return sent.then((res) => {
        if (res.ok) registry.add(seq, choice);
        // A PUT that timed out or got a 5xx may have stored the object all the same: cleanup tries it too.
        if (res.ok || res.status >= 500 || res.status === 0) uploads.add(seq);
        return res;
      });
    };
    if (cfg.prefill > 0) {
      let refused: S3Result | undefined;
      let left = cfg.prefill;
      // Lanes of uploads (at most 32 in flight), each retried with backoff on 5xx/SlowDown/reset/timeout; one
      // that still fails is counted and skipped.
      const lane = async (): Promise<void> => {
        while (left > 0 && refused === undefined && options.signal?.aborted !== true) {
          left--;
          const seq = nextSeq++;
          const res = await prefillPhase.send(() => put(seq));
          if (!res.ok && !isRetryable(res)) refused ??= res;
        }
      };
      await Promise.all(Array.from({ length: Math.min(cfg.connections, 32, cfg.prefill) }, lane));
      if (refused !== undefined) {
        // A 4xx is the service's answer for every PUT (rights, quota, bucket): measuring would be pointless.
        throw new S3BenchError(
          'S3BENCH_SETUP_FAILED',
          requestFailed(`prefill PUT to ${cfg.bucket}/${cfg.prefix} at ${cfg.endpoint.origin}`, refused).message,
          { details: { status: refused.status, kind: refused.errorKind } },
        );
      }
      const failed = prefillPhase.result.failed;
      if (failed > 0)
        note(`prefill: ${failed} of ${cfg.prefill} uploads failed after retries; the run goes on without them`);
      log.info('prefill done', { objects: cfg.prefill - failed });
    }

    const states: GroupState[] = cfg.groups.map((spec, i) => ({
      spec,
      recorder: new GroupRecorder(
        spec.rate !== undefined,
        spec.op === 'PUT' || spec.op === 'GET' ? payload.classes : [],
      ),
      issued: 0,
      ticket: 0,
      starved: false,
      running: spec.workers,
      endedAt: Number.POSITIVE_INFINITY,
      random: createRandom(streamSeed(cfg.seed, 0x8000_0000 + i)),
    }));
    const hasPut = cfg.groups.some((g) => g.op === 'PUT');
    // Pinning only matters when a DELETE group could remove a key that a GET/HEAD is reading.
    const pinKeys = cfg.groups.some((g) => g.op === 'DELETE');
    const runStart = performance.now();
    let measureStart = runStart + cfg.warmupS * 1000;
    let measuring = cfg.warmupS === 0;
    const stopAt = cfg.durationS === undefined ? Number.POSITIVE_INFINITY : measureStart + cfg.durationS * 1000;
    let stopReason: string | null = null;
    let abortError: S3BenchError | null = null;
    const onAbort = (): void => {
      stopReason ??= 'stopped by signal';
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) onAbort();

    let signUs = 0;
    let signN = 0;
    let recordUs = 0;
    let recordN = 0;
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    let cpuStart = process.cpuUsage();

    // Records one finished operation; `intended` is the open-loop schedule time (ms, perf clock).
    const record = (st: GroupState, res: S3Result, intended: number | undefined, size: number): void => {
      const end = performance.now();
      const began = end - res.totalMs;
      // Closed loop counts what began while measuring; open loop what was scheduled while measuring.
      if (!measuring || (intended ?? began) < measureStart) return;
      // The recording cost is sampled (1 in 16) so measuring it does not add to it.
      const sampled = (signN & 15) === 0;
      const r0 = sampled ? performance.now() : 0;
      if (res.ok) {
        st.recorder.record(
          res.totalMs,
          res.ttfbMs,
          res.bytes,
          intended === undefined ? undefined : end - intended,
          size < 0 ? undefined : payload.classOf(size),
        );
      } else {
        st.recorder.recordError(res.errorKind ?? 'other');
        if (cfg.abortOnError && abortError === null) {
          abortError = new S3BenchError(
            'S3BENCH_ABORTED',
            `${st.spec.name} failed (${res.errorKind}${res.errorCode ? ` ${res.errorCode}` : ''}) and abortOnError is set`,
            { details: { group: st.spec.name, kind: res.errorKind, status: res.status } },
          );
          stopReason = abortError.message;
        }
      }
      if (sampled) {
        recordUs += (performance.now() - r0) * 1000;
        recordN++;
      }
      signUs += res.signMs * 1000;
      signN++;
    };

    // One worker of a group: starts an operation, awaits it and records it, until the group is done. The
    // operation is started inline (no async function per request: one promise less on the hot path).
    const worker = async (st: GroupState): Promise<void> => {
      const { count, rate, op } = st.spec;
      const interval = rate === undefined ? 0 : 1000 / rate;
      for (;;) {
        if (stopReason !== null) return;
        const now = performance.now();
        if (now >= stopAt) return;
        if (!measuring) startMeasuring(now);
        if (count !== undefined && measuring && st.issued >= count) return;
        let intended: number | undefined;
        if (rate !== undefined) {
          intended = runStart + st.ticket++ * interval;
          if (intended >= stopAt) return;
          // Timers count from libuv's millisecond clock and may fire up to ~1 ms before the performance
          // clock reaches `intended`; never send early (that would shave the corrected latency).
          for (let wait = intended - now; wait > 0; wait = intended - performance.now()) {
            await (wait >= 1 ? sleep(wait) : setImmediatePromise());
          }
          if (stopReason !== null) return;
          // Another worker of the group may have sent the last counted request while this one waited.
          if (count !== undefined && measuring && st.issued >= count) return;
        }
        // Closed loop: nothing was awaited since `now` was read, so it is still the time of this start.
        const counted = measuring && (intended ?? now) >= measureStart;
        if (counted) st.issued++;
        let pending: Promise<S3Result> | undefined;
        let size = -1;
        let pinned = -1;
        if (op === 'PUT') {
          const seq = nextSeq++;
          const choice = payload.choiceFor(seq);
          size = choice.size;
          pending = put(seq, choice);
        } else if (op === 'LIST') {
          pending = client.listObjects(cfg.bucket, cfg.prefix, st.spec.listMaxKeys);
        } else if (op === 'DELETE') {
          const seq = registry.take(st.random);
          if (seq !== undefined) {
            pending = client.deleteObject(cfg.bucket, keyOf(cfg, seq)).then((res) => {
              if (res.ok) uploads.delete(seq);
              return res;
            });
          }
        } else {
          const pick = registry.pick(pinKeys, st.random);
          if (pick !== undefined) {
            size = pick.choice.size;
            if (pinKeys) pinned = pick.seq;
            const key = keyOf(cfg, pick.seq);
            pending =
              op === 'HEAD'
                ? client.headObject(cfg.bucket, key)
                : client.getObject(cfg.bucket, key, cfg.verify ? payload.body(pick.choice) : undefined);
          }
        }
        if (pending === undefined) {
          // No key to read or delete: wait for a PUT group to upload one, or give up if none will.
          if (!hasPut) {
            st.starved = true;
            return;
          }
          if (counted) st.issued--;
          await sleep(2);
          continue;
        }
        const res = await pending;
        if (pinned >= 0) registry.unpin(pinned);
        record(st, res, intended, size);
      }
    };

    let phaseSecond = 0;
    // The switch from warm-up to measuring happens at the first of: the warm-up timer, or a worker seeing
    // the time has come. A loaded event loop may run the timer late, even after the run's end.
    const startMeasuring = (t: number): boolean => {
      if (measuring || t < measureStart) return false;
      measuring = true;
      measureStart = t;
      for (const st of states) st.recorder.reset();
      loopDelay.reset();
      cpuStart = process.cpuUsage();
      phaseSecond = 0;
      return true;
    };
    const tick = (): void => {
      if (startMeasuring(performance.now())) return;
      const points = states.map((st) => st.recorder.roll(phaseSecond));
      if (!measuring) for (const st of states) st.recorder.series.length = 0;
      phaseSecond++;
      options.onProgress?.({
        phase: measuring ? 'measure' : 'warmup',
        elapsedS: phaseSecond,
        groups: states.map((st, i) => ({
          name: st.spec.name,
          ops: st.recorder.ops,
          errors: st.recorder.errors,
          opsLastSecond: points[i]!.ops,
          p99LastSecondMs: points[i]!.p99,
          p99Ms: st.recorder.ops === 0 ? 0 : st.recorder.latency.getValueAtPercentile(99) / 1000,
        })),
      });
    };
    loopDelay.enable();
    const warmTimer =
      cfg.warmupS > 0 ? setTimeout(() => startMeasuring(performance.now()), cfg.warmupS * 1000) : undefined;
    let ticker: NodeJS.Timeout | undefined;
    const startTicker = (): void => {
      ticker = setInterval(tick, 1000);
    };
    const tickerStart = setTimeout(startTicker, cfg.warmupS * 1000 + 1);
    try {
      await Promise.all(
        states.flatMap((st) =>
          Array.from({ length: st.spec.workers }, async () => {
            try {
              await worker(st);
            } finally {
              if (--st.running === 0) st.endedAt = performance.now();
            }
          }),
        ),
      );
    } finally {
      clearTimeout(warmTimer);
      clearTimeout(tickerStart);
      clearInterval(ticker);
      loopDelay.disable();
      options.signal?.removeEventListener('abort', onAbort);
    }
    const measureEnd = performance.now();
    if (!measuring) {
      // The run ended inside the warm-up: nothing was measured.
      for (const st of states) st.recorder.reset();
    } else if (states.some((st) => st.recorder.series.length === 0 || measureEnd - measureStart > phaseSecond * 1000)) {
      // The last second is usually cut short by the end of the run: it is marked partial with its length.
      const lastS = (measureEnd - measureStart) / 1000 - phaseSecond;
      for (const st of states) st.recorder.roll(phaseSecond, lastS);
    }
    const cpu = process.cpuUsage(cpuStart);
    const measuredS = measuring ? Math.max((measureEnd - measureStart) / 1000, 0.001) : 0;
    if (abortError !== null) throw abortError;
    const activeOf = (st: GroupState): number =>
      measuring ? Math.max((Math.min(st.endedAt, measureEnd) - measureStart) / 1000, 0.001) : 0;
    const openOf = (st: GroupState): OpenLoopResult | null => {
      const { rate, count, workers } = st.spec;
      if (rate === undefined) return null;
      let scheduled = 0;
      if (measuring) {
        // Tickets k with measureStart <= runStart + k/rate < end of the schedule.
        const interval = 1000 / rate;
        const end = Math.min(stopAt, measureEnd);
        const first = Math.ceil((measureStart - runStart) / interval - 1e-9);
        const last = Math.ceil((end - runStart) / interval - 1e-9);
        scheduled = Math.max(0, last - first);
        if (count !== undefined) scheduled = Math.min(scheduled, count);
      }
      const sent = Math.min(st.issued, scheduled);
      const missed = scheduled - sent;
      const activeS = activeOf(st);
      return {
        scheduled,
        sent,
        missed,
        achievedRate: activeS > 0 ? Math.round((sent / activeS) * 100) / 100 : 0,
        rateMissed: missed > workers + Math.floor(scheduled * 0.01),
      };
    };

    const result: BenchResult = {
      format: 's3bench-result',
      version: 1,
      label: cfg.label,
      startedAt: startedAt.toISOString(),
      endedAt: new Date().toISOString(),
      measuredS: Math.round(measuredS * 1000) / 1000,
      clients: 1,
      config: {
        endpoint: cfg.endpoint.origin,
        bucket: cfg.bucket,
        region: cfg.region,
        prefix: cfg.prefix,
        addressing: cfg.addressing,
        payloadSigning: cfg.payloadSigning,
        connections: cfg.connections,
        durationS: cfg.durationS ?? null,
        warmupS: cfg.warmupS,
        payload:
          cfg.payload.kind === 'directory'
            ? `directory ${cfg.payload.path} (${payload.files} files)`
            : cfg.payload.kind === 'pool'
              ? `pool of ${payload.files}: ${cfg.payload.objects.map((e) => `${e.count} × ${e.size} B`).join(', ')}`
              : `generated ${JSON.stringify(cfg.payload.size)}`,
        verify: cfg.verify,
        seed: cfg.seed,
      },
      groups: states.map((st) =>
        st.recorder.toResult({
          name: st.spec.name,
          op: st.spec.op,
          workers: st.spec.workers,
          targetRate: st.spec.rate ?? null,
          activeS: activeOf(st),
          starved: st.starved,
          open: openOf(st),
        }),
      ),
      overhead: {
        signMeanUs: signN === 0 ? 0 : Math.round((signUs / signN) * 100) / 100,
        recordMeanUs: recordN === 0 ? 0 : Math.round((recordUs / recordN) * 100) / 100,
        eventLoopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
        eventLoopDelayMaxMs: Math.round(loopDelay.max / 1e4) / 100,
        cpuPercent: measuredS > 0 ? Math.round(((cpu.user + cpu.system) / 1000 / (measuredS * 1000)) * 1000) / 10 : 0,
      },
      cleanup: null,
      phases: {
        setup: setupPhase.result,
        prefill: prefillPhase.result,
        measure: measurePhase(states.map((st) => st.recorder)),
        cleanup: cleanupPhase.result,
      },
      leftBehind: null,
      notes,
      aborted: stopReason,
    };
    let left = uploads.count;
    if (cfg.cleanup) {
      const c = await cleanup(client, cfg, uploads, createdBucket, log, note, cleanupPhase);
      result.cleanup = { deleted: c.deleted, failed: c.failed, bucketDeleted: c.bucketDeleted, error: c.error };
      left = c.left;
      if (left > 0)
        note(`${left} objects left behind in ${cfg.bucket} under ${cfg.prefix}: cleanup could not delete them`);
    }
    result.leftBehind = left === 0 ? null : { objects: left, bucket: cfg.bucket, prefix: cfg.prefix };
    return result;
  } catch (error) {
    if (!cfg.cleanup || (uploads.count === 0 && !createdBucket)) throw error;
    // A run that failed half-way still removes what it wrote, and says what it could not.
    const c = await cleanup(client, cfg, uploads, createdBucket, log, note, cleanupPhase);
    if (!(error instanceof S3BenchError)) throw error;
    const left = c.left === 0 ? '' : `; ${c.left} objects left behind in ${cfg.bucket} under ${cfg.prefix}`;
    throw new S3BenchError(error.code, `${error.message} (cleanup deleted ${c.deleted}${left})`, {
      cause: error,
      details: { ...(error.details ?? {}), deleted: c.deleted, leftBehind: c.left, prefix: cfg.prefix },
    });
  } finally {
    if (options.client === undefined) await client.close();
  }
}

/** Requests and errors of the measuring phase, from the groups' recorders. */
function measurePhase(recorders: readonly GroupRecorder[]): PhaseResult {
  const phase = emptyPhase();
  for (const r of recorders) {
    phase.requests += r.ops + r.errors;
    phase.errors += r.errors;
    phase.failed += r.errors;
    for (const [k, n] of r.errorsByKind) phase.errorsByKind[k] = (phase.errorsByKind[k] ?? 0) + n;
  }
  return phase;
}

/**
 * Deletes every object under the run's prefix (listed page by page), then the bucket if this run created
 * it. LIST pages and DELETEs are retried with backoff on what S3 asks clients to retry (5xx, SlowDown,
 * resets, timeouts); s3rver, for one, answers 500 now and then when concurrent deletes race on its
 * directories. Where LIST is refused for good, the keys this run knows it wrote are deleted by name.
 * Every deleted key leaves `uploads`, so what is left there afterwards is what the run left behind.
 */
async function cleanup(
  client: S3Client,
  cfg: ResolvedBenchConfig,
  uploads: UploadLog,
  deleteBucket: boolean,
  log: Logger,
  note: (text: string) => void,
  phase: PhaseCounter,
): Promise<NonNullable<BenchResult['cleanup']> & { left: number }> {
  let deleted = 0;
  let failed = 0;
  const lanes = Math.min(cfg.connections, 32);
  const ownKey = `${cfg.prefix}obj-`;
  const remove = async (key: string): Promise<void> => {
    const res = await phase.send(() => client.deleteObject(cfg.bucket, key));
    if (!res.ok) {
      failed++;
      return;
    }
    deleted++;
    if (key.startsWith(ownKey)) {
      const seq = Number(key.slice(ownKey.length));
      if (Number.isInteger(seq)) uploads.delete(seq);
    }
  };
  let listError: string | undefined;
  try {
    let token: string | undefined;
    do {
      const res = await phase.send(() => client.listObjects(cfg.bucket, cfg.prefix, 1000, token));
      if (!res.ok || res.text === undefined) {
        listError = requestFailed(`LIST ${cfg.bucket}/${cfg.prefix}`, res).message.replace(/; check .*$/, '');
        break;
      }
      const page = parseListObjects(res.text);
      await forEachLimit(page.keys, lanes, remove);
      token = page.nextToken;
    } while (token !== undefined);
    if (listError !== undefined) {
      // A service that refuses LIST (write-only credentials, a minimal front end) still takes DELETEs of
      // the keys this run knows it wrote.
      note(
        `cleanup could not list ${cfg.prefix} (${listError}); deleting the ${uploads.count} objects this run uploaded by key`,
      );
      await forEachLimit([...uploads.values()], lanes, (seq) => remove(keyOf(cfg, seq)));
    }
    let bucketDeleted = false;
    if (deleteBucket) bucketDeleted = (await phase.send(() => client.deleteBucket(cfg.bucket))).ok;
    // After a complete listing, what is left is what could not be deleted; without one, what the run
    // wrote and could not delete by key.
    return { deleted, failed, bucketDeleted, error: null, left: listError === undefined ? failed : uploads.count };
  } catch (error) {
    log.warn('cleanup failed', { error: describeError(error) });
    return {
      deleted,
      failed,
      bucketDeleted: false,
      error: describeError(error),
      left: Math.max(uploads.count, failed),
    };
  }
}
