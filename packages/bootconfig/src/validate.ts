import {
  isFleetError,
  validateDiskPath,
  validateDomain,
  validateHostname,
  validateIdentifier,
  validateInteger,
  validateInterfaceName,
  validateMac,
} from '@fleet/core';
import { BootconfigInputError } from './errors.js';
import { validateIp } from './ip.js';

function show(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/** Runs a @fleet/core validator and re-raises its refusal as BOOTCONFIG_INVALID_INPUT for the same field. */
function viaCore<T>(validator: (value: unknown, field: string) => T, value: unknown, field: string): T {
  try {
    return validator(value, field);
  } catch (error) {
    if (isFleetError(error)) throw new BootconfigInputError(field, error.message, { cause: error });
    throw error;
  }
}

export const checkHostname = (value: unknown, field: string): string => viaCore(validateHostname, value, field);
export const checkDomain = (value: unknown, field: string): string => viaCore(validateDomain, value, field);
/** `aa:bb:cc:dd:ee:ff` in lower case: the form `validateMac` returns, which it returns unchanged. */
function isCanonicalMac(text: string): boolean {
  if (text.length !== 17) return false;
  for (let i = 0; i < 17; i++) {
    const ch = text.charCodeAt(i);
    if (i % 3 === 2 ? ch !== 58 : !((ch >= 48 && ch <= 57) || (ch >= 97 && ch <= 102))) return false;
  }
  return true;
}

// Stored MACs are already canonical: those skip core's regexes and re-grouping (same result); anything
// else, including every refusal, goes through `validateMac`.
export const checkMac = (value: unknown, field: string): string =>
  typeof value === 'string' && isCanonicalMac(value) ? value : viaCore(validateMac, value, field);
export const checkDiskPath = (value: unknown, field: string): string => viaCore(validateDiskPath, value, field);
export const checkIdentifier = (value: unknown, field: string): string => viaCore(validateIdentifier, value, field);
export const checkInteger = (value: unknown, field: string, min: number, max: number): number =>
  viaCore((v, f) => validateInteger(v, f, min, max), value, field);

function requireString(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new BootconfigInputError(field, `${field} must be a non-empty string`);
  }
  return value;
}

export function checkArray(value: unknown, field: string, min = 0, max = 64): unknown[] {
  if (!Array.isArray(value)) throw new BootconfigInputError(field, `${field} must be a list`);
  if (value.length < min || value.length > max) {
    throw new BootconfigInputError(field, `${field} must have ${min} to ${max} entries, got ${value.length}`);
  }
  return value;
}

export function checkObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BootconfigInputError(field, `${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

// Characters safe in every file we render (GRUB, iPXE, shell in single quotes, debconf, YAML, bird):
// no whitespace, quotes, `$`, backtick, `;`, `&`, `|`, `#`, `{}`, `()`, `<>`, `\`, `?`, `*`, `!`.
const URL_CHARS = /^[A-Za-z0-9._~:/%+=,[\]-]+$/;

// Fleets repeat the same mirror, proxy and key strings on every node: remember the ones already
// accepted (only successes, keyed by the exact string, so a cache hit is the same decision).
const MEMO_LIMIT = 4096;
const acceptedUrls = new Map<string, string>();
const acceptedKeys = new Set<string>();

function remember<T>(memo: Map<string, T>, key: string, value: T): T {
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(key, value);
  return value;
}

/**
 * An http(s) URL without credentials, query or fragment, from an allow-listed character set. Returns it
 * without a trailing slash, so callers can append paths.
 */
export function checkUrl(value: unknown, field: string): string {
  const known = typeof value === 'string' ? acceptedUrls.get(value) : undefined;
  if (known !== undefined) return known;
  const text = requireString(value, field);
  if (text.length > 512 || !URL_CHARS.test(text)) {
    throw new BootconfigInputError(
      field,
      `${field} ${show(value)} contains characters not allowed in rendered URLs (allowed: A-Z a-z 0-9 . _ ~ : / % + = , [ ] -)`,
    );
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch (cause) {
    throw new BootconfigInputError(field, `${field} ${show(value)} is not a URL (http://host[:port]/path)`, { cause });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !text.startsWith(`${url.protocol}//`)) {
    throw new BootconfigInputError(field, `${field} ${show(value)} must be an http:// or https:// URL`);
  }
  // WHATWG URL parsing skips extra slashes (`http:///debian` → host `debian`): the text itself must name a host.
  if (url.hostname === '' || text.charAt(url.protocol.length + 2) === '/' || url.username !== '' || url.password !== '') {
    throw new BootconfigInputError(field, `${field} ${show(value)} needs a host and must not carry credentials`);
  }
  return remember(acceptedUrls, text, text.replace(/\/+$/, ''));
}

/** An absolute path with plain segments (`/live/vmlinuz`); `..` is refused. */
export function checkAbsolutePath(value: unknown, field: string): string {
  const text = requireString(value, field);
  if (text.length > 255 || !/^(?:\/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)+\/?$/.test(text)) {
    throw new BootconfigInputError(
      field,
      `${field} ${show(value)} must be an absolute path of segments made of A-Z a-z 0-9 . _ + - (no ..)`,
    );
  }
  return text;
}

const KERNEL_ARG = /^[A-Za-z0-9_][A-Za-z0-9_.,:/=+@-]{0,255}$/;

/**
 * Kernel command-line arguments, one per list entry, from an allow-listed character set: no spaces,
 * quotes, `$`, `;`, `#`, `{}` or backticks — GRUB, iPXE and the kernel would each read those differently.
 */
export function checkKernelArgs(value: unknown, field: string): string[] {
  return checkArray(value, field, 0, 64).map((arg, i) => {
    if (typeof arg !== 'string' || !KERNEL_ARG.test(arg)) {
      throw new BootconfigInputError(
        `${field}[${i}]`,
        `${field}[${i}] ${show(arg)} is not an allowed kernel argument (one argument per entry; A-Z a-z 0-9 _ . , : / = + @ -)`,
      );
    }
    return arg;
  });
}

const SSH_KEY_TYPES = new Set([
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
]);
const SSH_KEY = /^([a-z0-9@.-]+) (AAAA[A-Za-z0-9+/]+={0,2})(?: ([A-Za-z0-9._@+:-]{1,100}))?$/;

/**
 * An OpenSSH public key line `type base64 [comment]`. The type must be known and must match the type
 * encoded inside the key blob; options (`command="…"`) and odd comments are refused.
 */
export function checkSshPublicKey(value: unknown, field: string): string {
  if (typeof value === 'string' && acceptedKeys.has(value)) return value;
  const text = requireString(value, field);
  const match = text.length <= 16_384 ? SSH_KEY.exec(text) : null;
  const type = match?.[1] ?? '';
  const blob = match?.[2] ?? '';
  if (!match || !SSH_KEY_TYPES.has(type)) {
    throw new BootconfigInputError(
      field,
      `${field} ${show(value)} is not an SSH public key line (ssh-ed25519|ssh-rsa|ecdsa-sha2-… AAAA… [comment]); options are not allowed`,
    );
  }
  const bytes = Buffer.from(blob, 'base64');
  const length = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (length !== type.length || bytes.subarray(4, 4 + length).toString('latin1') !== type) {
    throw new BootconfigInputError(field, `${field} ${show(value)} has a key blob that does not encode type ${type}`);
  }
  if (acceptedKeys.size >= MEMO_LIMIT) acceptedKeys.clear();
  acceptedKeys.add(text);
  return text;
}

/** A token the installer presents to the MachineDB: URL- and shell-safe characters only. */
export function checkToken(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._~-]{16,256}$/.test(value)) {
    // Never echo a token: it is a credential.
    throw new BootconfigInputError(field, `${field} must be 16–256 characters of A-Z a-z 0-9 . _ ~ -`);
  }
  return value;
}

/** A Consul gossip encryption key: base64 of 16, 24 or 32 bytes. */
export function checkConsulKey(value: unknown, field: string): string {
  const ok =
    typeof value === 'string' &&
    /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(value) &&
    [16, 24, 32].includes(Buffer.from(value, 'base64').length);
  if (!ok) throw new BootconfigInputError(field, `${field} must be base64 of 16, 24 or 32 bytes (consul keygen)`);
  return value as string;
}

/** A BMC password: printable ASCII without whitespace or quotes, 8–64 characters. */
export function checkBmcPassword(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[\x21-\x7e]{8,64}$/.test(value) || /["'`\\]/.test(value)) {
    throw new BootconfigInputError(
      field,
      `${field} must be 8–64 printable ASCII characters without spaces, quotes or backslashes`,
    );
  }
  return value;
}

/** A POSIX user name as Debian's adduser accepts it by default. */
export function checkUserName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[a-z_][a-z0-9_-]{0,31}$/.test(value)) {
    throw new BootconfigInputError(field, `${field} ${show(value)} must match [a-z_][a-z0-9_-]{0,31}`);
  }
  return value;
}

// crypt(3) as libxcrypt writes it: SHA-crypt `$5$`/`$6$` with an optional `rounds=N$`, yescrypt `$y$`,
// gost-yescrypt `$gy$` and scrypt `$7$` (parameters, salt and hash in crypt's base64 alphabet).
const CRYPT_HASH =
  /^(?:\$[56]\$(?:rounds=[1-9][0-9]{3,8}\$)?[./A-Za-z0-9]{1,16}\$[./A-Za-z0-9]{43,86}|\$(?:y|gy|7)\$[./A-Za-z0-9]{1,64}\$[./A-Za-z0-9]{1,86}(?:\$[./A-Za-z0-9]{1,86})?)$/;

/** A crypt(3) password hash (`$6$…`, `$6$rounds=N$…`, `$y$…`), or `!` for a locked password. */
export function checkPasswordHash(value: unknown, field: string): string {
  if (typeof value !== 'string' || !(value === '!' || CRYPT_HASH.test(value))) {
    // A hash is still a secret-ish credential: do not echo it.
    throw new BootconfigInputError(field, `${field} must be a crypt(3) hash ($6$…, $y$…) or "!" for no password`);
  }
  return value;
}

/** A MachineDB node id, as its API accepts it in paths. */
export function checkNodeId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9_-]{0,63}$/.test(value)) {
    throw new BootconfigInputError(field, `${field} ${show(value)} must match [a-z0-9][a-z0-9_-]{0,63}`);
  }
  return value;
}

/** A network interface name: @fleet/core's `validateInterfaceName`, the rule MachineDB applies at inventory. */
export const checkInterfaceName = (value: unknown, field: string): string =>
  viaCore(validateInterfaceName, value, field);

/** A Debian package name (policy §5.6.1). */
export function checkPackageName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[a-z0-9][a-z0-9+.-]{1,99}$/.test(value)) {
    throw new BootconfigInputError(field, `${field} ${show(value)} is not a Debian package name`);
  }
  return value;
}

/** A time zone name like `Etc/UTC` or `Europe/Berlin`. */
export function checkTimezone(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/.test(value)) {
    throw new BootconfigInputError(field, `${field} ${show(value)} is not a time zone name (Etc/UTC)`);
  }
  return value;
}

/** A host to join or reach: an IP address (canonicalised) or a DNS name. */
export function checkHostOrIp(value: unknown, field: string): string {
  if (typeof value === 'string' && /^[0-9a-fA-F:.]+$/.test(value) && /[:]|^[0-9.]+$/.test(value)) {
    return validateIp(value, field).address;
  }
  return checkDomain(value, field);
}

/** Any public or private 32-bit ASN except 0 and 4294967295 (reserved). */
export function checkAsn(value: unknown, field: string): number {
  return checkInteger(value, field, 1, 4_294_967_294);
}
