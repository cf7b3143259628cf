import { str, type Values } from './command.js';
import { usageError } from './errors.js';

export function intFlag(values: Values, name: string, min: number, max: number): number | undefined {
  const text = str(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw usageError(`--${name} must be an integer ${min}..${max}, got ${JSON.stringify(text)}`);
  return n;
}

export function numberFlag(values: Values, name: string, min: number): number | undefined {
  const text = str(values, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min)
    throw usageError(`--${name} must be a number >= ${min}, got ${JSON.stringify(text)}`);
  return n;
}

export function listFlag(values: Values, name: string): string[] | undefined {
  const text = str(values, name);
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function requireFlag(values: Values, name: string, hint: string): string {
  const v = str(values, name);
  if (v === undefined || v === '') throw usageError(`--${name} is required: ${hint}`);
  return v;
}

export function requirePositional(positionals: string[], index: number, what: string): string {
  const v = positionals[index];
  if (v === undefined || v === '') throw usageError(`missing ${what}`);
  return v;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw usageError(`${what} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}
