import { FleetError, type FleetErrorOptions } from '@fleet/core';

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

export class StorageError extends FleetError {
  override name: string = 'StorageError';
  declare readonly code: StorageErrorCode;

  constructor(code: StorageErrorCode, message: string, options: FleetErrorOptions = {}) {
    super(code, message, options);
  }
}
