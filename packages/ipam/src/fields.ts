import { validateIdentifier } from '@fleet/core';
import type { Family } from './address.js';
import { IpamError } from './errors.js';
import { type KeepFree, PREFIX_KINDS, PREFIX_STATUSES, type PrefixKind, type PrefixStatus } from './types.js';

function bad(field: string, message: string): IpamError {
  return new IpamError('IPAM_INVALID_INPUT', message, { details: { field } });
}

function show(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

/** VRF and pool names end up in URLs and CLI output: keep them to identifiers. */
export function checkName(value: unknown, field: string): string {
  try {
    return validateIdentifier(value, field);
  } catch (error) {
    throw new IpamError('IPAM_INVALID_INPUT', (error as Error).message, { cause: error, details: { field } });
  }
}

export function checkText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw bad(field, `${field} must be a string`);
  if (value.length > max) throw bad(field, `${field} is longer than ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(value))
    throw bad(field, `${field} ${show(value)} contains control characters (newlines, tabs …)`);
  return value;
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9_.:/+-]{0,63}$/;

export function checkTags(value: unknown, field = 'tags'): string[] {
  if (!Array.isArray(value)) throw bad(field, `${field} must be a list of strings`);
  if (value.length > 64) throw bad(field, `${field} has more than 64 entries`);
  const out: string[] = [];
  for (const tag of value) {
    if (typeof tag !== 'string' || !TAG.test(tag)) {
      throw bad(field, `tag ${show(tag)} is not valid: use letters, digits and _ . : / + - (at most 64)`);
    }
    if (!out.includes(tag)) out.push(tag);
  }
  return out;
}

const NODE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function checkNode(value: unknown, field = 'node'): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !NODE.test(value)) {
    throw bad(field, `${field} ${show(value)} is not a node reference (letters, digits, . _ : -)`);
  }
  return value;
}

export function checkTime(value: unknown, field = 'expiresAt'): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw bad(field, `${field} ${show(value)} is not an ISO date-time (2026-12-31T00:00:00Z)`);
  }
  return new Date(value).toISOString();
}

export function checkKind(value: unknown, field = 'kind'): PrefixKind {
  if (!PREFIX_KINDS.includes(value as PrefixKind)) {
    throw bad(field, `${field} ${show(value)} must be one of ${PREFIX_KINDS.join(', ')}`);
  }
  return value as PrefixKind;
}

export function checkStatus(value: unknown, field = 'status'): PrefixStatus {
  if (!PREFIX_STATUSES.includes(value as PrefixStatus)) {
    throw bad(field, `${field} ${show(value)} must be one of ${PREFIX_STATUSES.join(', ')}`);
  }
  return value as PrefixStatus;
}

export function checkFamily(value: unknown, field = 'family'): Family {
  if (value !== 4 && value !== 6) throw bad(field, `${field} ${show(value)} must be 4 or 6`);
  return value;
}

export function checkLength(value: unknown, family: Family, field = 'length'): number {
  const max = family === 4 ? 32 : 128;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new IpamError(
      'IPAM_INVALID_INPUT',
      `${field} ${show(value)} is not a prefix length for IPv${family} (0–${max})`,
      {
        details: { field },
      },
    );
  }
  return value;
}

export function checkCount(value: unknown, field = 'count'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 100_000) {
    throw bad(field, `${field} ${show(value)} must be an integer from 1 to 100000`);
  }
  return value;
}

export function checkKeepFree(value: unknown, base: KeepFree, field = 'keepFree'): KeepFree {
  if (value === undefined) return base;
  if (typeof value !== 'object' || value === null) throw bad(field, `${field} must be an object`);
  const v = value as Partial<Record<keyof KeepFree, unknown>>;
  const out: KeepFree = { ...base };
  if (v.network !== undefined) {
    if (typeof v.network !== 'boolean') throw bad(`${field}.network`, `${field}.network must be true or false`);
    out.network = v.network;
  }
  if (v.broadcast !== undefined) {
    if (typeof v.broadcast !== 'boolean') throw bad(`${field}.broadcast`, `${field}.broadcast must be true or false`);
    out.broadcast = v.broadcast;
  }
  if (v.gateways !== undefined) {
    if (typeof v.gateways !== 'number' || !Number.isInteger(v.gateways) || v.gateways < 0 || v.gateways > 1024) {
      throw bad(`${field}.gateways`, `${field}.gateways ${show(v.gateways)} must be an integer from 0 to 1024`);
    }
    out.gateways = v.gateways;
  }
  return out;
}
