/**
 * The contract's exportAnsibleInventory path. Spelled out rather than imported: loading the client and its
 * schemas costs more start-up time than the rest of `--list`; a test checks it against the contract.
 */
export const EXPORT_PATH = '/api/v1/export/ansible';
