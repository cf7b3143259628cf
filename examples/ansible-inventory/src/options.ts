import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FleetError } from '@fleet/core';
import { NODE_STATES, type NodeState } from '@fleet/machinedb-contract';

/** The node states, from the contract (bundled into the script with the API paths it calls). */
export const NODE_STATE_NAMES = NODE_STATES;
export type NodeStateName = NodeState;

/** The groups the server builds itself, by their `groupBy` name. `tag` is extra (no tag groups by default). */
export const GROUP_BY_KEYS = ['group', 'role', 'site', 'rack', 'cluster', 'state', 'tag'] as const;
export type GroupByKey = (typeof GROUP_BY_KEYS)[number];
export const DEFAULT_GROUP_BY: readonly GroupByKey[] = ['group', 'role', 'site', 'rack', 'cluster', 'state'];

/** One group per value of a host variable (a dotted path): `{ key: 'fleet_location.room', prefix: 'room' }`. */
export interface KeyedGroup {
  key: string;
  /** Put before the value (`room` → `room_b2`); empty: the value alone. */
  prefix?: string;
  /** Between prefix and value. Default `_`. */
  separator?: string;
}

/** What `fleet-inventory.json` (or the environment) may set. Every field is optional. */
export interface InventoryOptionsInput {
  /** Which nodes are hosts at all: a list of states, or `all` (every state but decommissioned). Default `['deployed']`. */
  states?: NodeStateName[] | 'all';
  /** Which built-in groups to make. Default: group, role, site, rack, cluster, state. */
  groupBy?: GroupByKey[];
  keyedGroups?: KeyedGroup[];
  /**
   * Extra host variables: `name: template`. `{path}` is replaced by the host variable at that dotted path
   * (`{fleet_location.rack}`); a template that is one `{path}` alone keeps the value's type; text without
   * braces is taken as it is.
   */
  compose?: Record<string, string>;
}

export interface InventoryOptions {
  /** `null`: every state but decommissioned. */
  states: readonly NodeStateName[] | null;
  groupBy: readonly GroupByKey[];
  keyedGroups: ReadonlyArray<Required<KeyedGroup>>;
  compose: Readonly<Record<string, string>>;
  /** The file that was read, if any. */
  file: string | undefined;
}

const configError = (message: string): FleetError => new FleetError('INVENTORY_CONFIG', message, { kind: 'invalid' });
const PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/;
const VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GROUP_PART = /^[A-Za-z0-9_]*$/;

function list(where: string, value: unknown): string[] {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw configError(`${where} must be a list of names`);
}

function states(where: string, value: unknown): readonly NodeStateName[] | null {
  if (value === 'all') return null;
  const names = list(where, value);
  if (names.length === 0) throw configError(`${where} is empty: name at least one state, or "all"`);
  for (const n of names)
    if (!(NODE_STATE_NAMES as readonly string[]).includes(n))
      throw configError(`${where}: unknown state ${JSON.stringify(n)} (known: ${NODE_STATE_NAMES.join(', ')}, or all)`);
  return names as NodeStateName[];
}

function groupBy(where: string, value: unknown): GroupByKey[] {
  const names = list(where, value);
  for (const n of names)
    if (!(GROUP_BY_KEYS as readonly string[]).includes(n))
      throw configError(`${where}: unknown group key ${JSON.stringify(n)} (known: ${GROUP_BY_KEYS.join(', ')})`);
  return names as GroupByKey[];
}

function keyedGroups(where: string, value: unknown): Array<Required<KeyedGroup>> {
  if (!Array.isArray(value)) throw configError(`${where} must be a list of { key, prefix, separator }`);
  return value.map((entry, i) => {
    const at = `${where}[${i}]`;
    if (typeof entry !== 'object' || entry === null) throw configError(`${at} must be { key, prefix, separator }`);
    const { key, prefix = '', separator = '_', ...rest } = entry as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length > 0) throw configError(`${at}: unknown field ${JSON.stringify(unknown[0])}`);
    if (typeof key !== 'string' || !PATH.test(key))
      throw configError(`${at}.key must be a host variable path such as fleet_location.rack`);
    if (typeof prefix !== 'string' || !GROUP_PART.test(prefix))
      throw configError(`${at}.prefix must be letters, digits and _`);
    if (typeof separator !== 'string' || !GROUP_PART.test(separator))
      throw configError(`${at}.separator must be letters, digits and _`);
    return { key, prefix, separator };
  });
}

function compose(where: string, value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw configError(`${where} must map variable names to templates`);
  const out: Record<string, string> = {};
  for (const [name, template] of Object.entries(value)) {
    if (!VAR.test(name)) throw configError(`${where}: ${JSON.stringify(name)} is not a variable name`);
    if (typeof template !== 'string') throw configError(`${where}.${name} must be a string`);
    for (const m of template.matchAll(/\{([^}]*)\}/g))
      if (!PATH.test(m[1] ?? ''))
        throw configError(`${where}.${name}: {${m[1]}} is not a host variable path such as {fleet_location.rack}`);
    out[name] = template;
  }
  return out;
}

/**
 * Options from `FLEET_INVENTORY_CONFIG` (a JSON file; else `fleet-inventory.json` in the working directory
 * when there is one), then `FLEET_INVENTORY_STATES` and `FLEET_INVENTORY_GROUP_BY` (comma lists), which win.
 * Anything malformed is an INVENTORY_CONFIG error naming the field: the script exits 1 and Ansible fails.
 */
export function resolveInventoryOptions(
  env: Record<string, string | undefined>,
  cwd: string,
  read: (file: string) => string = (file) => readFileSync(file, 'utf8'),
): InventoryOptions {
  const explicit = env.FLEET_INVENTORY_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : join(cwd, 'fleet-inventory.json');
  let input: Record<string, unknown> = {};
  let file: string | undefined;
  let text: string | undefined;
  try {
    text = read(path);
  } catch (error) {
    if (explicit)
      throw configError(`cannot read FLEET_INVENTORY_CONFIG ${path} (${(error as { code?: string }).code ?? 'error'})`);
  }
  if (text !== undefined) {
    try {
      input = JSON.parse(text) as Record<string, unknown>;
    } catch (error) {
      throw configError(`${path} is not valid JSON (${(error as Error).message})`);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      throw configError(`${path} must hold a JSON object`);
    const known = ['states', 'groupBy', 'keyedGroups', 'compose'];
    for (const key of Object.keys(input))
      if (!known.includes(key))
        throw configError(`${path}: unknown key ${JSON.stringify(key)} (known: ${known.join(', ')})`);
    file = path;
  }
  const at = (key: string) => `${file ?? 'config'}: ${key}`;
  return {
    states:
      env.FLEET_INVENTORY_STATES !== undefined
        ? states('FLEET_INVENTORY_STATES', env.FLEET_INVENTORY_STATES)
        : input.states !== undefined
          ? states(at('states'), input.states)
          : ['deployed'],
    groupBy:
      env.FLEET_INVENTORY_GROUP_BY !== undefined
        ? groupBy('FLEET_INVENTORY_GROUP_BY', env.FLEET_INVENTORY_GROUP_BY)
        : input.groupBy !== undefined
          ? groupBy(at('groupBy'), input.groupBy)
          : [...DEFAULT_GROUP_BY],
    keyedGroups: input.keyedGroups !== undefined ? keyedGroups(at('keyedGroups'), input.keyedGroups) : [],
    compose: input.compose !== undefined ? compose(at('compose'), input.compose) : {},
    file,
  };
}
