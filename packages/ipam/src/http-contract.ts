import { type Static, type TSchema, Type } from '@sinclair/typebox';

/**
 * The IPAM HTTP API contract: request schemas (TypeBox, i.e. JSON Schema the server's Ajv compiles) and the
 * operations table. The server mounts its `/api/v1/ipam/...` routes from these schemas; `createIpamClient`
 * builds its requests from the same table. Error answers are JSON `{ code, message, details }`.
 */

const Str = Type.String({ maxLength: 200 });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Description = Type.String({ maxLength: 500 });
const StatusSchema = () => Enum(['active', 'reserved', 'deprecated', 'quarantine']);
const FamilyText = () => Enum(['4', '6']);
const Closed = { additionalProperties: false } as const;
/** `{ type, enum }` (not TypeBox's anyOf of literals): Ajv's error answer reads "must be equal to one of the allowed values". */
function Enum<const T extends readonly (string | number)[]>(values: T, options: { default?: T[number] } = {}) {
  const type = typeof values[0] === 'number' ? 'integer' : 'string';
  return Type.Unsafe<T[number]>({ type, enum: [...values], ...options });
}

export const IpamListPrefixesQuerySchema = Type.Object(
  { parent: Type.Optional(Str), vrf: Type.Optional(Str), family: Type.Optional(FamilyText()) },
  Closed,
);
export const IpamSearchQuerySchema = Type.Object(
  {
    tag: Type.Optional(Str),
    function: Type.Optional(Str),
    description: Type.Optional(Str),
    node: Type.Optional(Str),
    pool: Type.Optional(Str),
  },
  Closed,
);
export const IpamAddressParamsSchema = Type.Object({ address: Type.String() });
export const IpamPrefixIdParamsSchema = Type.Object({ id: Type.String() });
export const IpamAddPrefixBodySchema = Type.Object(
  {
    prefix: Str,
    kind: Enum(['reservation', 'assignment', 'host']),
    vrf: Type.Optional(Str),
    description: Type.Optional(Description),
    function: Type.Optional(Str),
    status: Type.Optional(StatusSchema()),
    tags: Type.Optional(Type.Array(Str, { maxItems: 64 })),
    node: Type.Optional(Nullable(Str)),
    pool: Type.Optional(Nullable(Str)),
    expiresAt: Type.Optional(Nullable(Str)),
  },
  Closed,
);
export const IpamRemovePrefixQuerySchema = Type.Object({ recursive: Type.Optional(Enum(['true', 'false'])) }, Closed);
export const IpamAddPoolBodySchema = Type.Object(
  {
    name: Str,
    description: Type.Optional(Description),
    defaultLengthV4: Type.Optional(Type.Integer({ minimum: 0, maximum: 32 })),
    defaultLengthV6: Type.Optional(Type.Integer({ minimum: 0, maximum: 128 })),
  },
  Closed,
);
export const IpamAllocateBodySchema = Type.Object(
  {
    what: Enum(['address', 'prefix', 'transfer']),
    pool: Type.Optional(Str),
    from: Type.Optional(Str),
    length: Type.Optional(Type.Integer({ minimum: 0, maximum: 128 })),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    family: Type.Optional(Enum([4, 6])),
    node: Type.Optional(Str),
    function: Type.Optional(Str),
    description: Type.Optional(Description),
  },
  Closed,
);
export const IpamNextFreeQuerySchema = Type.Object(
  {
    what: Type.Optional(Enum(['address', 'prefix'], { default: 'address' })),
    pool: Type.Optional(Str),
    from: Type.Optional(Str),
    family: Type.Optional(FamilyText()),
    length: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  },
  Closed,
);
export const IpamReleaseBodySchema = Type.Object(
  { prefix: Str, vrf: Type.Optional(Str), recursive: Type.Optional(Type.Boolean()) },
  Closed,
);
export const IpamExportQuerySchema = Type.Object({ format: Type.Optional(Enum(['json', 'csv'])) }, Closed);
export const IpamImportBodySchema = Type.Object({ format: Enum(['json', 'csv']), data: Type.String() }, Closed);
export const IpamHistoryQuerySchema = Type.Object(
  { limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })) },
  Closed,
);
/** Every error answer of the IPAM API. */
export const IpamErrorBodySchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

// Response schemas: what the client checks every answer against (`createIpamClient`). Open objects, so a newer
// server that adds a field does not break an older client; every field the types name is required.
const Int = Type.Integer();
const NullableStr = Nullable(Type.String());
// Unions of literals, not `Enum` (`Type.Unsafe`), which TypeBox's compiler cannot check.
const L = Type.Literal;
/** A prefix as the API answers it (the `Prefix` type). */
export const IpamPrefixSchema = Type.Object({
  id: Int,
  vrf: Type.String(),
  prefix: Type.String(),
  family: Type.Union([L(4), L(6)]),
  length: Type.Integer({ minimum: 0, maximum: 128 }),
  kind: Type.Union([L('reservation'), L('assignment'), L('host')]),
  parentId: Nullable(Int),
  description: Type.String(),
  function: Type.String(),
  status: Type.Union([L('active'), L('reserved'), L('deprecated'), L('quarantine')]),
  tags: Type.Array(Type.String()),
  node: NullableStr,
  expiresAt: NullableStr,
  pool: NullableStr,
  createdAt: Type.String(),
  createdBy: Type.String(),
  updatedAt: Type.String(),
  updatedBy: Type.String(),
});
const UsageCounts = Type.Object({ total: Type.String(), used: Type.String(), free: Type.String(), prefixes: Int });
/** A pool with its usage, as `listPools` answers (`addPool` answers the pool without `usage`). */
export const IpamPoolSchema = Type.Object({
  name: Type.String(),
  vrf: Type.String(),
  description: Type.String(),
  defaultLength: Type.Object({ v4: Nullable(Int), v6: Nullable(Int) }),
  keepFree: Type.Object({ network: Type.Boolean(), broadcast: Type.Boolean(), gateways: Int }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export const IpamPoolWithUsageSchema = Type.Intersect([
  IpamPoolSchema,
  Type.Object({ usage: Type.Object({ pool: Type.String(), v4: UsageCounts, v6: UsageCounts }) }),
]);
export const IpamTransferNetSchema = Type.Object({ net: IpamPrefixSchema, a: Type.String(), b: Type.String() });
export const IpamNextFreeSchema = Type.Object({
  next: Nullable(Type.Object({ prefix: Type.String(), address: Type.String(), parent: IpamPrefixSchema })),
});
export const IpamHistoryEntrySchema = Type.Object({
  id: Int,
  at: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  vrf: NullableStr,
  subject: Type.String(),
  before: Nullable(Type.Record(Type.String(), Type.Unknown())),
  after: Nullable(Type.Record(Type.String(), Type.Unknown())),
});
export const IpamImportResultSchema = Type.Object({
  added: Int,
  updated: Int,
  vrfsAdded: Int,
  poolsAdded: Int,
});
const Count = (name: 'removed' | 'released') => Type.Object({ [name]: Type.Integer({ minimum: 0 }) });

export type IpamListPrefixesQuery = Static<typeof IpamListPrefixesQuerySchema>;
export type IpamSearchQuery = Static<typeof IpamSearchQuerySchema>;
export type IpamAddPrefixBody = Static<typeof IpamAddPrefixBodySchema>;
export type IpamAddPoolBody = Static<typeof IpamAddPoolBodySchema>;
export type IpamAllocateBody = Static<typeof IpamAllocateBodySchema>;
export type IpamNextFreeQuery = Static<typeof IpamNextFreeQuerySchema>;
export type IpamReleaseBody = Static<typeof IpamReleaseBodySchema>;
export type IpamImportBody = Static<typeof IpamImportBodySchema>;
export type IpamErrorBody = Static<typeof IpamErrorBodySchema>;

export type IpamRole = 'viewer' | 'admin';

export interface IpamOperationSpec {
  id: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify-style path with `:param` placeholders. */
  path: string;
  /** The least role that may call it. */
  role: IpamRole;
  /** HTTP status of success. */
  status: 200 | 201;
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
  /** The success answer's JSON (none for `exportPlan`, whose answer is the plan as text). */
  response?: TSchema;
  /**
   * Safe to repeat after a network error or a retryable answer (503, 502, 504, 429 with a short Retry-After):
   * the client retries only these operations.
   */
  idempotent: boolean;
}

const op = <const T extends IpamOperationSpec>(spec: T): T => spec;

/** Every HTTP operation of the IPAM API under `/api/v1/ipam`. */
export const ipamOperations = {
  listPrefixes: op({
    id: 'listPrefixes',
    method: 'GET',
    path: '/api/v1/ipam/prefixes',
    role: 'viewer',
    status: 200,
    query: IpamListPrefixesQuerySchema,
    response: Type.Array(IpamPrefixSchema),
    idempotent: true,
  }),
  searchPrefixes: op({
    id: 'searchPrefixes',
    method: 'GET',
    path: '/api/v1/ipam/search',
    role: 'viewer',
    status: 200,
    query: IpamSearchQuerySchema,
    response: Type.Array(IpamPrefixSchema),
    idempotent: true,
  }),
  lookup: op({
    id: 'lookup',
    method: 'GET',
    path: '/api/v1/ipam/lookup/:address',
    role: 'viewer',
    status: 200,
    params: IpamAddressParamsSchema,
    response: IpamPrefixSchema,
    idempotent: true,
  }),
  addPrefix: op({
    id: 'addPrefix',
    method: 'POST',
    path: '/api/v1/ipam/prefixes',
    role: 'admin',
    status: 201,
    body: IpamAddPrefixBodySchema,
    response: IpamPrefixSchema,
    idempotent: false,
  }),
  removePrefix: op({
    id: 'removePrefix',
    method: 'DELETE',
    path: '/api/v1/ipam/prefixes/:id',
    role: 'admin',
    status: 200,
    params: IpamPrefixIdParamsSchema,
    query: IpamRemovePrefixQuerySchema,
    response: Count('removed'),
    idempotent: false,
  }),
  listPools: op({
    id: 'listPools',
    method: 'GET',
    path: '/api/v1/ipam/pools',
    role: 'viewer',
    status: 200,
    response: Type.Array(IpamPoolWithUsageSchema),
    idempotent: true,
  }),
  addPool: op({
    id: 'addPool',
    method: 'POST',
    path: '/api/v1/ipam/pools',
    role: 'admin',
    status: 201,
    body: IpamAddPoolBodySchema,
    response: IpamPoolSchema,
    idempotent: false,
  }),
  allocate: op({
    id: 'allocate',
    method: 'POST',
    path: '/api/v1/ipam/allocate',
    role: 'admin',
    status: 201,
    body: IpamAllocateBodySchema,
    response: Type.Union([IpamPrefixSchema, Type.Array(IpamPrefixSchema), IpamTransferNetSchema]),
    idempotent: false,
  }),
  nextFree: op({
    id: 'nextFree',
    method: 'GET',
    path: '/api/v1/ipam/next-free',
    role: 'viewer',
    status: 200,
    query: IpamNextFreeQuerySchema,
    response: IpamNextFreeSchema,
    idempotent: true,
  }),
  release: op({
    id: 'release',
    method: 'POST',
    path: '/api/v1/ipam/release',
    role: 'admin',
    status: 200,
    body: IpamReleaseBodySchema,
    response: Count('released'),
    idempotent: false,
  }),
  exportPlan: op({
    id: 'exportPlan',
    method: 'GET',
    path: '/api/v1/ipam/export',
    role: 'viewer',
    status: 200,
    query: IpamExportQuerySchema,
    idempotent: true,
  }),
  importPlan: op({
    id: 'importPlan',
    method: 'POST',
    path: '/api/v1/ipam/import',
    role: 'admin',
    status: 200,
    body: IpamImportBodySchema,
    response: IpamImportResultSchema,
    idempotent: false,
  }),
  history: op({
    id: 'history',
    method: 'GET',
    path: '/api/v1/ipam/history',
    role: 'viewer',
    status: 200,
    query: IpamHistoryQuerySchema,
    response: Type.Array(IpamHistoryEntrySchema),
    idempotent: true,
  }),
} as const;

export type IpamOperationId = keyof typeof ipamOperations;
