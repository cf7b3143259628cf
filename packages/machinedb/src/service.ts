import { createHmac, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  isDatabaseUnavailable,
  isFleetError,
  type Logger,
  silentLogger,
  validateHostname,
  validateIdentifier,
  validateInterfaceName,
  validateMac,
} from '@fleet/core';
import type {
  Actor,
  AnsibleExportQuery,
  AnsibleGroup,
  AnsibleInventory,
  BmcCredentials,
  BootTargetResponse,
  CreateTokenRequest,
  CreateUserRequest,
  HistoryEntry,
  Inventory,
  InventoryResponse,
  IssuedToken,
  Location,
  LoginResponse,
  Node,
  NodeConfig,
  NodeDetail,
  NodeEvent,
  NodeEventResponse,
  NodeListQuery,
  NodeState,
  NodeUpdate,
  Page,
  PageQuery,
  Principal,
  SystemDiskHint,
  TokenInfo,
  TransitionRequest,
  User,
} from '@fleet/machinedb-contract';
import type { AddressAllocator, AddressPurpose } from './addresses.js';
import { CredentialCache } from './credential-cache.js';
import {
  AuthError,
  IllegalTransitionError,
  invalidInput,
  MachineDbServerError,
  NodeNotFoundError,
  PreconditionFailedError,
  StoreConflictError,
} from './errors.js';
import { type LdapOptions, ldapAuthenticate } from './ldap.js';
import {
  allowedTransitions,
  assertTransition,
  DEFAULT_STATE_TIMEOUTS,
  EVENT_TRANSITIONS,
  nextBootTarget,
  type StateTimeouts,
  timeoutReason,
} from './lifecycle.js';
import { NodeStateCounts } from './node-counts.js';
import { LoginLimiter, type LoginLimiterOptions } from './rate-limit.js';
import {
  decryptSecret,
  encryptSecret,
  generateBmcPassword,
  hashPassword,
  hashToken,
  parseServerKey,
  randomSecret,
  sameHash,
  verifyPassword,
} from './secrets.js';
import type { NewHistoryEntry, NodeRecord, Store, TokenRecord } from './store/types.js';

const gzipAsync = promisify(gzip);

export interface MachineDbOptions {
  store: Store;
  /** 32-byte key sealing BMC passwords (Buffer, hex or base64). Losing it loses the stored passwords. */
  serverKey: Buffer | string;
  /** Hands out BMC (and node) addresses when a node becomes ready-for-bmc. */
  allocator: AddressAllocator;
  /** Which addresses to allocate at ready-for-bmc (default `['bmc']`). */
  addressPurposes?: AddressPurpose[];
  /** Local users in the database (default true). */
  localUsers?: boolean;
  ldap?: LdapOptions;
  /**
   * Shared secret a live system presents (as a bearer token) to enrol; it is swapped for a per-node token.
   * Without it, enrolment is open to anyone who can reach the server.
   */
  provisioningSecret?: string;
  /**
   * New nodes enrol in `new` and get nothing beyond the live system until an admin accepts them
   * (`transitionNode` to `inventoried`). Default false: new nodes enrol straight into `inventoried`.
   */
  requireAcceptance?: boolean;
  /** BMC account MachineDB configures (default `fleet`), its IPMI channel (1) and user slot (3). */
  bmcUser?: string;
  bmcChannel?: number;
  bmcUserId?: number;
  /** Seconds a node may stay in a state before `sweepTimeouts` fails it. */
  stateTimeouts?: StateTimeouts;
  sessionTtlSeconds?: number;
  /** Failed-login backoff per user and per source address (see `LoginLimiter`); pass one to share it. */
  loginLimiter?: LoginLimiter | LoginLimiterOptions;
  /**
   * Checks a node's location against what its boot files need (the server wires the site's ASN scheme),
   * run when an admin sets the location or roles. A FleetError it throws is answered as 400
   * VALIDATION_FAILED for `location.rack` with its message, so the mistake is refused when made,
   * not found when the node netboots.
   */
  checkLocation?: LocationCheck;
  logger?: Logger;
  now?: () => Date;
}

/** See `MachineDbOptions.checkLocation`: throws (a FleetError saying what to fix) when the location cannot be used. */
export type LocationCheck = (location: Location, roles: readonly string[]) => void | Promise<void>;

export interface ResolvedMachineDbOptions {
  store: Store;
  serverKey: Buffer;
  allocator: AddressAllocator;
  addressPurposes: AddressPurpose[];
  localUsers: boolean;
  ldap: LdapOptions | null;
  provisioningSecret: string | null;
  requireAcceptance: boolean;
  bmcUser: string;
  bmcChannel: number;
  bmcUserId: number;
  stateTimeouts: StateTimeouts;
  sessionTtlSeconds: number;
  checkLocation: LocationCheck | null;
  logger: Logger;
  now: () => Date;
}

/** Fills defaults and checks every field; throws a VALIDATION_FAILED error naming the bad one. */
export function resolveMachineDbOptions(options: MachineDbOptions): ResolvedMachineDbOptions {
  if (!options.store)
    throw invalidInput('store', 'store is required: pass createSqliteStore() or createPostgresStore()');
  if (!options.allocator)
    throw invalidInput('allocator', 'allocator is required: pass createMemoryAllocator() or an IPAM adapter');
  const bmcUser = options.bmcUser ?? 'fleet';
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,15}$/.test(bmcUser)) {
    throw invalidInput('bmcUser', `bmcUser ${JSON.stringify(bmcUser)} must be 1-16 letters, digits, '_', '.', '-'`);
  }
  if (options.provisioningSecret !== undefined && options.provisioningSecret.length < 16) {
    throw invalidInput('provisioningSecret', 'provisioningSecret must be at least 16 characters');
  }
  for (const [state, seconds] of Object.entries(options.stateTimeouts ?? {})) {
    if (!Number.isFinite(seconds) || seconds <= 0) {
      throw invalidInput(`stateTimeouts.${state}`, `stateTimeouts.${state} must be a positive number of seconds`);
    }
  }
  return {
    store: options.store,
    serverKey: parseServerKey(options.serverKey),
    allocator: options.allocator,
    addressPurposes: options.addressPurposes ?? ['bmc'],
    localUsers: options.localUsers ?? true,
    ldap: options.ldap ?? null,
    provisioningSecret: options.provisioningSecret ?? null,
    requireAcceptance: options.requireAcceptance ?? false,
    bmcUser,
    bmcChannel: options.bmcChannel ?? 1,
    bmcUserId: options.bmcUserId ?? 3,
    stateTimeouts: options.stateTimeouts ?? DEFAULT_STATE_TIMEOUTS,
    sessionTtlSeconds: options.sessionTtlSeconds ?? 12 * 3600,
    checkLocation: options.checkLocation ?? null,
    logger: options.logger ?? silentLogger,
    now: options.now ?? (() => new Date()),
  };
}

/** Who is calling, as the routes see it. `enrol` is a live system holding the provisioning secret (or none needed). */
export type Caller =
  | { kind: 'user'; principal: Principal; actor: Actor }
  | { kind: 'node'; principal: Principal; actor: Actor; nodeId: string; record: NodeRecord }
  | { kind: 'enrol' };

// Placeholder UUIDs that cheap boards ship by the thousand: never an identity on their own.
const PLACEHOLDER_UUIDS = new Set(['03000200-0400-0500-0006-000700080009']);
function isPlaceholderUuid(uuid: string): boolean {
  return PLACEHOLDER_UUIDS.has(uuid) || /^([0-9a-f])\1{7}-\1{4}-\1{4}-\1{4}-\1{12}$/.test(uuid);
}

// Serial numbers boards report when the vendor left them blank: never an identity.
const PLACEHOLDER_SERIALS =
  /^(|0+|1234567890|0123456789|none|n\/a|na|default string|not specified|not applicable|to be filled by o\.e\.m\.|system serial number|chassis serial number|serial number|empty|unknown|x+)$/i;
function isIdentifyingSerial(serial: string | null | undefined): serial is string {
  return typeof serial === 'string' && !PLACEHOLDER_SERIALS.test(serial.trim());
}

function identityClaimed(nodeId: string, why: string): MachineDbServerError {
  return new MachineDbServerError(
    'NODE_IDENTITY_CLAIMED',
    `${why}, which belongs to enrolled node ${nodeId}: re-enrol with that node's token, or have an admin reset its identity (POST /api/v1/nodes/${nodeId}/identity-reset)`,
    { details: { nodeId } },
  );
}

const NODE_TOKEN_PREFIX = 'mdbn';
const API_TOKEN_PREFIX = 'mdbt';
const INSTALL_TOKEN_PREFIX = 'mdbi';
/** States in which an install token is accepted: from BMC configured until the installer reports back. */
const INSTALL_TOKEN_STATES: readonly NodeState[] = ['bmc-configured', 'installing'];

function newNodeId(now: Date): string {
  // Time-ordered, so listing by id lists by enrolment; lower-case alphanumerics only.
  return `n${now.getTime().toString(36).padStart(9, '0')}${randomBytes(5).toString('hex')}`;
}

function encodeCursor(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64url');
}
function decodeCursor(cursor: string | undefined, check: RegExp): string | null {
  if (cursor === undefined) return null;
  const value = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!check.test(value)) throw invalidInput('cursor', 'cursor is not one this server issued: start again without it');
  return value;
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      b[key] = before[key] ?? null;
      a[key] = after[key] ?? null;
    }
  }
  return { before: b, after: a };
}

/** The admin/viewer view of a node: no token hash, no password (only whether one is set). */
export function nodeView(record: NodeRecord): Node {
  return {
    id: record.id,
    systemUuid: record.systemUuid,
    serial: record.serial,
    macs: record.macs,
    hostname: record.hostname,
    fqdn: record.fqdn,
    cluster: record.cluster,
    roles: record.roles,
    groups: record.groups,
    tags: record.tags,
    asn: record.asn,
    location: record.location,
    systemDisk: record.systemDisk,
    bmc: record.bmc
      ? { address: record.bmc.address, user: record.bmc.user, passwordSet: record.bmc.passwordSealed !== null }
      : null,
    addresses: record.addresses,
    state: record.state,
    stateReason: record.stateReason,
    stateSince: record.stateSince,
    bootTarget: nextBootTarget(record.state),
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    version: record.version,
  };
}

function historyView(record: NodeRecord): Record<string, unknown> {
  const { version, updatedAt, createdAt, ...rest } = nodeView(record);
  return rest;
}

/** Runs a @fleet/core validator (the renderers' rule) and re-raises its refusal as VALIDATION_FAILED for the field. */
function checkRenderable(field: string, value: unknown, validate: (v: unknown, f: string) => string): string {
  try {
    return validate(value, field);
  } catch (error) {
    if (isFleetError(error)) throw invalidInput(field, error.message);
    throw error;
  }
}

/** The disk's /dev/disk/by-id name that carries the hint (the `wwn-…` link for a WWN), else its first one. */
function pickByIdPath(hint: SystemDiskHint, disk: Inventory['disks'][number]): string | undefined {
  const byId = disk.byId.filter((p) => p.startsWith('/dev/disk/by-id/'));
  const carrying = (text: string | undefined) => (text ? byId.find((p) => p.includes(text)) : undefined);
  return (hint.wwn ? carrying(hint.wwn) : undefined) ?? carrying(hint.serial) ?? byId[0];
}

function diskMatches(hint: SystemDiskHint, disk: Inventory['disks'][number]): boolean {
  if (hint.serial !== undefined && hint.serial !== disk.serial) return false;
  if (hint.wwn !== undefined && hint.wwn !== disk.wwn) return false;
  if (hint.sizeBytes !== undefined && hint.sizeBytes !== disk.sizeBytes) return false;
  if (hint.byId !== undefined && !disk.byId.includes(hint.byId) && !(disk.byPath ?? []).includes(hint.byId)) {
    return false;
  }
  return true;
}

interface Mutation {
  record: NodeRecord;
  action: string;
  reason: string | null;
  inventory?: Inventory;
  /** Extra non-secret facts for the history entry (`nodeToken: 'issued'`). */
  note?: Record<string, unknown>;
}

const MAX_RETRIES = 8;

/**
 * The MachineDB: every rule about nodes lives here (identity, lifecycle, addresses, secrets, auth);
 * the store persists and the HTTP routes translate. Create with `createMachineDb`.
 */
/** The serialised Ansible inventory: UTF-8 JSON, the same gzip-compressed, and a weak ETag. */
export interface AnsibleExportBody {
  json: Buffer;
  gzip: Buffer;
  etag: string;
}

export class MachineDb {
  readonly options: ResolvedMachineDbOptions;
  readonly store: Store;
  private readonly key: Buffer;
  readonly loginLimiter: LoginLimiter;
  /** A password hash to verify against when the user does not exist, so that costs as long as a wrong password. */
  private dummyHash: Promise<string> | null = null;
  /** Serialised Ansible exports by query, each with the nodes mark it was built at. */
  private readonly exportCache = new Map<string, { mark: string; json: Promise<{ json: Buffer; gzip: Buffer }> }>();
  /** Passwords verified in the last minute, under a keyed hash: Basic auth without a hash per request. */
  private readonly verified = new CredentialCache();
  /** Nodes per state, kept on every change (for metrics). */
  private readonly stateCounts: NodeStateCounts;

  constructor(options: MachineDbOptions) {
    this.options = resolveMachineDbOptions(options);
    this.store = this.options.store;
    this.key = this.options.serverKey;
    this.loginLimiter =
      options.loginLimiter instanceof LoginLimiter ? options.loginLimiter : new LoginLimiter(options.loginLimiter);
    this.stateCounts = new NodeStateCounts(this.store);
  }

  /**
   * Nodes per lifecycle state (states without nodes left out), from counters this server keeps on every
   * change; one aggregate query proves them current, and they are recounted only when another server
   * sharing the database wrote. Cheap enough for every metrics scrape.
   */
  async nodeCountsByState(): Promise<Record<string, number>> {
    return await this.stateCounts.read();
  }

  private nowIso(): string {
    return this.options.now().toISOString();
  }

  private async load(id: string): Promise<NodeRecord> {
    const record = await this.store.getNode(id);
    if (!record) throw new NodeNotFoundError(id);
    return record;
  }

  /**
   * Read-modify-write with optimistic concurrency. `change` gets a fresh copy each attempt and returns
   * the mutation (or null for "nothing to do"). With `expectedVersion`, a stale version is a 412 instead
   * of a retry: that is what If-Match means.
   */
  /** The store's update; the host-name index's refusal (a rename raced another) becomes 409 naming the name. */
  private async writeNode(
    next: NodeRecord,
    expected: number,
    inventory: Inventory | undefined,
    entry: NewHistoryEntry,
  ): Promise<boolean> {
    try {
      return await this.store.updateNode(next, expected, inventory, entry);
    } catch (error) {
      if (error instanceof StoreConflictError && error.details.what === 'host name') {
        throw new MachineDbServerError(
          'CONFLICT',
          `hostname ${next.hostname} is already another live node's: pick another (decommissioned nodes free their names)`,
          { details: { field: 'hostname', nodeId: next.id } },
        );
      }
      throw error;
    }
  }

  private async mutate(
    id: string,
    actor: Actor,
    change: (current: NodeRecord) => Promise<Mutation | null>,
    expectedVersion?: number,
  ): Promise<NodeRecord> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.load(id);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new PreconditionFailedError(id, expectedVersion, current.version);
      }
      const result = await change(structuredClone(current));
      if (!result) return current;
      const now = this.nowIso();
      const next: NodeRecord = { ...result.record, version: current.version + 1, updatedAt: now };
      if (next.state !== current.state) next.stateSince = now;
      const { before, after } = diff(historyView(current), historyView(next));
      const entry: NewHistoryEntry = {
        nodeId: id,
        at: now,
        actor,
        action: result.action,
        reason: result.reason,
        before,
        after: { ...after, ...result.note },
      };
      if (await this.writeNode(next, current.version, result.inventory, entry)) {
        this.stateCounts.updated(current.state, next.state);
        if (next.state !== current.state) {
          this.options.logger.info('node state changed', {
            nodeId: id,
            from: current.state,
            to: next.state,
            actor: actor.name,
          });
        }
        return next;
      }
      if (expectedVersion !== undefined) {
        const latest = await this.load(id);
        throw new PreconditionFailedError(id, expectedVersion, latest.version);
      }
      if (attempt >= MAX_RETRIES) {
        throw new MachineDbServerError('CONFLICT', `node ${id} kept changing under concurrent writes: try again`, {
          details: { nodeId: id },
        });
      }
    }
  }

  /** Moves an inventoried node with location and disk to ready-for-bmc: allocates addresses, seals a BMC password. */
  private async prepareForBmc(record: NodeRecord): Promise<void> {
    const addresses = [...record.addresses];
    for (const purpose of this.options.addressPurposes) {
      const assignment = await this.options.allocator.allocate({
        nodeId: record.id,
        purpose,
        hostname: record.hostname,
        location: record.location,
      });
      const index = addresses.findIndex((a) => a.purpose === purpose);
      if (index >= 0) addresses[index] = assignment;
      else addresses.push(assignment);
    }
    record.addresses = addresses;
    const bmcAddress = addresses.find((a) => a.purpose === 'bmc')?.address ?? null;
    // A fresh password on every entry into ready-for-bmc: the node fetches it once, then only admins read it.
    record.bmc = {
      address: bmcAddress,
      user: record.bmc?.user ?? this.options.bmcUser,
      passwordSealed: encryptSecret(this.key, generateBmcPassword(), record.id),
      handedOutAt: null,
    };
    record.state = 'ready-for-bmc';
  }

  private readyForBmc(record: NodeRecord): boolean {
    return record.location !== null && record.systemDisk !== null;
  }

  // ---- node-facing -------------------------------------------------------------------------------

  /**
   * Records a hardware report. Identity: the system UUID; a board with a placeholder UUID is told apart
   * by its MACs; a known MAC finds the node when either UUID is a placeholder. Re-submitting updates the
   * same node, never a duplicate.
   */
  async submitInventory(input: Inventory, caller: Caller): Promise<InventoryResponse> {
    const inventory = this.normaliseInventory(input);
    const macs = [...new Set(inventory.nics.map((n) => n.mac))].sort();
    const uuid = inventory.systemUuid;
    const placeholder = isPlaceholderUuid(uuid);
    const identityKey = placeholder ? `${uuid}/${macs[0]}` : uuid;
    for (let attempt = 0; attempt < 3; attempt++) {
      // One read where the store offers it (PostgreSQL: one round trip instead of three).
      const owners = await this.store.findIdentityOwners?.(
        identityKey,
        macs,
        isIdentifyingSerial(inventory.serial) ? inventory.serial : null,
      );
      let existing = owners ? owners.byIdentity : await this.store.findByIdentityKey(identityKey);
      let macOwners: NodeRecord[] | undefined = owners?.byMacs;
      if (!existing) {
        macOwners ??= await this.store.findByMacs(macs);
        const byMac = macOwners.filter((n) => placeholder || isPlaceholderUuid(n.systemUuid) || n.systemUuid === uuid);
        if (byMac.length > 1) {
          throw new MachineDbServerError(
            'CONFLICT',
            `inventory for ${uuid} matches several nodes by MAC (${byMac.map((n) => n.id).join(', ')}): decommission the stale ones`,
            { details: { nodeIds: byMac.map((n) => n.id) } },
          );
        }
        existing = byMac[0] ?? null;
      }
      if (caller.kind === 'node' && caller.nodeId !== existing?.id) {
        throw new AuthError(
          'FORBIDDEN',
          `this node token belongs to node ${caller.nodeId}, not to the node reporting ${uuid}`,
          {
            details: { nodeId: caller.nodeId },
          },
        );
      }
      // Without the node's own token, an existing node is touched only after an admin reset its identity.
      if (existing && caller.kind !== 'node' && !existing.identityResetAt) {
        throw identityClaimed(existing.id, `this inventory names system ${uuid}`);
      }
      await this.assertNoOtherOwner(existing?.id ?? null, macs, inventory.serial, macOwners, owners?.bySerial);
      const issueToken = caller.kind !== 'node';
      const secret = issueToken ? randomSecret() : null;
      if (!existing) {
        const now = this.nowIso();
        const id = newNodeId(this.options.now());
        const record: NodeRecord = {
          id,
          identityKey,
          systemUuid: uuid,
          serial: inventory.serial ?? null,
          macs,
          hostname: null,
          fqdn: null,
          cluster: null,
          roles: [],
          groups: [],
          tags: [],
          asn: null,
          location: null,
          systemDisk: null,
          bmc: null,
          addresses: [],
          state: this.options.requireAcceptance ? 'new' : 'inventoried',
          stateReason: this.options.requireAcceptance ? 'waiting for an admin to accept the node' : null,
          stateSince: now,
          createdAt: now,
          updatedAt: now,
          inventoriedAt: now,
          version: 1,
          nodeTokenHash: secret ? hashToken(secret) : null,
        };
        const view = historyView(record);
        try {
          await this.store.insertNode(record, inventory, {
            nodeId: id,
            at: now,
            actor: { kind: 'node', name: id },
            action: 'inventory',
            reason: 'first inventory',
            before: {},
            after: { ...view, nodeToken: 'issued' },
          });
        } catch (error) {
          if (error instanceof StoreConflictError) continue; // a concurrent first report won: update it instead
          throw error;
        }
        this.stateCounts.inserted(record.state);
        this.options.logger.info('node enrolled', { nodeId: id, systemUuid: uuid });
        return {
          nodeId: id,
          created: true,
          state: record.state,
          token: secret ? `${NODE_TOKEN_PREFIX}.${id}.${secret}` : null,
        };
      }
      const claim = caller.kind !== 'node';
      const updated = await this.mutate(existing.id, { kind: 'node', name: existing.id }, async (record) => {
        // Checked again on the fresh copy: a concurrent enrolment may have claimed the reset already.
        if (claim && !record.identityResetAt) throw identityClaimed(record.id, `this inventory names system ${uuid}`);
        if (caller.kind === 'node' && record.nodeTokenHash !== caller.record.nodeTokenHash) {
          throw new AuthError('UNAUTHENTICATED', 'the node token is not valid: it was replaced meanwhile');
        }
        record.identityResetAt = null;
        record.identityKey = identityKey;
        record.systemUuid = uuid;
        record.serial = inventory.serial ?? record.serial;
        record.macs = macs;
        record.inventoriedAt = this.nowIso();
        if (record.state === 'new' && !this.options.requireAcceptance) record.state = 'inventoried';
        if (secret) record.nodeTokenHash = hashToken(secret);
        if (record.state === 'inventoried' && this.readyForBmc(record)) await this.prepareForBmc(record);
        return {
          record,
          action: 'inventory',
          reason: claim ? 'enrolled again after an identity reset' : 're-inventory',
          inventory,
          ...(secret ? { note: { nodeToken: 'reissued' } } : {}),
        };
      });
      return {
        nodeId: updated.id,
        created: false,
        state: updated.state,
        token: secret ? `${NODE_TOKEN_PREFIX}.${updated.id}.${secret}` : null,
      };
    }
    throw new MachineDbServerError('CONFLICT', `inventory for ${uuid} raced with another report: submit it again`);
  }

  /**
   * A MAC or a (real) serial number that an active node other than `self` already reports: a new UUID
   * with them is a take-over attempt or a mistake, never a silent duplicate that would change what that
   * node's MAC boots. Decommissioned nodes give up their MACs and serials.
   */
  private async assertNoOtherOwner(
    self: string | null,
    macs: readonly string[],
    serial: string | null | undefined,
    macOwners?: readonly NodeRecord[],
    serialOwners?: readonly NodeRecord[],
  ) {
    const others = (macOwners ?? (await this.store.findByMacs(macs))).filter(
      (n) => n.id !== self && n.state !== 'decommissioned',
    );
    const byMac = others[0];
    if (byMac) {
      const mac = macs.find((m) => byMac.macs.includes(m)) ?? macs[0];
      throw identityClaimed(byMac.id, `this inventory reports MAC ${mac}`);
    }
    if (!isIdentifyingSerial(serial)) return;
    const candidates = serialOwners
      ? serialOwners
      : this.store.findBySerial
        ? await this.store.findBySerial(serial)
        : await this.store.listNodes({ q: serial.toLowerCase() }, null, 100);
    const bySerial = candidates.find((n) => n.id !== self && n.state !== 'decommissioned' && n.serial === serial);
    if (bySerial) throw identityClaimed(bySerial.id, `this inventory reports serial number ${JSON.stringify(serial)}`);
  }

  /**
   * Admin: forgets the node's token so that its next enrolment without credentials claims it once (a wiped
   * disk, a database restored from before the last enrolment). Recorded in the history with the reason.
   */
  async resetIdentity(nodeId: string, reason: string, actor: Actor): Promise<NodeDetail> {
    if (reason.trim() === '') throw invalidInput('reason', 'say why the identity is reset: it goes into the history');
    const record = await this.mutate(nodeId, actor, async (current) => {
      current.nodeTokenHash = null;
      current.identityResetAt = this.nowIso();
      return { record: current, action: 'identity-reset', reason, note: { nodeToken: 'revoked' } };
    });
    this.options.logger.warn('node identity reset', { nodeId, actor: actor.name });
    return {
      ...nodeView(record),
      inventory: await this.store.getInventory(nodeId),
      inventoriedAt: record.inventoriedAt,
    };
  }

  private normaliseInventory(input: Inventory): Inventory {
    return {
      ...input,
      systemUuid: input.systemUuid.toLowerCase(),
      nics: input.nics.map((nic, i) => ({
        ...nic,
        mac: validateMac(nic.mac, `nics.${i}.mac`),
        // NIC names reach GRUB, iPXE, netplan and bird: the renderers' own rule, refused here, not at boot.
        name: checkRenderable(`nics.${i}.name`, nic.name, validateInterfaceName),
      })),
      ...(input.bmc?.mac ? { bmc: { ...input.bmc, mac: validateMac(input.bmc.mac, 'bmc.mac') } } : {}),
    };
  }

  /**
   * A node's own configuration. The BMC password comes once: in the first answer while the node is
   * ready-for-bmc, recorded in its history (`bmc-password:handed-out`); later answers carry `bmc: null`,
   * and only an admin can read it (`readBmcCredentials`).
   */
  async getNodeConfig(nodeId: string, preloaded?: NodeRecord): Promise<NodeConfig> {
    // The route passes the record it loaded to check the node token: one read per poll, not two.
    let record = preloaded?.id === nodeId ? preloaded : await this.load(nodeId);
    let bmc: NodeConfig['bmc'] = null;
    let handOut = false as boolean;
    if (record.state === 'ready-for-bmc' && record.bmc?.passwordSealed && !record.bmc.handedOutAt) {
      record = await this.mutate(record.id, { kind: 'node', name: record.id }, async (current) => {
        const ready = current.addresses.some((a) => a.purpose === 'bmc');
        handOut = current.state === 'ready-for-bmc' && !!current.bmc?.passwordSealed && !current.bmc.handedOutAt;
        if (!handOut || !current.bmc || !ready) {
          handOut = false;
          return null;
        }
        current.bmc = { ...current.bmc, handedOutAt: this.nowIso() };
        return {
          record: current,
          action: 'bmc-password:handed-out',
          reason: 'the node fetched its BMC password',
          note: { bmcPassword: 'handed out to the node' },
        };
      });
    }
    const bmcAddress = record.addresses.find((a) => a.purpose === 'bmc');
    if (handOut && record.bmc?.passwordSealed && bmcAddress) {
      bmc = {
        address: bmcAddress.address,
        prefixLength: bmcAddress.prefixLength,
        gateway: bmcAddress.gateway,
        user: record.bmc.user,
        password: decryptSecret(this.key, record.bmc.passwordSealed, record.id),
        channel: this.options.bmcChannel,
        userId: this.options.bmcUserId,
      };
    }
    return {
      nodeId: record.id,
      state: record.state,
      bootTarget: nextBootTarget(record.state),
      hostname: record.hostname,
      fqdn: record.fqdn,
      systemDisk: record.systemDisk,
      addresses: record.addresses,
      bmc,
      pollAfterSeconds: record.state === 'ready-for-bmc' ? 5 : record.state === 'inventoried' ? 15 : 60,
    };
  }

  /** Admin: the node's BMC credentials. Every read is a history entry (`bmc-password:read`) naming the reader. */
  async readBmcCredentials(nodeId: string, actor: Actor): Promise<BmcCredentials> {
    const read: { credentials?: BmcCredentials } = {};
    await this.mutate(nodeId, actor, async (current) => {
      if (!current.bmc?.passwordSealed) {
        throw new MachineDbServerError('NOT_FOUND', `node ${nodeId} has no BMC password yet: it gets one at ready-for-bmc`, {
          details: { nodeId },
        });
      }
      read.credentials = {
        nodeId,
        address: current.bmc.address,
        user: current.bmc.user,
        password: decryptSecret(this.key, current.bmc.passwordSealed, current.id),
      };
      return { record: current, action: 'bmc-password:read', reason: null, note: { bmcPassword: 'read' } };
    });
    if (!read.credentials) throw new MachineDbServerError('INTERNAL', 'BMC credentials were not read');
    this.options.logger.info('BMC password read', { nodeId, actor: actor.name });
    return read.credentials;
  }

  /** A node reports progress. Repeating an event whose state the node is already in changes nothing. */
  async reportEvent(nodeId: string, event: NodeEvent, actor: Actor): Promise<NodeEventResponse> {
    const rule = EVENT_TRANSITIONS[event.type];
    if (event.type === 'failed' && !event.reason) {
      throw invalidInput('reason', 'a failed event needs a reason: say what went wrong');
    }
    const record = await this.mutate(nodeId, actor, async (current) => {
      if (current.state === rule.to) return null;
      if (!rule.from.includes(current.state)) {
        throw new IllegalTransitionError(nodeId, current.state, rule.to, allowedTransitions(current.state));
      }
      assertTransition(nodeId, current.state, rule.to);
      current.state = rule.to;
      current.stateReason = event.reason ?? null;
      return { record: current, action: `event:${event.type}`, reason: event.reason ?? null };
    });
    return { nodeId, state: record.state, bootTarget: nextBootTarget(record.state) };
  }

  /** What a PXE-booting MAC boots. Unknown MACs get the live system, which then enrols. */
  async bootTarget(mac: string): Promise<BootTargetResponse> {
    const normalised = validateMac(mac, 'mac');
    const record = await this.store.findBootNode(normalised);
    if (!record) return { mac: normalised, nodeId: null, state: null, bootTarget: 'live', hostname: null };
    return {
      mac: normalised,
      nodeId: record.id,
      state: record.state,
      bootTarget: nextBootTarget(record.state),
      hostname: record.hostname,
    };
  }

  // ---- admin ---------------------------------------------------------------------------------------

  async getNode(nodeId: string): Promise<NodeDetail> {
    const record = await this.load(nodeId);
    const inventory = await this.store.getInventory(nodeId);
    return { ...nodeView(record), inventory, inventoriedAt: record.inventoriedAt };
  }

  async listNodes(query: NodeListQuery): Promise<Page<Node>> {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, /^[a-z0-9_-]{1,64}$/);
    const rows = await this.store.listNodes(
      {
        state: query.state,
        site: query.site,
        rack: query.rack,
        group: query.group,
        role: query.role,
        tag: query.tag,
        cluster: query.cluster,
        mac: query.mac === undefined ? undefined : validateMac(query.mac, 'mac'),
        q: query.q,
      },
      after,
      limit + 1,
    );
    const items = rows.slice(0, limit).map(nodeView);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  /** Admin changes; `ifMatch` is the version the admin last saw (412 when someone changed it since). */
  async updateNode(nodeId: string, update: NodeUpdate, ifMatch: number | null, actor: Actor): Promise<NodeDetail> {
    // Fields that reach rendered boot files pass the same @fleet/core validators the renderers use, so a
    // stored node can always be rendered.
    const fields: [string, unknown, (v: unknown, f: string) => string][] = [];
    if (update.hostname) fields.push(['hostname', update.hostname, validateHostname]);
    if (update.location) {
      fields.push(['location.site', update.location.site, validateIdentifier]);
      fields.push(['location.rack', update.location.rack, validateIdentifier]);
    }
    for (const [i, role] of (update.roles ?? []).entries()) fields.push([`roles[${i}]`, role, validateIdentifier]);
    for (const [field, value, validate] of fields) checkRenderable(field, value, validate);
    if (update.hostname) {
      const hostname = update.hostname;
      const same = (await this.store.listNodes({ q: hostname }, null, 1000)).filter(
        (n) => n.hostname === hostname && n.id !== nodeId && n.state !== 'decommissioned',
      );
      if (same.length > 0) {
        throw new MachineDbServerError('CONFLICT', `hostname ${hostname} is already node ${same[0]?.id}'s: pick another`, {
          details: { field: 'hostname', nodeId: same[0]?.id },
        });
      }
    }
    const inventory = update.systemDisk ? await this.store.getInventory(nodeId) : null;
    if (update.systemDisk && !update.systemDisk.byId && !inventory) {
      throw invalidInput(
        'systemDisk',
        `node ${nodeId} has no inventory to find that disk's /dev/disk/by-id name in: boot it into the live system first, or give systemDisk.byId`,
      );
    }
    if (update.systemDisk && inventory) {
      const hint = update.systemDisk;
      const matches = inventory.disks.filter((d) => diskMatches(hint, d));
      if (matches.length !== 1) {
        throw invalidInput(
          'systemDisk',
          matches.length === 0
            ? `no disk of node ${nodeId} matches the system disk hint: pick serial, WWN or by-id from its inventory`
            : `${matches.length} disks of node ${nodeId} match the system disk hint: add serial or WWN to pick one`,
          {
            candidates: inventory.disks.map((d) => ({
              name: d.name,
              serial: d.serial,
              wwn: d.wwn,
              sizeBytes: d.sizeBytes,
            })),
          },
        );
      }
      // Boot files name the disk by its /dev/disk/by-id path: a disk chosen by serial or WWN gets it from
      // the inventory now, so the node renders (or the choice is refused here, saying why).
      const [disk] = matches;
      if (disk && !hint.byId) {
        const byId = pickByIdPath(hint, disk);
        if (!byId) {
          throw invalidInput(
            'systemDisk',
            `disk ${disk.name} of node ${nodeId} has no /dev/disk/by-id name in its inventory, so boot files cannot name it: submit the inventory again from the live system or give systemDisk.byId`,
            { disk: disk.name },
          );
        }
        update = { ...update, systemDisk: { ...hint, byId } };
      }
    }
    const record = await this.mutate(
      nodeId,
      actor,
      async (current) => {
        const { reason, ...fields } = update;
        for (const [key, value] of Object.entries(fields)) {
          (current as unknown as Record<string, unknown>)[key] = value;
        }
        if ((update.location || update.roles) && current.location) {
          await this.checkLocation(current.location, current.roles);
        }
        if (current.state === 'ready-for-bmc' && !this.readyForBmc(current)) current.state = 'inventoried';
        else if (current.state === 'inventoried' && this.readyForBmc(current)) await this.prepareForBmc(current);
        return { record: current, action: 'update', reason: reason ?? null };
      },
      ifMatch ?? undefined,
    );
    return {
      ...nodeView(record),
      inventory: await this.store.getInventory(nodeId),
      inventoriedAt: record.inventoriedAt,
    };
  }

  private async checkLocation(location: Location, roles: readonly string[]): Promise<void> {
    if (!this.options.checkLocation) return;
    try {
      await this.options.checkLocation(location, roles);
    } catch (error) {
      if (!isFleetError(error) || isDatabaseUnavailable(error)) throw error;
      throw invalidInput('location.rack', error.message, {
        site: location.site,
        rack: location.rack,
        reason: error.code,
      });
    }
  }

  async transitionNode(
    nodeId: string,
    request: TransitionRequest,
    ifMatch: number | null,
    actor: Actor,
  ): Promise<NodeDetail> {
    const record = await this.mutate(
      nodeId,
      actor,
      async (current) => {
        assertTransition(nodeId, current.state, request.to);
        if (request.to === 'ready-for-bmc') {
          if (!this.readyForBmc(current)) {
            throw new MachineDbServerError(
              'NODE_NOT_READY',
              `node ${nodeId} needs a location and a system disk before ready-for-bmc: set them with updateNode`,
              { details: { nodeId, location: current.location !== null, systemDisk: current.systemDisk !== null } },
            );
          }
          await this.prepareForBmc(current);
        } else {
          current.state = request.to;
        }
        if (request.to === 'decommissioned') await this.releaseAddresses(current);
        current.stateReason = request.reason;
        return { record: current, action: 'transition', reason: request.reason };
      },
      ifMatch ?? undefined,
    );
    return {
      ...nodeView(record),
      inventory: await this.store.getInventory(nodeId),
      inventoriedAt: record.inventoriedAt,
    };
  }

  private async releaseAddresses(record: NodeRecord): Promise<void> {
    for (const assignment of record.addresses) await this.options.allocator.release(record.id, assignment.purpose);
    record.addresses = [];
    if (record.bmc) record.bmc = { ...record.bmc, address: null };
  }

  async listHistory(nodeId: string | null, query: PageQuery): Promise<Page<HistoryEntry>> {
    if (nodeId !== null) await this.load(nodeId);
    const limit = query.limit ?? 100;
    const before = decodeCursor(query.cursor, /^[1-9][0-9]{0,15}$/);
    const rows = await this.store.listHistory(nodeId, before === null ? null : Number(before), limit + 1);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(String(last.seq)) : null };
  }

  /**
   * Fails every node that overstayed its state's timeout, with the reason in its history. Call it on a
   * timer (the HTTP app does, see `sweepIntervalMs`); several servers may sweep at once safely.
   */
  async sweepTimeouts(): Promise<string[]> {
    const states = Object.keys(this.options.stateTimeouts) as NodeState[];
    const failed: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await this.store.listNodes({ states }, after, 500);
      for (const candidate of page) {
        const now = this.options.now();
        if (!timeoutReason(candidate.state, new Date(candidate.stateSince), now, this.options.stateTimeouts)) continue;
        await this.mutate(candidate.id, { kind: 'system', name: 'timeout-sweep' }, async (current) => {
          const reason = timeoutReason(
            current.state,
            new Date(current.stateSince),
            this.options.now(),
            this.options.stateTimeouts,
          );
          if (!reason) return null;
          current.state = 'failed';
          current.stateReason = reason;
          return { record: current, action: 'timeout', reason };
        });
        failed.push(candidate.id);
        this.options.logger.warn('node timed out', { nodeId: candidate.id, state: candidate.state });
      }
      if (page.length < 500) return failed;
      after = page[page.length - 1]?.id ?? null;
    }
  }

  /** The Ansible `--list` document for every node (decommissioned ones only when asked). */
  /**
   * The Ansible inventory as UTF-8 JSON with an ETag, rebuilt only when a node changed since the last build
   * (checked on every call with {@link Store.nodesMark}, so several servers on one database never serve a
   * stale document). Concurrent callers share one build.
   */
  async exportAnsibleJson(query: AnsibleExportQuery = {}): Promise<AnsibleExportBody> {
    const key = `${query.state ?? ''}|${query.includeDecommissioned === true ? 1 : 0}`;
    // Read the mark before the nodes: a change landing during the build moves the mark, so the next call
    // rebuilds; the document may be newer than its mark, never older.
    const mark = await this.store.nodesMark();
    let entry = this.exportCache.get(key);
    if (entry === undefined || entry.mark !== mark) {
      const built = this.exportAnsible(query).then(async (doc) => {
        const json = Buffer.from(JSON.stringify(doc));
        // Compressed once per build (10,000 hosts: 2.9 MB → ~0.1 MB), for controllers across a WAN.
        return { json, gzip: await gzipAsync(json) };
      });
      const fresh = { mark, json: built };
      entry = fresh;
      if (this.exportCache.size >= 8) this.exportCache.clear();
      this.exportCache.set(key, fresh);
      void built.catch(() => {
        if (this.exportCache.get(key) === fresh) this.exportCache.delete(key);
      });
    }
    // Weak: the plain and the gzip body are the same document, so either answers a revalidation.
    return { ...(await entry.json), etag: `W/"ansible-v1-${key.replace('|', '-')}-${mark}"` };
  }

  async exportAnsible(query: AnsibleExportQuery = {}): Promise<AnsibleInventory> {
    const hostvars: Record<string, Record<string, unknown>> = {};
    const groups = new Map<string, string[]>();
    const add = (group: string, host: string) => {
      const name = group.replace(/[^A-Za-z0-9_]/g, '_');
      let hosts = groups.get(name);
      if (!hosts) {
        hosts = [];
        groups.set(name, hosts);
      }
      hosts.push(host);
    };
    let after: string | null = null;
    for (;;) {
      const page = await this.store.listNodes({ state: query.state }, after, 1000);
      for (const node of page) {
        if (node.state === 'decommissioned' && !query.includeDecommissioned) continue;
        // Host names are not unique in the model; a second node with a taken name is listed by its id.
        const host = node.hostname && !hostvars[node.hostname] ? node.hostname : node.id;
        const primary = node.addresses.find((a) => a.purpose === 'primary');
        hostvars[host] = {
          ...(primary ? { ansible_host: primary.address } : {}),
          fleet_node_id: node.id,
          fleet_state: node.state,
          fleet_fqdn: node.fqdn,
          fleet_cluster: node.cluster,
          fleet_location: node.location,
          fleet_roles: node.roles,
          fleet_groups: node.groups,
          fleet_tags: node.tags,
          fleet_asn: node.asn,
          fleet_addresses: node.addresses,
          fleet_bmc_address: node.bmc?.address ?? null,
          fleet_serial: node.serial,
          fleet_system_uuid: node.systemUuid,
          fleet_macs: node.macs,
        };
        for (const g of node.groups) add(`group_${g}`, host);
        for (const r of node.roles) add(`role_${r}`, host);
        if (node.location) {
          add(`site_${node.location.site}`, host);
          add(`rack_${node.location.site}_${node.location.rack}`, host);
        }
        if (node.cluster) add(`cluster_${node.cluster}`, host);
        add(`state_${node.state}`, host);
      }
      if (page.length < 1000) break;
      after = page[page.length - 1]?.id ?? null;
    }
    const names = [...groups.keys()].sort();
    const doc: AnsibleInventory = { _meta: { hostvars }, all: { hosts: [], children: ['ungrouped', ...names] } };
    doc.ungrouped = { hosts: [] } satisfies AnsibleGroup;
    for (const name of names) doc[name] = { hosts: groups.get(name) ?? [] } satisfies AnsibleGroup;
    return doc;
  }

  // ---- auth ----------------------------------------------------------------------------------------

  private installSecret(record: NodeRecord): string {
    return createHmac('sha256', this.key).update(`install:${record.id}:${record.createdAt}`).digest('base64url');
  }

  /**
   * The token a node's installer reports "installed" with (rendered into its preseed/autoinstall file):
   * derived from the server key and the node, so nothing is stored, and accepted only while the node is
   * `bmc-configured` or `installing` — it can never read a BMC password.
   */
  async issueInstallToken(nodeId: string): Promise<string> {
    const record = await this.load(nodeId);
    return `${INSTALL_TOKEN_PREFIX}.${record.id}.${this.installSecret(record)}`;
  }

  /**
   * Resolves an `Authorization` header: `Bearer mdbn.<node>.<secret>` (node), `Bearer mdbt.<id>.<secret>`
   * (API or session token), `Bearer <provisioning secret>`, or `Basic` (local user, then LDAP).
   * Returns null when the header is absent; throws UNAUTHENTICATED/FORBIDDEN when it is wrong.
   */
  async authenticate(header: string | undefined, source?: string): Promise<Caller | null> {
    if (!header) return null;
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (space < 0 || !value) throw unauthenticated('the Authorization header is malformed');
    if (scheme === 'bearer') {
      const [prefix, id, secret, ...extra] = value.split('.');
      if (prefix === NODE_TOKEN_PREFIX && id && secret && extra.length === 0) {
        const record = /^[a-z0-9_-]{1,64}$/.test(id) ? await this.store.getNode(id) : null;
        if (!record?.nodeTokenHash || !sameHash(record.nodeTokenHash, hashToken(secret))) {
          throw unauthenticated('the node token is not valid: submit inventory again to get a new one');
        }
        return {
          kind: 'node',
          nodeId: id,
          record,
          principal: { name: id, role: 'node', source: 'node', nodeId: id },
          actor: { kind: 'node', name: id },
        };
      }
      if (prefix === INSTALL_TOKEN_PREFIX && id && secret && extra.length === 0) {
        const record = /^[a-z0-9_-]{1,64}$/.test(id) ? await this.store.getNode(id) : null;
        if (!record || !sameHash(hashToken(secret), hashToken(this.installSecret(record)))) {
          throw unauthenticated('the install token is not valid');
        }
        if (!INSTALL_TOKEN_STATES.includes(record.state)) {
          throw unauthenticated(
            `the install token is only valid while the node installs; node ${id} is ${record.state}`,
          );
        }
        return {
          kind: 'node',
          nodeId: id,
          record,
          principal: { name: id, role: 'node', source: 'node', nodeId: id },
          actor: { kind: 'node', name: id },
        };
      }
      if (prefix === API_TOKEN_PREFIX && id && secret && extra.length === 0) {
        const token = /^[a-z0-9]{1,64}$/.test(id) ? await this.store.getToken(id) : null;
        if (!token || !sameHash(token.hash, hashToken(secret)))
          throw unauthenticated('the token is not valid or was revoked');
        if (token.expiresAt && Date.parse(token.expiresAt) <= this.options.now().getTime()) {
          throw unauthenticated('the token has expired: log in again or create a new one');
        }
        const principal: Principal = { name: token.username, role: token.role, source: token.source, nodeId: null };
        if (token.kind === 'api') principal.name = token.name;
        return {
          kind: 'user',
          principal,
          actor: token.kind === 'api' ? { kind: 'token', name: token.name } : { kind: 'user', name: token.username },
        };
      }
      if (this.options.provisioningSecret && sameHash(hashToken(value), hashToken(this.options.provisioningSecret))) {
        return { kind: 'enrol' };
      }
      throw unauthenticated('the bearer token is not valid');
    }
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 1) throw unauthenticated('Basic credentials must be user:password');
      const principal = await this.checkPassword(decoded.slice(0, colon), decoded.slice(colon + 1), source);
      return { kind: 'user', principal, actor: { kind: 'user', name: principal.name } };
    }
    throw unauthenticated(`the ${scheme} scheme is not supported: use Bearer or Basic`);
  }

  /**
   * Local user first, then LDAP. Wrong credentials → 401 (and a `login failed` warning in the log); right
   * credentials without a fleet group → 403. Repeated failures for the user or from `source` (the client
   * address) → 429 TOO_MANY_REQUESTS with backoff, before any password is checked.
   */
  async checkPassword(username: string, password: string, source?: string): Promise<Principal> {
    const userKey = `user:${username.slice(0, 64).toLowerCase()}`;
    const keys = source ? [userKey, `addr:${source}`] : [userKey];
    try {
      this.loginLimiter.check(keys);
    } catch (error) {
      this.options.logger.warn('login refused: rate limited', { username: username.slice(0, 64), source });
      throw error;
    }
    try {
      const principal = await this.verifyCredentials(username, password);
      this.loginLimiter.succeeded(userKey);
      return principal;
    } catch (error) {
      if (error instanceof AuthError && error.code === 'UNAUTHENTICATED') {
        this.loginLimiter.failed(keys);
        this.options.logger.warn('login failed', { username: username.slice(0, 64), source });
      }
      throw error;
    }
  }

  private async verifyCredentials(username: string, password: string): Promise<Principal> {
    if (!/^[a-z_][a-z0-9._-]{0,63}$/.test(username) || password.length === 0) {
      throw unauthenticated('wrong username or password');
    }
    if (this.options.localUsers) {
      const user = await this.store.getUser(username);
      if (!user && !this.options.ldap) {
        this.dummyHash ??= hashPassword(randomSecret());
        await verifyPassword(password, await this.dummyHash);
      }
      if (user) {
        // A verified password is remembered briefly against the stored hash (see CredentialCache).
        const credential = ['local', username, password, user.passwordHash];
        if (this.verified.has(credential) || (await verifyPassword(password, user.passwordHash))) {
          this.verified.remember(credential);
          return { name: username, role: user.role, source: 'local', nodeId: null };
        }
        throw unauthenticated('wrong username or password');
      }
    }
    if (this.options.ldap) {
      const result = await ldapAuthenticate(this.options.ldap, username, password);
      if (result.ok) return { name: username, role: result.role, source: 'ldap', nodeId: null };
      if (result.reason === 'no-group') {
        throw new AuthError('FORBIDDEN', `user ${username} is in neither the admin nor the viewer LDAP group`, {
          details: { username },
        });
      }
    }
    throw unauthenticated('wrong username or password');
  }

  async login(username: string, password: string, source?: string): Promise<LoginResponse> {
    const principal = await this.checkPassword(username, password, source);
    this.options.logger.info('login succeeded', { username, source, via: principal.source });
    if (principal.role === 'node') throw new AuthError('FORBIDDEN', 'nodes cannot log in');
    const expiresAt = new Date(this.options.now().getTime() + this.options.sessionTtlSeconds * 1000).toISOString();
    const issued = await this.issueToken({
      kind: 'session',
      name: `session-${username}`,
      role: principal.role,
      username,
      source: principal.source === 'ldap' ? 'ldap' : 'local',
      expiresAt,
    });
    return { token: issued.token, expiresAt, principal };
  }

  private async issueToken(fields: Omit<TokenRecord, 'id' | 'hash' | 'createdAt'>): Promise<IssuedToken> {
    const id = randomBytes(8).toString('hex');
    const secret = randomSecret();
    const record: TokenRecord = { ...fields, id, hash: hashToken(secret), createdAt: this.nowIso() };
    await this.store.createToken(record);
    return { token: `${API_TOKEN_PREFIX}.${id}.${secret}`, info: tokenInfo(record) };
  }

  async createToken(request: CreateTokenRequest, actor: Actor): Promise<IssuedToken> {
    const expiresAt =
      request.expiresInSeconds === undefined
        ? null
        : new Date(this.options.now().getTime() + request.expiresInSeconds * 1000).toISOString();
    return await this.issueToken({
      kind: 'api',
      name: request.name,
      role: request.role,
      username: actor.name,
      source: 'token',
      expiresAt,
    });
  }

  async listTokens(query: PageQuery): Promise<Page<TokenInfo>> {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, /^[a-z0-9]{1,64}$/);
    const rows = await this.store.listTokens('api', after, limit + 1);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(tokenInfo), nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
  }

  async revokeToken(id: string): Promise<{ deleted: boolean }> {
    return { deleted: await this.store.deleteToken(id) };
  }

  async createUser(request: CreateUserRequest): Promise<User> {
    const createdAt = this.nowIso();
    await this.store.createUser({
      username: request.username,
      role: request.role,
      passwordHash: await hashPassword(request.password),
      createdAt,
    });
    return { username: request.username, role: request.role, createdAt };
  }

  async listUsers(query: PageQuery): Promise<Page<User>> {
    const limit = query.limit ?? 100;
    const after = decodeCursor(query.cursor, /^[a-z_][a-z0-9._-]{0,63}$/);
    const rows = await this.store.listUsers(after, limit + 1);
    const items = rows.slice(0, limit).map((u) => ({ username: u.username, role: u.role, createdAt: u.createdAt }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.username) : null };
  }

  async deleteUser(username: string): Promise<{ deleted: boolean }> {
    return { deleted: await this.store.deleteUser(username) };
  }

  /** Creates a local user unless one exists: for first start ("create an admin account"). */
  async ensureUser(request: CreateUserRequest): Promise<boolean> {
    if (await this.store.getUser(request.username)) return false;
    try {
      await this.createUser(request);
      return true;
    } catch (error) {
      if (error instanceof StoreConflictError) return false;
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}

function tokenInfo(record: TokenRecord): TokenInfo {
  return {
    id: record.id,
    name: record.name,
    role: record.role,
    createdBy: record.username,
    createdAt: record.createdAt,
    expiresAt: record.expiresAt,
  };
}

function unauthenticated(message: string): AuthError {
  return new AuthError('UNAUTHENTICATED', message);
}

/** Creates the MachineDB and runs the store's migrations. */
export async function createMachineDb(options: MachineDbOptions): Promise<MachineDb> {
  const db = new MachineDb(options);
  await db.store.migrate();
  return db;
}
