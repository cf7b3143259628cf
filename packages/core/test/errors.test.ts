import { describe, expect, it, vi } from 'vitest';
import {
  CommandFailedError,
  CommandTimeoutError,
  DatabaseUnavailableError,
  ERROR_KINDS,
  errorKindOf,
  httpStatusOf,
  isRetryable,
  isRetryableHttpStatus,
  kindOfHttpStatus,
  ValidationError,
  createLogger,
  createMemoryLogger,
  describeCommand,
  describeError,
  type Executor,
  FleetError,
  isFleetError,
  NotFoundError,
  REDACTED,
  redact,
  runChecked,
} from '../src/index.js';

describe('FleetError', () => {
  it('carries code, cause, details and a literal name', () => {
    const cause = new Error('socket closed');
    const error = new FleetError('IPAM_EXHAUSTED', 'no free address in 10.0.0.0/30', {
      cause,
      details: { prefix: '10.0.0.0/30' },
    });
    expect(error.code).toBe('IPAM_EXHAUSTED');
    expect(error.cause).toBe(cause);
    expect(error.name).toBe('FleetError');
    expect(error.toJSON()).toEqual({
      code: 'IPAM_EXHAUSTED',
      message: 'no free address in 10.0.0.0/30',
      details: { prefix: '10.0.0.0/30' },
    });
    expect(new NotFoundError('node', 'n1').name).toBe('NotFoundError');
  });

  it('isFleetError survives a second copy of the package (no instanceof)', async () => {
    // A fresh module instance stands for a duplicate install: its class is a different object.
    vi.resetModules();
    const copy = await import('../src/errors.js');
    expect(copy.FleetError).not.toBe(FleetError);
    const foreign = new copy.FleetError('X', 'from the other copy');
    expect(foreign instanceof FleetError).toBe(false);
    expect(isFleetError(foreign)).toBe(true);
    expect(copy.isFleetError(new FleetError('Y', 'from this copy'))).toBe(true);
  });

  it('isFleetError refuses look-alikes', () => {
    expect(isFleetError(new Error('x'))).toBe(false);
    expect(isFleetError({ code: 'X', message: 'y', name: 'FleetError' })).toBe(false);
    expect(isFleetError(null)).toBe(false);
    expect(isFleetError('FleetError')).toBe(false);
    expect(describeError(new FleetError('A_B', 'msg'))).toBe('A_B: msg');
  });

  it('carries a kind and retryable: internal and false unless the raiser says otherwise', () => {
    const plain = new FleetError('X', 'unclassified');
    expect([plain.kind, plain.retryable]).toEqual(['internal', false]);
    const locked = new FleetError('LOCKED', 'held', { kind: 'conflict', retryable: true });
    expect([locked.kind, locked.retryable]).toEqual(['conflict', true]);
    // Subclass defaults, which a raiser may still override.
    expect(new ValidationError('f', 'bad').kind).toBe('invalid');
    expect(new NotFoundError('node', 'n1').kind).toBe('not-found');
    expect(new NotFoundError('node', 'n1', { kind: 'conflict' }).kind).toBe('conflict');
    const away = new DatabaseUnavailableError('away');
    expect([away.kind, away.retryable]).toEqual(['unavailable', true]);
    expect(new CommandTimeoutError('local', 'sleep 9', 10)).toMatchObject({ kind: 'unavailable', retryable: true });
    expect(new CommandFailedError('local', 'false', { code: 1, stdout: '', stderr: '', durationMs: 1 })).toMatchObject({
      kind: 'internal',
      retryable: false,
    });
    // The JSON body is unchanged: code, message, details.
    expect(Object.keys(locked.toJSON())).toEqual(['code', 'message', 'details']);
  });

  it('derives the HTTP status from the kind, for every kind', () => {
    const status = Object.fromEntries(
      ERROR_KINDS.map((kind) => [kind, httpStatusOf(new FleetError('X', 'x', { kind }))]),
    );
    expect(status).toEqual({
      invalid: 400,
      'not-found': 404,
      conflict: 409,
      unauthenticated: 401,
      forbidden: 403,
      unavailable: 503,
      internal: 500,
    });
    expect(httpStatusOf(new Error('plain'))).toBe(500);
    expect(httpStatusOf('thrown text')).toBe(500);
    // Round trip: the status of a kind classifies back to that kind (a client reading a server's answer).
    for (const kind of ERROR_KINDS) expect(kindOfHttpStatus(status[kind] as number)).toBe(kind);
  });

  it('classifies HTTP answers and tells which may be retried', () => {
    expect([412, 428].map(kindOfHttpStatus)).toEqual(['conflict', 'conflict']);
    expect([405, 413, 415, 422].map(kindOfHttpStatus)).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
    expect([429, 502, 504].map(kindOfHttpStatus)).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect(kindOfHttpStatus(501)).toBe('internal');
    expect([502, 503, 504].every(isRetryableHttpStatus)).toBe(true);
    expect([400, 404, 409, 429, 500].some(isRetryableHttpStatus)).toBe(false);
  });

  it('reads kind and retryable of anything thrown, also of an older copy without them', async () => {
    expect(errorKindOf(new Error('x'))).toBe('internal');
    expect(errorKindOf(new ValidationError('f', 'bad'))).toBe('invalid');
    expect(isRetryable(new DatabaseUnavailableError('away'))).toBe(true);
    expect(isRetryable({ retryable: true })).toBe(false);
    vi.resetModules();
    const copy = await import('../src/errors.js');
    const old = new copy.FleetError('OLD', 'from a copy');
    Object.defineProperty(old, 'kind', { value: undefined });
    expect(errorKindOf(old)).toBe('internal');
    expect(errorKindOf(new copy.ValidationError('f', 'bad'))).toBe('invalid');
  });
});

describe('logger redaction', () => {
  it('replaces values of secret-looking fields at any depth', () => {
    const out = redact({
      node: 'n1',
      bmc: { address: '10.0.0.5', password: 'hunter2' },
      apiToken: 'tok',
      headers: { Authorization: 'Bearer abc' },
      list: [{ secret: 's' }],
    });
    expect(out).toEqual({
      node: 'n1',
      bmc: { address: '10.0.0.5', password: REDACTED },
      apiToken: REDACTED,
      headers: { Authorization: REDACTED },
      list: [{ secret: REDACTED }],
    });
  });

  it('never writes a secret to the log line', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), json: true });
    log.info('bmc configured', { bmcPassword: 'hunter2', node: 'n1' });
    log.debug('hidden at info level');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('hunter2');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'bmc configured', node: 'n1' });
    const mem = createMemoryLogger();
    mem.warn('x', { token: 't' });
    expect(mem.entries[0]!.fields).toEqual({ token: REDACTED });
  });
});

describe('runChecked', () => {
  const failing: Executor = {
    target: 'local',
    run: async () => ({ code: 1, stdout: '', stderr: 'bad password hunter2', durationMs: 1 }),
  };
  it('throws EXEC_FAILED with secrets masked', async () => {
    const err = await runChecked(failing, 'ipmitool', ['user', 'set', 'password', '2', 'hunter2'], {
      secrets: ['hunter2'],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailedError);
    expect((err as CommandFailedError).code).toBe('EXEC_FAILED');
    expect((err as Error).message).not.toContain('hunter2');
    expect((err as Error).message).toContain('ipmitool user set password 2 ***');
  });
  it('quotes arguments for display', () => {
    expect(describeCommand('echo', ['a b', "it's"])).toBe(`echo 'a b' 'it'\\''s'`);
  });
});
