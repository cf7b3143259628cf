import { type ErrorKind, FleetError, type FleetErrorOptions } from '@fleet/core';

/** Stable codes of every error @fleet/storage throws on purpose. */
export type StorageErrorCode =
  | 'STORAGE_INVALID_PROFILE'
  | 'STORAGE_INVALID_INVENTORY'
  | 'STORAGE_DISK_NOT_FOUND'
  | 'STORAGE_DISK_AMBIGUOUS'
  | 'STORAGE_INSUFFICIENT_SPACE'
  | 'STORAGE_STATE_UNREADABLE'
  | 'STORAGE_CONFLICT'
  | 'STORAGE_NOT_ALLOWED'
  | 'STORAGE_STEP_FAILED';

/** The profile, the inventory and the overrides are the caller's input; a disk's state is the node's. */
const KIND: Readonly<Record<StorageErrorCode, ErrorKind>> = {
  STORAGE_INVALID_PROFILE: 'invalid',
  STORAGE_INVALID_INVENTORY: 'invalid',
  STORAGE_DISK_NOT_FOUND: 'invalid',
  STORAGE_DISK_AMBIGUOUS: 'invalid',
  STORAGE_INSUFFICIENT_SPACE: 'invalid',
  STORAGE_STATE_UNREADABLE: 'internal',
  STORAGE_CONFLICT: 'conflict',
  // The plan needs an override (allowDestructive …) the caller did not give.
  STORAGE_NOT_ALLOWED: 'invalid',
  STORAGE_STEP_FAILED: 'internal',
};

export class StorageError extends FleetError {
  override name: string = 'StorageError';
  declare readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, { kind: KIND[code], ...options });
  }
}
