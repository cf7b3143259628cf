import { ValidationError } from '@fleet/core';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * When nodes may be started, like kured's reboot window: on `days`, from `start` to `end` (HH:MM, local
 * time of `timeZone`, an IANA name). `end` before `start` spans midnight: the window belongs to the day it
 * starts on. Nodes already running when a window closes finish; no new node starts until the next one.
 */
export interface MaintenanceWindow {
  days?: readonly Weekday[];
  start: string;
  end: string;
  timeZone?: string;
}

interface ResolvedWindow {
  days: Set<number>;
  start: number;
  end: number;
  timeZone: string;
}

const DAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ALL_DAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function minutesOf(value: unknown, field: string): number {
  const m = typeof value === 'string' ? /^([01]?\d|2[0-4]):([0-5]\d)$/.exec(value) : null;
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  if (!(minutes >= 0 && minutes <= 24 * 60)) {
    throw new ValidationError(field, `${field} ${JSON.stringify(value)} must be a time of day HH:MM (00:00-24:00)`);
  }
  return minutes;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string, field: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
      });
    } catch (cause) {
      throw new ValidationError(
        field,
        `${field} ${JSON.stringify(timeZone)} is not an IANA time zone (Europe/Berlin)`,
        {
          cause,
        },
      );
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** Validates windows and fills defaults (every day, UTC). */
export function resolveWindows(windows: readonly MaintenanceWindow[], field = 'windows'): ResolvedWindow[] {
  if (!Array.isArray(windows)) throw new ValidationError(field, `${field} must be a list of maintenance windows`);
  return windows.map((w, i) => {
    const f = `${field}[${i}]`;
    const timeZone = w.timeZone ?? 'UTC';
    formatterFor(timeZone, `${f}.timeZone`);
    const days = new Set<number>();
    for (const [j, d] of (w.days ?? ALL_DAYS).entries()) {
      const index = DAYS.indexOf(d);
      if (index < 0)
        throw new ValidationError(
          `${f}.days[${j}]`,
          `${f}.days[${j}] ${JSON.stringify(d)} must be one of ${ALL_DAYS.join(', ')}`,
        );
      days.add(index);
    }
    const start = minutesOf(w.start, `${f}.start`);
    const end = minutesOf(w.end, `${f}.end`);
    if (start === end) throw new ValidationError(`${f}.end`, `${f} starts and ends at the same time: give a real span`);
    return { days, start, end, timeZone };
  });
}

function localTime(date: Date, timeZone: string): { day: number; minutes: number } {
  const parts = formatterFor(timeZone, 'timeZone').formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const day = DAYS.indexOf(get('weekday').toLowerCase().slice(0, 3) as Weekday);
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function inResolved(date: Date, w: ResolvedWindow): boolean {
  const { day, minutes } = localTime(date, w.timeZone);
  if (w.start < w.end) return w.days.has(day) && minutes >= w.start && minutes < w.end;
  // Spans midnight: the evening part belongs to today, the morning part to yesterday's window.
  if (minutes >= w.start) return w.days.has(day);
  return minutes < w.end && w.days.has((day + 6) % 7);
}

/** True when `date` is inside any window; no windows means always. */
export function isInWindow(date: Date, windows: readonly MaintenanceWindow[]): boolean {
  if (windows.length === 0) return true;
  return resolveWindows(windows).some((w) => inResolved(date, w));
}

/**
 * The first minute at or after `from` that is inside a window (to the minute), or undefined if none
 * within 8 days. Used to tell the operator how long the rollout will wait.
 */
export function nextWindowStart(from: Date, windows: readonly MaintenanceWindow[]): Date | undefined {
  const resolved = resolveWindows(windows);
  if (resolved.length === 0) return from;
  if (resolved.some((w) => inResolved(from, w))) return from;
  const first = new Date(Math.ceil(from.getTime() / 60_000) * 60_000);
  for (let t = first.getTime(); t < from.getTime() + 8 * 86_400_000; t += 60_000) {
    const d = new Date(t);
    if (resolved.some((w) => inResolved(d, w))) return d;
  }
  return undefined;
}
