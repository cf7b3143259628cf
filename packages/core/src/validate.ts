import { ValidationError } from './errors.js';

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function describe(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function requireString(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError(field, `${field} must be a string`);
  if (value.length === 0) throw new ValidationError(field, `${field} must not be empty`);
  return value;
}

/**
 * A single host name label per RFC 1123: ASCII letters, digits and inner hyphens, 1–63 characters.
 * Upper case is folded to lower case; anything else (dots, spaces, newlines, `;`, `$(`, backticks,
 * unicode look-alikes) is refused, never escaped.
 */
export function validateHostname(value: unknown, field = 'hostname'): string {
  const text = requireString(field, value).toLowerCase();
  if (text.length > 63) throw new ValidationError(field, `${field} ${describe(value)} is longer than 63 characters`);
  if (!LABEL.test(text)) {
    throw new ValidationError(
      field,
      `${field} ${describe(value)} is not a valid host name: use a-z, 0-9 and inner hyphens (RFC 1123)`,
    );
  }
  return text;
}

/** A fully qualified domain name: dot-separated RFC 1123 labels, at least two, at most 253 characters. */
export function validateFqdn(value: unknown, field = 'fqdn'): string {
  const text = requireString(field, value).toLowerCase().replace(/\.$/, '');
  if (text.length > 253) throw new ValidationError(field, `${field} ${describe(value)} is longer than 253 characters`);
  const labels = text.split('.');
  if (labels.length < 2) throw new ValidationError(field, `${field} ${describe(value)} needs a domain (host.example.org)`);
  for (const label of labels) {
    if (!LABEL.test(label)) {
      throw new ValidationError(field, `${field} ${describe(value)} has an invalid label ${describe(label)} (RFC 1123)`);
    }
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) {
    throw new ValidationError(field, `${field} ${describe(value)} has an all-numeric top-level label`);
  }
  return text;
}

/** A domain (for search lists and FQDN suffixes): like an FQDN but a single label is allowed. */
export function validateDomain(value: unknown, field = 'domain'): string {
  const text = requireString(field, value).toLowerCase().replace(/\.$/, '');
  if (text.length > 253) throw new ValidationError(field, `${field} ${describe(value)} is longer than 253 characters`);
  for (const label of text.split('.')) {
    if (!LABEL.test(label)) throw new ValidationError(field, `${field} ${describe(value)} is not a valid domain`);
  }
  return text;
}

const MAC = /^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/;
const MAC_BARE = /^[0-9a-f]{12}$/;
const MAC_DOTTED = /^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/;

/** A 48-bit MAC address in `aa:bb:cc:dd:ee:ff`, `aa-bb-…`, `aabb.ccdd.eeff` or bare form; returns `aa:bb:cc:dd:ee:ff`. */
export function validateMac(value: unknown, field = 'mac'): string {
  const text = requireString(field, value).toLowerCase();
  let hex: string;
  if (MAC.test(text)) hex = text.replace(/[:-]/g, '');
  else if (MAC_DOTTED.test(text)) hex = text.replace(/\./g, '');
  else if (MAC_BARE.test(text)) hex = text;
  else throw new ValidationError(field, `${field} ${describe(value)} is not a MAC address (aa:bb:cc:dd:ee:ff)`);
  return hex.match(/../g)!.join(':');
}

const BY_ID = /^\/dev\/disk\/by-(id|path|uuid|partuuid|label)\/[A-Za-z0-9][A-Za-z0-9._:+@-]*$/;

/**
 * A stable disk path under `/dev/disk/by-*`. `/dev/sdX` is refused: kernel names change between boots.
 */
export function validateDiskPath(value: unknown, field = 'diskPath'): string {
  const text = requireString(field, value);
  if (text.length > 255) throw new ValidationError(field, `${field} is longer than 255 characters`);
  if (!BY_ID.test(text) || text.includes('..')) {
    throw new ValidationError(
      field,
      `${field} ${describe(value)} is not a stable disk path: use /dev/disk/by-id/… (never /dev/sdX)`,
    );
  }
  return text;
}

const INTERFACE = /^[a-z][a-z0-9_.-]{0,14}$/;

/**
 * A network interface name as every rendered file can carry it (GRUB, iPXE, shell, netplan, bird):
 * `[a-z][a-z0-9_.-]{0,14}` (IFNAMSIZ: at most 15 characters). Refused, never escaped: spaces, `;`,
 * `$(…)`, quotes, `/`, upper case and unicode. MachineDB checks NIC names at inventory with this and
 * bootconfig checks them again at render time, so a stored node can always be rendered.
 */
export function validateInterfaceName(value: unknown, field = 'interface'): string {
  const text = requireString(field, value);
  if (!INTERFACE.test(text)) {
    throw new ValidationError(
      field,
      `${field} ${describe(value)} is not an interface name: use [a-z][a-z0-9_.-], at most 15 characters`,
    );
  }
  return text;
}

const IDENTIFIER = /^[a-z][a-z0-9_-]{0,62}$/;

/** A safe identifier for names that end up in files and commands: `[a-z][a-z0-9_-]{0,62}`. */
export function validateIdentifier(value: unknown, field = 'identifier'): string {
  const text = requireString(field, value);
  if (!IDENTIFIER.test(text)) {
    throw new ValidationError(
      field,
      `${field} ${describe(value)} must start with a-z and contain only a-z, 0-9, '_' and '-' (at most 63)`,
    );
  }
  return text;
}

/**
 * A free-text value that will be rendered into a config file or script line: printable ASCII without
 * quotes, backslashes, `$`, backticks, `;`, `{}` or control characters. Use for descriptions in comments.
 */
export function validateSafeText(value: unknown, field = 'text', maxLength = 200): string {
  if (typeof value !== 'string') throw new ValidationError(field, `${field} must be a string`);
  if (value.length > maxLength) throw new ValidationError(field, `${field} is longer than ${maxLength} characters`);
  if (/[^\x20-\x7e]|["'`$\\;{}]/.test(value)) {
    throw new ValidationError(field, `${field} ${describe(value)} contains characters not allowed in rendered files`);
  }
  return value;
}

/** An integer within [min, max]. */
export function validateInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(field, `${field} must be an integer from ${min} to ${max}, got ${describe(value)}`);
  }
  return value;
}

/** Runs a validator and reports success as a boolean, for filters and guards. */
export function isValid<T>(validator: (value: unknown) => T, value: unknown): boolean {
  try {
    validator(value);
    return true;
  } catch {
    return false;
  }
}
