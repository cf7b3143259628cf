import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  type ConnectionFault,
  createMemoryLogger,
  DatabaseUnavailableError,
  type ErrorEmitter,
  isDatabaseUnavailable,
  toDatabaseUnavailable,
  watchConnections,
} from '../src/index.js';

const sqlError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it('says yes for an outage: terminated, refused, shutting down, connection class 08, lost socket', () => {
    for (const e of [
      sqlError('57P01'),
      sqlError('57P03'),
      sqlError('08006'),
      sqlError('53300'),
      sqlError('ECONNREFUSED'),
      new Error('Connection terminated unexpectedly'),
      new Error('wrapped', { cause: sqlError('ECONNRESET') }),
      new AggregateError([sqlError('ECONNREFUSED')], 'all refused'),
      new DatabaseUnavailableError('gone'),
    ]) {
      expect(isDatabaseUnavailable(e)).toBe(true);
    }
  });
  it('says no for a statement the database refused: unique violation, syntax, deadlock, plain errors', () => {
    for (const e of [sqlError('23505'), sqlError('42601'), sqlError('40P01'), new Error('boom'), null, 'text']) {
      expect(isDatabaseUnavailable(e)).toBe(false);
    }
  });
});

describe('toDatabaseUnavailable', () => {
  it('wraps an outage with the store, the code and the outcome, and never copies the driver message', () => {
    const wrapped = toDatabaseUnavailable(sqlError('ECONNREFUSED', 'connect to postgres://u:pw@db failed'), 'ipam');
    expect(wrapped).toBeInstanceOf(DatabaseUnavailableError);
    const error = wrapped as DatabaseUnavailableError;
    expect(error.code).toBe('DATABASE_UNAVAILABLE');
    expect(error.details).toEqual({ store: 'ipam', reason: 'ECONNREFUSED', outcome: 'not-applied' });
    expect(error.message).not.toContain('pw');
    expect(
      (toDatabaseUnavailable(sqlError('57P01'), 'machinedb', 'unknown') as DatabaseUnavailableError).details,
    ).toMatchObject({ outcome: 'unknown' });
  });
  it('hands anything else back unchanged', () => {
    const unique = sqlError('23505');
    expect(toDatabaseUnavailable(unique, 'ipam')).toBe(unique);
  });
});

describe('watchConnections', () => {
  it('reports each lost connection once, whether the client was idle (pool event) or in use', () => {
    const pool = new EventEmitter();
    const logger = createMemoryLogger();
    const faults: ConnectionFault[] = [];
    watchConnections(pool as never, { store: 'ipam', logger, onConnectionError: (f) => faults.push(f) });
    const a = new EventEmitter();
    const b = new EventEmitter();
    pool.emit('connect', a as ErrorEmitter);
    pool.emit('connect', b as ErrorEmitter);
    // a: the server's FATAL message, then the socket's end, then pg-pool's idle re-emit.
    a.emit('error', sqlError('57P01'));
    a.emit('error', new Error('Connection terminated unexpectedly'));
    pool.emit('error', Object.assign(sqlError('57P01'), { client: a }), a);
    // b: in use, the socket reset.
    b.emit('error', sqlError('ECONNRESET'));
    expect(faults).toEqual([
      { store: 'ipam', code: '57P01' },
      { store: 'ipam', code: 'ECONNRESET' },
    ]);
    expect(logger.entries.map((e) => [e.level, e.fields])).toEqual([
      ['warn', { store: 'ipam', code: '57P01' }],
      ['warn', { store: 'ipam', code: 'ECONNRESET' }],
    ]);
  });
  it('an emitter with the listener attached no longer throws on error', () => {
    const pool = new EventEmitter();
    watchConnections(pool as never, { store: 'machinedb' });
    const client = new EventEmitter();
    pool.emit('connect', client);
    expect(() => client.emit('error', sqlError('57P01'))).not.toThrow();
    expect(() => pool.emit('error', new Error('Connection terminated'))).not.toThrow();
  });
});
