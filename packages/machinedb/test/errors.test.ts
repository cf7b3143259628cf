import { httpStatusOf, kindOfHttpStatus, NotFoundError, ValidationError } from '@fleet/core';
import { MACHINEDB_ERROR_STATUS, type MachineDbErrorCode } from '@fleet/machinedb-contract';
import { describe, expect, it } from 'vitest';
import { errorBody, httpStatusOfError, MachineDbError, MachineDbServerError, NodeNotFoundError } from '../src/index.js';

describe('MachineDbServerError', () => {
  it("answers each contract code with the contract's status, inside the status class of its kind", () => {
    for (const [code, status] of Object.entries(MACHINEDB_ERROR_STATUS)) {
      const error = new MachineDbServerError(code as MachineDbErrorCode, 'x');
      expect(httpStatusOfError(error), code).toBe(status);
      expect(error.kind, code).toBe(kindOfHttpStatus(status));
      // 412 and 409 are both conflicts: the kind's own status is in the same class. 429 is the exception: a
      // client told to wait is `unavailable` (503) for a while, yet the contract keeps the more precise 429.
      if (code !== 'TOO_MANY_REQUESTS')
        expect(Math.floor(httpStatusOf(error) / 100), code).toBe(Math.floor(status / 100));
      expect(error.retryable, code).toBe(status === 503);
    }
    expect(new NodeNotFoundError('n1').kind).toBe('not-found');
    expect(new MachineDbServerError('ILLEGAL_TRANSITION', 'x').kind).toBe('conflict');
    // A full pool keeps the contract's 503 but says waiting will not help.
    expect(new MachineDbServerError('ADDRESS_ALLOCATION_FAILED', 'full', { retryable: false }).retryable).toBe(false);
    expect(new MachineDbServerError('DATABASE_UNAVAILABLE', 'x')).toMatchObject({
      kind: 'unavailable',
      retryable: true,
    });
  });

  it('keeps the old name as a deprecated alias of the same class', () => {
    expect(MachineDbError).toBe(MachineDbServerError);
    expect(new NodeNotFoundError('n1')).toBeInstanceOf(MachineDbError);
  });

  it('answers other packages’ errors by their kind, never a 500 for a caller’s mistake', () => {
    expect(errorBody(new ValidationError('body.rack', 'bad rack')).status).toBe(400);
    expect(errorBody(new NotFoundError('prefix', '10.0.0.0/8')).status).toBe(404);
    const conflict = errorBody(new MachineDbServerError('CONFLICT', 'exists'));
    expect(conflict).toMatchObject({ status: 409, body: { code: 'CONFLICT', message: 'exists' } });
  });
});
