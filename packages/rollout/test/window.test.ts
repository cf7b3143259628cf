import { describe, expect, it } from 'vitest';
import { isInWindow, nextWindowStart, resolveWindows } from '../src/index.js';

describe('maintenance windows', () => {
  it('uses the IANA time zone of the window', () => {
    // 2026-11-25 is a Wednesday. 21:30 UTC is 22:30 in Berlin (CET, UTC+1).
    const w = [{ days: ['wed' as const], start: '22:00', end: '23:00', timeZone: 'Europe/Berlin' }];
    expect(isInWindow(new Date('2026-11-25T21:30:00Z'), w)).toBe(true);
    expect(isInWindow(new Date('2026-11-25T22:30:00Z'), w)).toBe(false);
    expect(isInWindow(new Date('2026-11-25T20:59:00Z'), w)).toBe(false);
  });

  it('lets a window span midnight, belonging to the day it starts', () => {
    const w = [{ days: ['fri' as const], start: '22:00', end: '04:00' }];
    expect(isInWindow(new Date('2026-11-27T23:00:00Z'), w)).toBe(true); // Fri 23:00
    expect(isInWindow(new Date('2026-11-28T03:59:00Z'), w)).toBe(true); // Sat 03:59
    expect(isInWindow(new Date('2026-11-28T04:00:00Z'), w)).toBe(false);
    expect(isInWindow(new Date('2026-11-28T23:00:00Z'), w)).toBe(false); // Sat night: not a window day
    expect(isInWindow(new Date('2026-11-27T03:00:00Z'), w)).toBe(false); // Fri early: Thu's window, none
  });

  it('follows daylight saving time', () => {
    const w = [{ start: '02:00', end: '03:00', timeZone: 'America/New_York' }];
    expect(isInWindow(new Date('2026-07-01T06:30:00Z'), w)).toBe(true); // EDT, UTC-4
    expect(isInWindow(new Date('2026-12-01T07:30:00Z'), w)).toBe(true); // EST, UTC-5
    expect(isInWindow(new Date('2026-12-01T06:30:00Z'), w)).toBe(false);
  });

  it('with no windows is always open', () => {
    expect(isInWindow(new Date(), [])).toBe(true);
  });

  it('tells when the next window opens', () => {
    const w = [{ days: ['sat' as const, 'sun' as const], start: '01:00', end: '05:00', timeZone: 'UTC' }];
    expect(nextWindowStart(new Date('2026-11-25T12:00:30Z'), w)?.toISOString()).toBe('2026-11-28T01:00:00.000Z');
    const now = new Date('2026-11-28T02:00:00Z');
    expect(nextWindowStart(now, w)).toBe(now);
  });

  it('refuses bad days, times and zones, naming the field', () => {
    expect(() => resolveWindows([{ start: '25:00', end: '01:00' }])).toThrow(/windows\[0\]\.start/);
    expect(() => resolveWindows([{ start: '01:00', end: '01:00' }])).toThrow(/same time/);
    expect(() => resolveWindows([{ start: '01:00', end: '02:00', timeZone: 'Mars/Olympus' }])).toThrow(/IANA/);
    expect(() => resolveWindows([{ days: ['funday' as 'mon'], start: '01:00', end: '02:00' }])).toThrow(/days\[0\]/);
  });
});
