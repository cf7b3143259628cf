import { operations } from '@fleet/machinedb-contract';
import { describe, expect, it } from 'vitest';
import { EXPORT_PATH } from '../src/export-path.js';

describe('the inventory script', () => {
  it('asks the path the contract names for the whole Ansible document', () => {
    expect(operations.exportAnsibleInventory.method).toBe('GET');
    expect(EXPORT_PATH).toBe(operations.exportAnsibleInventory.path);
  });
});
