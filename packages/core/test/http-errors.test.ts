import { describe, expect, it } from 'vitest';
import {
  classifyHttpError,
  classifyNetworkError,
  MAX_AUTOMATIC_RETRY_AFTER_MS,
  parseRetryAfter,
} from '../src/index.js';

describe('classifyHttpError: one reading of HTTP error answers for every client', () => {
  it("takes the server's code, message and details from a JSON error body", () => {
    const body = JSON.stringify({
      code: 'IPAM_CONFLICT',
      message: '10.0.0.0/24 overlaps',
      details: { prefix: '10.0.0.0/24' },
    });
    expect(classifyHttpError({ status: 409, body })).toEqual({
      code: 'IPAM_CONFLICT',
      message: '10.0.0.0/24 overlaps',
      details: { prefix: '10.0.0.0/24' },
      kind: 'conflict',
      retryable: false,
      retryAfterMs: null,
    });
  });

  it('falls back to HTTP_<status> and the start of the text for a body that is not a fleet error', () => {
    const proxy = classifyHttpError({ status: 502, body: `<html>Bad Gateway</html>${'x'.repeat(500)}` });
    expect(proxy).toMatchObject({ code: 'HTTP_502', kind: 'unavailable', retryable: true, details: {} });
    expect(proxy.message).toHaveLength(200);
    expect(classifyHttpError({ status: 500, body: '' })).toMatchObject({
      code: 'HTTP_500',
      message: 'HTTP 500',
      kind: 'internal',
    });
    // JSON that is not an error object: kept as text, its fields not trusted.
    expect(classifyHttpError({ status: 400, body: '[1,2]' })).toMatchObject({
      code: 'HTTP_400',
      message: '[1,2]',
      details: {},
    });
    expect(classifyHttpError({ status: 400, body: '{"code":7,"details":[1]}' })).toMatchObject({
      code: 'HTTP_400',
      details: {},
    });
  });

  it('derives the kind from the status', () => {
    const kinds = [400, 401, 403, 404, 409, 412, 422, 429, 500, 503].map(
      (status) => classifyHttpError({ status }).kind,
    );
    expect(kinds).toEqual([
      'invalid',
      'unauthenticated',
      'forbidden',
      'not-found',
      'conflict',
      'conflict',
      'invalid',
      'unavailable',
      'internal',
      'unavailable',
    ]);
  });

  it('retries 502/503/504, and 429 only when Retry-After asks for a short wait', () => {
    const retryable = (status: number, retryAfter?: string) => classifyHttpError({ status, retryAfter }).retryable;
    expect([502, 503, 504].map((s) => retryable(s))).toEqual([true, true, true]);
    expect([400, 404, 409, 500].map((s) => retryable(s))).toEqual([false, false, false, false]);
    expect(retryable(429)).toBe(false);
    expect(retryable(429, '2')).toBe(true);
    expect(retryable(429, String(MAX_AUTOMATIC_RETRY_AFTER_MS / 1000))).toBe(true);
    expect(retryable(429, String(MAX_AUTOMATIC_RETRY_AFTER_MS / 1000 + 1))).toBe(false);
    expect(classifyHttpError({ status: 503, retryAfter: ['3'] }).retryAfterMs).toBe(3000);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at five minutes', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('86400', now)).toBe(300_000);
    expect([undefined, '', 'soon', '-3'].map((h) => parseRetryAfter(h, now))).toEqual([null, null, null, null]);
  });
});

describe('classifyNetworkError', () => {
  it('finds the socket code on the error or its causes and retries only what heals by itself', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(classifyNetworkError(new Error('fetch failed', { cause: refused }))).toEqual({
      code: 'ECONNREFUSED',
      retryable: true,
    });
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }))).toEqual({
      code: 'UND_ERR_SOCKET',
      retryable: true,
    });
    expect(classifyNetworkError(Object.assign(new Error('x'), { code: 'ENOTFOUND' }))).toEqual({
      code: 'ENOTFOUND',
      retryable: false,
    });
    expect(classifyNetworkError(new Error('no code'))).toEqual({ code: 'unknown', retryable: false });
    expect(classifyNetworkError('text')).toEqual({ code: 'unknown', retryable: false });
  });
});
