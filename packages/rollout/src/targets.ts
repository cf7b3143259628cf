import { ValidationError, validateHostname, validateInteger } from '@fleet/core';

/** One node a rollout may update, with what the planner needs to know about its failure domains. */
export interface RolloutNode {
  /** Host name (RFC 1123 label): the key in progress records, logs and Consul (`consulNode` overrides). */
  name: string;
  /** Address to connect to; defaults to `name`. */
  host?: string;
  port?: number;
  cluster?: string;
  /** Rack (failure domain): at most `maxPerRack` nodes of one rack are updated at once. */
  rack?: string;
  role?: string;
  groups?: readonly string[];
  tags?: readonly string[];
  /** The node's name in Consul's catalog when it differs from `name`. */
  consulNode?: string;
}

/** Which nodes of an inventory to update. All given fields must match; a list matches any of its values. */
export interface TargetSelector {
  cluster?: string;
  roles?: readonly string[];
  groups?: readonly string[];
  tags?: readonly string[];
  racks?: readonly string[];
  names?: readonly string[];
}

const TEXT = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,127}$/;

function validateLabel(value: unknown, field: string): string {
  if (typeof value !== 'string' || !TEXT.test(value)) {
    throw new ValidationError(
      field,
      `${field} ${JSON.stringify(value)} must be 1-128 characters of A-Z a-z 0-9 _ . : / - starting with a letter or digit`,
    );
  }
  return value;
}

/** Validates one node record (names end up in file names, log lines and Consul keys). */
export function validateNode(node: RolloutNode, index = 0): RolloutNode {
  const field = `targets[${index}]`;
  if (typeof node !== 'object' || node === null) throw new ValidationError(field, `${field} must be a node object`);
  const name = validateHostname(node.name, `${field}.name`);
  const out: RolloutNode = { ...node, name };
  if (node.host !== undefined) validateLabel(node.host, `${field}.host`);
  if (node.port !== undefined) validateInteger(node.port, `${field}.port`, 1, 65535);
  if (node.cluster !== undefined) validateLabel(node.cluster, `${field}.cluster`);
  if (node.rack !== undefined) validateLabel(node.rack, `${field}.rack`);
  if (node.role !== undefined) validateLabel(node.role, `${field}.role`);
  if (node.consulNode !== undefined) validateLabel(node.consulNode, `${field}.consulNode`);
  for (const [i, g] of (node.groups ?? []).entries()) validateLabel(g, `${field}.groups[${i}]`);
  for (const [i, t] of (node.tags ?? []).entries()) validateLabel(t, `${field}.tags[${i}]`);
  return out;
}

function anyOf(wanted: readonly string[] | undefined, have: readonly string[]): boolean {
  return wanted === undefined || wanted.some((w) => have.includes(w));
}

/** The nodes of `inventory` that match `selector`, in inventory order. */
export function selectTargets(inventory: readonly RolloutNode[], selector: TargetSelector = {}): RolloutNode[] {
  return inventory.filter(
    (node) =>
      (selector.cluster === undefined || node.cluster === selector.cluster) &&
      anyOf(selector.roles, node.role === undefined ? [] : [node.role]) &&
      anyOf(selector.groups, node.groups ?? []) &&
      anyOf(selector.tags, node.tags ?? []) &&
      anyOf(selector.racks, node.rack === undefined ? [] : [node.rack]) &&
      anyOf(selector.names, [node.name]),
  );
}
