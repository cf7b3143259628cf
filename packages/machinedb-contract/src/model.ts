import { type Static, type TSchema, Type } from '@sinclair/typebox';

// The MachineDB data model as it crosses HTTP. Every object schema is closed (additionalProperties: false)
// so the server rejects unknown fields and the client's types match what is validated, field for field.

const closed = { additionalProperties: false } as const;

/** Lifecycle states of a node. The server's transition table says which moves are legal. */
export const NODE_STATES = [
  'new',
  'inventoried',
  'ready-for-bmc',
  'bmc-configured',
  'installing',
  'deployed',
  'maintenance',
  'failed',
  'decommissioned',
] as const;
export const NodeStateSchema = Type.Union(
  NODE_STATES.map((s) => Type.Literal(s)),
  { $id: 'NodeState', description: 'Lifecycle state of a node' },
);
export type NodeState = (typeof NODE_STATES)[number];

/** What a node boots next when it PXE-boots: the live system, the installer, or its local disk. */
export const BOOT_TARGETS = ['live', 'install', 'local'] as const;
export const BootTargetSchema = Type.Union(
  BOOT_TARGETS.map((s) => Type.Literal(s)),
  { $id: 'BootTarget' },
);
export type BootTarget = (typeof BOOT_TARGETS)[number];

export const ROLES = ['admin', 'operator', 'viewer', 'node'] as const;
export const RoleSchema = Type.Union(ROLES.map((s) => Type.Literal(s)));
/**
 * `admin` manages users and tokens and changes anything, `operator` acts on nodes (transitions, location,
 * system disk) without managing accounts, `viewer` reads, `node` reads and reports on its own record only.
 */
export type Role = (typeof ROLES)[number];

/** Identifiers that appear in URLs and files: node ids, group, role and tag names. */
export const NameSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,62}$', maxLength: 63 });
export const NodeIdSchema = Type.String({ pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', maxLength: 64 });
/** `aa:bb:cc:dd:ee:ff`, `aa-bb-…` or bare hex; the server normalises to lower-case colon form. */
export const MacSchema = Type.String({
  pattern: '^(?:[0-9A-Fa-f]{2}([:-]?)[0-9A-Fa-f]{2}(?:\\1[0-9A-Fa-f]{2}){4})$',
  maxLength: 17,
});
export const UuidSchema = Type.String({
  pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
});
export const HostnameSchema = Type.String({ pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$', maxLength: 63 });
export const FqdnSchema = Type.String({
  pattern: '^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$',
});
/** Printable text without control characters (reasons, models, free text). */
export const TextSchema = (maxLength = 200) => Type.String({ maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });
export const DateTimeSchema = Type.String({ format: 'date-time' });
/** An IPv4 or IPv6 address as text (the server validates it further). */
export const IpSchema = Type.String({ maxLength: 45, pattern: '^[0-9A-Fa-f.:]+$' });
export const ByIdPathSchema = Type.String({
  maxLength: 255,
  pattern: '^/dev/disk/by-(id|path|uuid|partuuid|label)/[A-Za-z0-9][A-Za-z0-9._:+@-]*$',
});

export const LocationSchema = Type.Object(
  {
    site: NameSchema,
    room: Type.Optional(NameSchema),
    rack: NameSchema,
    /** Lowest rack unit the chassis occupies (1 = bottom). */
    unit: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  },
  { ...closed, $id: 'Location' },
);
export type Location = Static<typeof LocationSchema>;

/**
 * Which disk the OS goes on, by stable facts: never `/dev/sdX`. Every given field must match; give at least one.
 */
export const SystemDiskHintSchema = Type.Object(
  {
    serial: Type.Optional(TextSchema(128)),
    wwn: Type.Optional(TextSchema(128)),
    byId: Type.Optional(ByIdPathSchema),
    /** Exact size in bytes as reported by the kernel. */
    sizeBytes: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { ...closed, minProperties: 1, $id: 'SystemDiskHint' },
);
export type SystemDiskHint = Static<typeof SystemDiskHintSchema>;

/** The BMC as admins and viewers see it: never the password, only whether one is set. */
export const BmcSchema = Type.Object(
  {
    address: Type.Union([IpSchema, Type.Null()]),
    user: Type.String(),
    passwordSet: Type.Boolean(),
  },
  { ...closed, $id: 'Bmc' },
);
export type Bmc = Static<typeof BmcSchema>;

export const ADDRESS_PURPOSES = ['bmc', 'primary'] as const;
export const AddressAssignmentSchema = Type.Object(
  {
    purpose: Type.Union(ADDRESS_PURPOSES.map((p) => Type.Literal(p))),
    address: IpSchema,
    prefixLength: Type.Integer({ minimum: 0, maximum: 128 }),
    gateway: Type.Union([IpSchema, Type.Null()]),
    /** Which IPAM pool it came from, for release and display. */
    pool: Type.String(),
  },
  closed,
);
export type AddressAssignment = Static<typeof AddressAssignmentSchema>;

// ---- inventory as reported by the live system --------------------------------------------------

export const InventoryCpuSchema = Type.Object(
  {
    socket: Type.Optional(Type.Integer({ minimum: 0 })),
    model: TextSchema(200),
    cores: Type.Integer({ minimum: 1 }),
    threads: Type.Integer({ minimum: 1 }),
    mhz: Type.Optional(Type.Number({ minimum: 0 })),
  },
  closed,
);
export const InventoryDimmSchema = Type.Object(
  {
    slot: TextSchema(64),
    sizeBytes: Type.Integer({ minimum: 0 }),
    type: Type.Optional(TextSchema(32)),
    speedMts: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  closed,
);
export const InventoryMemorySchema = Type.Object(
  {
    totalBytes: Type.Integer({ minimum: 0 }),
    dimms: Type.Optional(Type.Array(InventoryDimmSchema, { maxItems: 128 })),
  },
  closed,
);
export const InventoryDiskSchema = Type.Object(
  {
    /** Kernel name at the time of the report (`sda`, `nvme0n1`): informational only. */
    name: TextSchema(64),
    sizeBytes: Type.Integer({ minimum: 0 }),
    model: Type.Optional(TextSchema(128)),
    serial: Type.Optional(TextSchema(128)),
    wwn: Type.Optional(TextSchema(128)),
    rotational: Type.Boolean(),
    byId: Type.Array(ByIdPathSchema, { maxItems: 32 }),
    byPath: Type.Optional(Type.Array(ByIdPathSchema, { maxItems: 8 })),
  },
  closed,
);
export type InventoryDisk = Static<typeof InventoryDiskSchema>;
export const LldpNeighbourSchema = Type.Object(
  {
    switchName: Type.Optional(TextSchema(128)),
    switchChassisId: Type.Optional(TextSchema(128)),
    port: TextSchema(128),
    portDescription: Type.Optional(TextSchema(200)),
    vlan: Type.Optional(Type.Integer({ minimum: 0, maximum: 4095 })),
  },
  closed,
);
export const InventoryNicSchema = Type.Object(
  {
    name: TextSchema(64),
    mac: MacSchema,
    speedMbps: Type.Optional(Type.Integer({ minimum: 0 })),
    lldp: Type.Optional(LldpNeighbourSchema),
  },
  closed,
);
export type InventoryNic = Static<typeof InventoryNicSchema>;
export const InventoryBoardSchema = Type.Object(
  {
    manufacturer: Type.Optional(TextSchema(128)),
    product: Type.Optional(TextSchema(128)),
    serial: Type.Optional(TextSchema(128)),
  },
  closed,
);
export const InventoryBiosSchema = Type.Object(
  {
    vendor: Type.Optional(TextSchema(128)),
    version: Type.Optional(TextSchema(128)),
    date: Type.Optional(TextSchema(32)),
  },
  closed,
);
/** The BMC as the live system sees it (`ipmitool lan print`), before MachineDB configures it. */
export const InventoryBmcSchema = Type.Object(
  {
    address: Type.Optional(IpSchema),
    mac: Type.Optional(MacSchema),
    firmware: Type.Optional(TextSchema(64)),
    vendor: Type.Optional(TextSchema(128)),
  },
  closed,
);
export const InventorySchema = Type.Object(
  {
    /** SMBIOS system UUID: the primary identity of a node. */
    systemUuid: UuidSchema,
    serial: Type.Optional(TextSchema(128)),
    manufacturer: Type.Optional(TextSchema(128)),
    product: Type.Optional(TextSchema(128)),
    cpus: Type.Array(InventoryCpuSchema, { maxItems: 16 }),
    memory: InventoryMemorySchema,
    disks: Type.Array(InventoryDiskSchema, { maxItems: 256 }),
    nics: Type.Array(InventoryNicSchema, { minItems: 1, maxItems: 64 }),
    board: Type.Optional(InventoryBoardSchema),
    bios: Type.Optional(InventoryBiosSchema),
    bmc: Type.Optional(InventoryBmcSchema),
    /** What the collector could not find (`lldpctl not installed`), so gaps are visible. */
    notes: Type.Optional(Type.Array(TextSchema(200), { maxItems: 32 })),
  },
  { ...closed, $id: 'Inventory' },
);
export type Inventory = Static<typeof InventorySchema>;

// ---- node -----------------------------------------------------------------------------------------

const nodeFields = {
  id: NodeIdSchema,
  systemUuid: Type.String(),
  serial: Type.Union([Type.String(), Type.Null()]),
  /** Every MAC seen on this node, lower-case colon form. */
  macs: Type.Array(Type.String()),
  hostname: Type.Union([HostnameSchema, Type.Null()]),
  fqdn: Type.Union([Type.String(), Type.Null()]),
  cluster: Type.Union([NameSchema, Type.Null()]),
  roles: Type.Array(NameSchema),
  groups: Type.Array(NameSchema),
  tags: Type.Array(NameSchema),
  asn: Type.Union([Type.Integer(), Type.Null()]),
  location: Type.Union([LocationSchema, Type.Null()]),
  systemDisk: Type.Union([SystemDiskHintSchema, Type.Null()]),
  bmc: Type.Union([BmcSchema, Type.Null()]),
  addresses: Type.Array(AddressAssignmentSchema),
  state: NodeStateSchema,
  /** Why the node is in this state (failure reason, admin note); null when nothing was said. */
  stateReason: Type.Union([Type.String(), Type.Null()]),
  stateSince: DateTimeSchema,
  bootTarget: BootTargetSchema,
  createdAt: DateTimeSchema,
  updatedAt: DateTimeSchema,
  /** Increments on every change; the ETag is `"<version>"`. */
  version: Type.Integer({ minimum: 1 }),
};

/** A node in lists: everything but the inventory snapshot. */
export const NodeSchema = Type.Object(nodeFields, { ...closed, $id: 'Node' });
export type Node = Static<typeof NodeSchema>;

/** One node with its last inventory. */
export const NodeDetailSchema = Type.Object(
  {
    ...nodeFields,
    inventory: Type.Union([InventorySchema, Type.Null()]),
    inventoriedAt: Type.Union([DateTimeSchema, Type.Null()]),
  },
  { ...closed, $id: 'NodeDetail' },
);
export type NodeDetail = Static<typeof NodeDetailSchema>;

/** Admin changes to a node. Absent fields are unchanged; `null` clears a field. */
export const NodeUpdateSchema = Type.Object(
  {
    hostname: Type.Optional(Type.Union([HostnameSchema, Type.Null()])),
    fqdn: Type.Optional(Type.Union([FqdnSchema, Type.Null()])),
    cluster: Type.Optional(Type.Union([NameSchema, Type.Null()])),
    roles: Type.Optional(Type.Array(NameSchema, { maxItems: 64, uniqueItems: true })),
    groups: Type.Optional(Type.Array(NameSchema, { maxItems: 64, uniqueItems: true })),
    tags: Type.Optional(Type.Array(NameSchema, { maxItems: 64, uniqueItems: true })),
    asn: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 4294967295 }), Type.Null()])),
    location: Type.Optional(Type.Union([LocationSchema, Type.Null()])),
    systemDisk: Type.Optional(Type.Union([SystemDiskHintSchema, Type.Null()])),
    /** Recorded in the history entry. */
    reason: Type.Optional(TextSchema(500)),
  },
  { ...closed, minProperties: 1, $id: 'NodeUpdate' },
);
export type NodeUpdate = Static<typeof NodeUpdateSchema>;

/** An admin-requested state change (maintenance, decommission, reinstall = `bmc-configured`, retry = `inventoried`). */
export const TransitionRequestSchema = Type.Object(
  { to: NodeStateSchema, reason: TextSchema(500) },
  { ...closed, $id: 'TransitionRequest' },
);
export type TransitionRequest = Static<typeof TransitionRequestSchema>;

/** An admin's reason for resetting a node's identity (recorded in its history). */
export const IdentityResetRequestSchema = Type.Object(
  { reason: TextSchema(500) },
  { ...closed, $id: 'IdentityResetRequest' },
);
export type IdentityResetRequest = Static<typeof IdentityResetRequestSchema>;

/** A node's BMC credentials as an admin reads them (every read is a history entry naming the reader). */
export const BmcCredentialsSchema = Type.Object(
  {
    nodeId: NodeIdSchema,
    address: Type.Union([IpSchema, Type.Null()]),
    user: Type.String(),
    password: Type.String(),
  },
  { ...closed, $id: 'BmcCredentials' },
);
export type BmcCredentials = Static<typeof BmcCredentialsSchema>;

/** Filters for the node list; all given filters must match. */
export const NodeListQuerySchema = Type.Object(
  {
    state: Type.Optional(NodeStateSchema),
    site: Type.Optional(NameSchema),
    rack: Type.Optional(NameSchema),
    group: Type.Optional(NameSchema),
    role: Type.Optional(NameSchema),
    tag: Type.Optional(NameSchema),
    cluster: Type.Optional(NameSchema),
    mac: Type.Optional(MacSchema),
    /** Free text: matched against id, hostname, FQDN, serial, system UUID and MACs. */
    q: Type.Optional(TextSchema(100)),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  closed,
);
export type NodeListQuery = Static<typeof NodeListQuerySchema>;

/** A page of a cursor-paginated list: pass `nextCursor` as `cursor` until it is null. */
export const PageSchema = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) }, closed);
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
export const PageQuerySchema = Type.Object(
  {
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  closed,
);
export type PageQuery = Static<typeof PageQuerySchema>;

export const NodePageSchema = PageSchema(NodeSchema);

// ---- history ----------------------------------------------------------------------------------------

export const ActorSchema = Type.Object(
  {
    /** `user`, `token`, `node` or `system` (timeouts, automatic transitions). */
    kind: Type.Union([Type.Literal('user'), Type.Literal('token'), Type.Literal('node'), Type.Literal('system')]),
    name: Type.String(),
  },
  closed,
);
export type Actor = Static<typeof ActorSchema>;

export const HistoryEntrySchema = Type.Object(
  {
    /** Increasing sequence number; the global order of changes. */
    seq: Type.Integer({ minimum: 1 }),
    nodeId: NodeIdSchema,
    at: DateTimeSchema,
    actor: ActorSchema,
    /** `inventory`, `update`, `transition`, `event`, `timeout`, `address`… */
    action: Type.String(),
    reason: Type.Union([Type.String(), Type.Null()]),
    /** The changed fields before and after (secrets never appear here). */
    before: Type.Record(Type.String(), Type.Unknown()),
    after: Type.Record(Type.String(), Type.Unknown()),
  },
  { ...closed, $id: 'HistoryEntry' },
);
export type HistoryEntry = Static<typeof HistoryEntrySchema>;
export const HistoryPageSchema = PageSchema(HistoryEntrySchema);
export const HistoryQuerySchema = Type.Object(
  {
    nodeId: Type.Optional(NodeIdSchema),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  closed,
);
export type HistoryQuery = Static<typeof HistoryQuerySchema>;

// ---- node-facing ---------------------------------------------------------------------------------

export const InventoryResponseSchema = Type.Object(
  {
    nodeId: NodeIdSchema,
    /** True when this submission created the node. */
    created: Type.Boolean(),
    state: NodeStateSchema,
    /**
     * The node's own bearer token, issued when the request was not already made with it. Keep it: it is
     * the only credential for config polls and events, and it is shown once.
     */
    token: Type.Union([Type.String(), Type.Null()]),
  },
  { ...closed, $id: 'InventoryResponse' },
);
export type InventoryResponse = Static<typeof InventoryResponseSchema>;

/** BMC settings for the node's own live system to apply; includes the password. */
export const BmcConfigSchema = Type.Object(
  {
    address: IpSchema,
    prefixLength: Type.Integer({ minimum: 0, maximum: 128 }),
    gateway: Type.Union([IpSchema, Type.Null()]),
    user: Type.String(),
    password: Type.String(),
    /** IPMI channel and user slot to configure. */
    channel: Type.Integer({ minimum: 0, maximum: 15 }),
    userId: Type.Integer({ minimum: 1, maximum: 16 }),
  },
  { ...closed, $id: 'BmcConfig' },
);
export type BmcConfig = Static<typeof BmcConfigSchema>;

export const NodeConfigSchema = Type.Object(
  {
    nodeId: NodeIdSchema,
    state: NodeStateSchema,
    bootTarget: BootTargetSchema,
    hostname: Type.Union([HostnameSchema, Type.Null()]),
    fqdn: Type.Union([Type.String(), Type.Null()]),
    systemDisk: Type.Union([SystemDiskHintSchema, Type.Null()]),
    addresses: Type.Array(AddressAssignmentSchema),
    /** Present only while the node is `ready-for-bmc` (its agent applies it, then reports `bmc-configured`). */
    bmc: Type.Union([BmcConfigSchema, Type.Null()]),
    /** How long the agent should wait before polling again. */
    pollAfterSeconds: Type.Integer({ minimum: 1 }),
  },
  { ...closed, $id: 'NodeConfig' },
);
export type NodeConfig = Static<typeof NodeConfigSchema>;

export const NODE_EVENT_TYPES = ['bmc-configured', 'install-started', 'install-finished', 'failed'] as const;
export type NodeEventType = (typeof NODE_EVENT_TYPES)[number];
export const NodeEventSchema = Type.Object(
  {
    type: Type.Union(NODE_EVENT_TYPES.map((t) => Type.Literal(t))),
    /** Required for `failed`; free text for others. */
    reason: Type.Optional(TextSchema(500)),
  },
  { ...closed, $id: 'NodeEvent' },
);
export type NodeEvent = Static<typeof NodeEventSchema>;

export const NodeEventResponseSchema = Type.Object(
  { nodeId: NodeIdSchema, state: NodeStateSchema, bootTarget: BootTargetSchema },
  closed,
);
export type NodeEventResponse = Static<typeof NodeEventResponseSchema>;

export const BootTargetResponseSchema = Type.Object(
  {
    mac: Type.String(),
    /** Null when no node has this MAC yet: it boots the live system and enrols itself. */
    nodeId: Type.Union([NodeIdSchema, Type.Null()]),
    state: Type.Union([NodeStateSchema, Type.Null()]),
    bootTarget: BootTargetSchema,
    hostname: Type.Union([Type.String(), Type.Null()]),
  },
  { ...closed, $id: 'BootTargetResponse' },
);
export type BootTargetResponse = Static<typeof BootTargetResponseSchema>;

// ---- Ansible export ------------------------------------------------------------------------------

export const AnsibleGroupSchema = Type.Object(
  {
    hosts: Type.Array(Type.String()),
    children: Type.Optional(Type.Array(Type.String())),
    vars: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  closed,
);
export type AnsibleGroup = Static<typeof AnsibleGroupSchema>;

/**
 * The whole dynamic-inventory document Ansible expects from `--list`, in one response:
 * `{ _meta: { hostvars }, all: { children }, <group>: { hosts } … }`. Group names are prefixed by kind:
 * `group_<g>`, `role_<r>`, `site_<s>`, `rack_<site>_<rack>`, `state_<s>` (dashes become `_`),
 * `cluster_<c>`. Hosts are named by hostname, or by node id while unnamed.
 */
export const AnsibleInventorySchema = Type.Object(
  {
    _meta: Type.Object({ hostvars: Type.Record(Type.String(), Type.Record(Type.String(), Type.Unknown())) }, closed),
    all: AnsibleGroupSchema,
  },
  { additionalProperties: AnsibleGroupSchema, $id: 'AnsibleInventory' },
);
export type AnsibleInventory = {
  _meta: { hostvars: Record<string, Record<string, unknown>> };
  all: AnsibleGroup;
} & { [group: string]: AnsibleGroup | { hostvars: Record<string, Record<string, unknown>> } };
export const AnsibleExportQuerySchema = Type.Object(
  { state: Type.Optional(NodeStateSchema), includeDecommissioned: Type.Optional(Type.Boolean({ default: false })) },
  closed,
);
export type AnsibleExportQuery = Static<typeof AnsibleExportQuerySchema>;

// ---- errors, users, tokens -------------------------------------------------------------------------

/** Body of every 4xx/5xx response. `code` is stable (`NODE_NOT_FOUND`, `ILLEGAL_TRANSITION`, …). */
export const ErrorBodySchema = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
  },
  { ...closed, $id: 'ErrorBody' },
);
export type ErrorBody = Static<typeof ErrorBodySchema>;

export const PrincipalSchema = Type.Object(
  {
    name: Type.String(),
    role: RoleSchema,
    /** How this caller authenticated. */
    source: Type.Union([Type.Literal('local'), Type.Literal('ldap'), Type.Literal('token'), Type.Literal('node')]),
    nodeId: Type.Union([NodeIdSchema, Type.Null()]),
  },
  { ...closed, $id: 'Principal' },
);
export type Principal = Static<typeof PrincipalSchema>;

/** The roles a person or an API token can hold. */
const UserRoleSchema = Type.Union([Type.Literal('admin'), Type.Literal('operator'), Type.Literal('viewer')]);

export const UsernameSchema = Type.String({ pattern: '^[a-z_][a-z0-9._-]{0,63}$' });
export const LoginRequestSchema = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 256 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { ...closed, $id: 'LoginRequest' },
);
export type LoginRequest = Static<typeof LoginRequestSchema>;

export const TokenInfoSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    role: UserRoleSchema,
    createdBy: Type.String(),
    createdAt: DateTimeSchema,
    expiresAt: Type.Union([DateTimeSchema, Type.Null()]),
  },
  { ...closed, $id: 'TokenInfo' },
);
export type TokenInfo = Static<typeof TokenInfoSchema>;

/** A freshly issued bearer token: `token` is shown only here, the server keeps a hash. */
export const IssuedTokenSchema = Type.Object(
  { token: Type.String(), info: TokenInfoSchema },
  { ...closed, $id: 'IssuedToken' },
);
export type IssuedToken = Static<typeof IssuedTokenSchema>;

export const LoginResponseSchema = Type.Object(
  { token: Type.String(), expiresAt: DateTimeSchema, principal: PrincipalSchema },
  { ...closed, $id: 'LoginResponse' },
);
export type LoginResponse = Static<typeof LoginResponseSchema>;

export const CreateTokenRequestSchema = Type.Object(
  {
    name: NameSchema,
    role: UserRoleSchema,
    /** Omit for a token that does not expire. */
    expiresInSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 10 * 365 * 86400 })),
  },
  { ...closed, $id: 'CreateTokenRequest' },
);
export type CreateTokenRequest = Static<typeof CreateTokenRequestSchema>;

export const UserSchema = Type.Object(
  {
    username: Type.String(),
    role: UserRoleSchema,
    createdAt: DateTimeSchema,
  },
  { ...closed, $id: 'User' },
);
export type User = Static<typeof UserSchema>;

export const CreateUserRequestSchema = Type.Object(
  {
    username: UsernameSchema,
    password: Type.String({ minLength: 8, maxLength: 1024 }),
    role: UserRoleSchema,
  },
  { ...closed, $id: 'CreateUserRequest' },
);
export type CreateUserRequest = Static<typeof CreateUserRequestSchema>;

export const NodeIdParamsSchema = Type.Object({ nodeId: NodeIdSchema }, closed);
export const MacParamsSchema = Type.Object({ mac: MacSchema }, closed);
export const UsernameParamsSchema = Type.Object({ username: UsernameSchema }, closed);
export const TokenIdParamsSchema = Type.Object({ tokenId: Type.String({ pattern: '^[a-z0-9]{1,64}$' }) }, closed);
export const EmptySchema = Type.Object({}, closed);

/** Stable error codes of the API, with their HTTP status. */
export const MACHINEDB_ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ILLEGAL_TRANSITION: 409,
  NODE_NOT_READY: 409,
  /** Enrolment named a node that exists: prove it with the node's token, or an admin resets its identity. */
  NODE_IDENTITY_CLAIMED: 409,
  CONFLICT: 409,
  PRECONDITION_FAILED: 412,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PRECONDITION_REQUIRED: 428,
  /** Too many failed logins for a user or from an address: wait `details.retryAfterSeconds`. */
  TOO_MANY_REQUESTS: 429,
  ADDRESS_ALLOCATION_FAILED: 503,
  /** The server's database cannot be reached: retry after the `Retry-After` seconds. */
  DATABASE_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;
export type MachineDbErrorCode = keyof typeof MACHINEDB_ERROR_STATUS;
