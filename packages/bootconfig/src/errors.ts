import { type ErrorKind, FleetError, type FleetErrorOptions } from '@fleet/core';

/** Stable codes of every error @fleet/bootconfig throws on purpose. */
export const BOOTCONFIG_ERROR_CODES = [
  'BOOTCONFIG_INVALID_INPUT',
  'BOOTCONFIG_ASN_OUT_OF_RANGE',
  'BOOTCONFIG_ASN_COLLISION',
  'BOOTCONFIG_ASN_UNKNOWN_LOCATION',
] as const;

export type BootconfigErrorCode = (typeof BOOTCONFIG_ERROR_CODES)[number];

/** Every bootconfig error is about its input: the node data, the site, the ASN policy. */
const KIND: Readonly<Record<BootconfigErrorCode, ErrorKind>> = {
  BOOTCONFIG_INVALID_INPUT: 'invalid',
  BOOTCONFIG_ASN_OUT_OF_RANGE: 'invalid',
  BOOTCONFIG_ASN_COLLISION: 'invalid',
  BOOTCONFIG_ASN_UNKNOWN_LOCATION: 'conflict',
};

/** Base class of bootconfig errors; `code` is one of {@link BOOTCONFIG_ERROR_CODES}. */
export class BootconfigError extends FleetError {
  override name = 'BootconfigError';
  declare readonly code: BootconfigErrorCode;

  constructor(code: BootconfigErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, { kind: KIND[code], ...options });
  }
}

/**
 * An input was refused before anything was rendered. `field` is the dotted path of the offending input
 * (`node.fabric[1].peerIpv4`). Values are never escaped: a value that could change the structure of a
 * generated file is refused with this error instead.
 */
export class BootconfigInputError extends BootconfigError {
  override name = 'BootconfigInputError' as const;
  readonly field: string;

  constructor(field: string, message: string, options: FleetErrorOptions = {}) {
    super('BOOTCONFIG_INVALID_INPUT', message, { ...options, details: { field, ...options.details } });
    this.field = field;
  }
}

/** True for a bootconfig error (any copy of the package); narrows `code`. */
export function isBootconfigError(value: unknown): value is BootconfigError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (BOOTCONFIG_ERROR_CODES as readonly string[]).includes((value as { code: string }).code)
  );
}
