import { type ErrorKind, FleetError, type FleetErrorOptions, isFleetError } from '@fleet/core';

/** Every code an IpamError can carry; stable, so callers (HTTP, CLI) may switch on them. */
export type IpamErrorCode =
  | 'IPAM_INVALID_PREFIX'
  | 'IPAM_INVALID_ADDRESS'
  | 'IPAM_HOST_BITS_SET'
  | 'IPAM_FAMILY_MISMATCH'
  | 'IPAM_OVERLAP'
  | 'IPAM_PARENT_MISSING'
  | 'IPAM_KIND_MISMATCH'
  | 'IPAM_EXHAUSTED'
  | 'IPAM_HAS_CHILDREN'
  | 'IPAM_NOT_FOUND'
  | 'IPAM_DUPLICATE'
  | 'IPAM_INVALID_INPUT'
  | 'IPAM_IMPORT_INVALID'
  | 'IPAM_STORE_FAILED';

const KIND: Readonly<Record<IpamErrorCode, ErrorKind>> = {
  IPAM_INVALID_PREFIX: 'invalid',
  IPAM_INVALID_ADDRESS: 'invalid',
  IPAM_HOST_BITS_SET: 'invalid',
  IPAM_FAMILY_MISMATCH: 'invalid',
  IPAM_INVALID_INPUT: 'invalid',
  IPAM_IMPORT_INVALID: 'invalid',
  IPAM_OVERLAP: 'conflict',
  // The prefix exists but is of the wrong kind for the operation (allocating from an assignment).
  IPAM_KIND_MISMATCH: 'conflict',
  IPAM_EXHAUSTED: 'conflict',
  IPAM_HAS_CHILDREN: 'conflict',
  IPAM_DUPLICATE: 'conflict',
  IPAM_NOT_FOUND: 'not-found',
  IPAM_PARENT_MISSING: 'not-found',
  IPAM_STORE_FAILED: 'internal',
};

/** One bad row of an import: `row` is 1-based (for CSV, the header is row 0). */
export interface ImportRowError {
  row: number;
  code: IpamErrorCode;
  message: string;
}

/** The error every @fleet/ipam operation throws on purpose. Nothing is written when one is thrown. */
export class IpamError extends FleetError {
  override name = 'IpamError' as const;
  declare readonly code: IpamErrorCode;

  constructor(code: IpamErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, { kind: KIND[code], ...options });
  }
}

/** An import refused as a whole; `rows` lists every bad row with its reason. */
export class IpamImportError extends IpamError {
  override name = 'IpamError' as const;
  readonly rows: ImportRowError[];

  constructor(rows: ImportRowError[]) {
    const shown = rows
      .slice(0, 5)
      .map((r) => `row ${r.row}: ${r.message}`)
      .join('; ');
    const more = rows.length > 5 ? ` (and ${rows.length - 5} more)` : '';
    super('IPAM_IMPORT_INVALID', `import refused, nothing was written: ${shown}${more}`, { details: { rows } });
    this.rows = rows;
  }
}

/** True for an IpamError (or a copy from another install) carrying the given code, or any code. */
export function isIpamError(value: unknown, code?: IpamErrorCode): value is IpamError {
  if (!isFleetError(value) || !value.code.startsWith('IPAM_')) return false;
  return code === undefined || value.code === code;
}
