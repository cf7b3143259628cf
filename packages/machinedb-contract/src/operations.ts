import { type Static, type TSchema, Type } from '@sinclair/typebox';
import {
  type AnsibleInventory,
  AnsibleExportQuerySchema,
  AnsibleInventorySchema,
  BmcCredentialsSchema,
  BootTargetResponseSchema,
  CreateTokenRequestSchema,
  CreateUserRequestSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  IdentityResetRequestSchema,
  InventoryResponseSchema,
  InventorySchema,
  IssuedTokenSchema,
  LoginRequestSchema,
  LoginResponseSchema,
  MacParamsSchema,
  NodeConfigSchema,
  NodeDetailSchema,
  NodeEventResponseSchema,
  NodeEventSchema,
  NodeIdParamsSchema,
  NodeListQuerySchema,
  NodePageSchema,
  NodeUpdateSchema,
  PageQuerySchema,
  PageSchema,
  PrincipalSchema,
  TokenIdParamsSchema,
  TokenInfoSchema,
  TransitionRequestSchema,
  UsernameParamsSchema,
  UserSchema,
} from './model.js';

/**
 * Who may call an operation.
 * - `public`: anyone (boot-target lookup by netboot firmware, the OpenAPI document, login).
 * - `authenticated`: any valid credential (admin, viewer or node).
 * - `viewer`: any user (viewer, operator or admin). `operator`: operator or admin (acting on nodes).
 * - `admin`: admin only (users and tokens).
 * - `node`: only the node named by the `nodeId` path parameter, with its own token. Admins get 403 too:
 *   node config carries the BMC password, which only its node may read.
 * - `enroll`: a live system enrolling itself: the shared provisioning secret when the server has one
 *   (else anyone), or the node's own token.
 */
export type OperationAuth = 'public' | 'authenticated' | 'viewer' | 'operator' | 'admin' | 'node' | 'enroll';
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface OperationSpec {
  id: string;
  method: HttpMethod;
  /** Fastify-style path with `:param` placeholders. */
  path: string;
  summary: string;
  auth: OperationAuth;
  /** Safe to retry after a network error: repeating it leaves the same result. */
  idempotent: boolean;
  /** HTTP status of success. */
  status: 200 | 201;
  params?: TSchema;
  query?: TSchema;
  body?: TSchema;
  response: TSchema;
  /**
   * `required`: the request must carry `If-Match: "<version>"` (428 without it, 412 when stale).
   * `optional`: checked when given. The response of such operations and of `getNode` carries an `ETag`.
   */
  ifMatch?: 'required' | 'optional';
}

const op = <const T extends OperationSpec>(spec: T): T => spec;

const DeletedSchema = Type.Object({ deleted: Type.Boolean() }, { additionalProperties: false });
const OpenApiDocumentSchema = Type.Record(Type.String(), Type.Unknown());

/**
 * Every HTTP operation of the MachineDB API. The server registers its routes from this table and the
 * client's methods are checked against it: an operation added here without a client method fails a test.
 */
export const operations = {
  getOpenApi: op({
    id: 'getOpenApi',
    method: 'GET',
    path: '/openapi.json',
    summary: 'The OpenAPI 3.1 document of this API, built from the operations table',
    auth: 'public',
    idempotent: true,
    status: 200,
    response: OpenApiDocumentSchema,
  }),
  login: op({
    id: 'login',
    method: 'POST',
    path: '/api/v1/auth/login',
    summary: 'Exchange a local or LDAP username and password for a session token',
    auth: 'public',
    idempotent: false,
    status: 200,
    body: LoginRequestSchema,
    response: LoginResponseSchema,
  }),
  whoami: op({
    id: 'whoami',
    method: 'GET',
    path: '/api/v1/auth/whoami',
    summary: 'Who the credential belongs to and its role',
    auth: 'authenticated',
    idempotent: true,
    status: 200,
    response: PrincipalSchema,
  }),
  listUsers: op({
    id: 'listUsers',
    method: 'GET',
    path: '/api/v1/users',
    summary: 'Local users',
    auth: 'admin',
    idempotent: true,
    status: 200,
    query: PageQuerySchema,
    response: PageSchema(UserSchema),
  }),
  createUser: op({
    id: 'createUser',
    method: 'POST',
    path: '/api/v1/users',
    summary: 'Create a local user (409 when the name exists)',
    auth: 'admin',
    idempotent: false,
    status: 201,
    body: CreateUserRequestSchema,
    response: UserSchema,
  }),
  deleteUser: op({
    id: 'deleteUser',
    method: 'DELETE',
    path: '/api/v1/users/:username',
    summary: 'Delete a local user and its sessions',
    auth: 'admin',
    idempotent: true,
    status: 200,
    params: UsernameParamsSchema,
    response: DeletedSchema,
  }),
  listTokens: op({
    id: 'listTokens',
    method: 'GET',
    path: '/api/v1/tokens',
    summary: 'API tokens (never their secrets)',
    auth: 'admin',
    idempotent: true,
    status: 200,
    query: PageQuerySchema,
    response: PageSchema(TokenInfoSchema),
  }),
  createToken: op({
    id: 'createToken',
    method: 'POST',
    path: '/api/v1/tokens',
    summary: 'Issue an API token for scripts; the secret is in this response only',
    auth: 'admin',
    idempotent: false,
    status: 201,
    body: CreateTokenRequestSchema,
    response: IssuedTokenSchema,
  }),
  revokeToken: op({
    id: 'revokeToken',
    method: 'DELETE',
    path: '/api/v1/tokens/:tokenId',
    summary: 'Revoke an API token',
    auth: 'admin',
    idempotent: true,
    status: 200,
    params: TokenIdParamsSchema,
    response: DeletedSchema,
  }),
  listNodes: op({
    id: 'listNodes',
    method: 'GET',
    path: '/api/v1/nodes',
    summary: 'Nodes matching the filters, ordered by id, one page at a time',
    auth: 'viewer',
    idempotent: true,
    status: 200,
    query: NodeListQuerySchema,
    response: NodePageSchema,
  }),
  getNode: op({
    id: 'getNode',
    method: 'GET',
    path: '/api/v1/nodes/:nodeId',
    summary: 'One node with its inventory; the ETag header carries its version',
    auth: 'viewer',
    idempotent: true,
    status: 200,
    params: NodeIdParamsSchema,
    response: NodeDetailSchema,
  }),
  updateNode: op({
    id: 'updateNode',
    method: 'PATCH',
    path: '/api/v1/nodes/:nodeId',
    summary:
      'Set location, system disk, hostname, groups, roles, tags; an inventoried node with location and disk becomes ready-for-bmc',
    auth: 'operator',
    idempotent: false,
    status: 200,
    params: NodeIdParamsSchema,
    body: NodeUpdateSchema,
    response: NodeDetailSchema,
    ifMatch: 'required',
  }),
  transitionNode: op({
    id: 'transitionNode',
    method: 'POST',
    path: '/api/v1/nodes/:nodeId/transition',
    summary: 'Move a node to another state (maintenance, decommissioned, reinstall via bmc-configured …)',
    auth: 'operator',
    idempotent: false,
    status: 200,
    params: NodeIdParamsSchema,
    body: TransitionRequestSchema,
    response: NodeDetailSchema,
    ifMatch: 'optional',
  }),
  resetNodeIdentity: op({
    id: 'resetNodeIdentity',
    method: 'POST',
    path: '/api/v1/nodes/:nodeId/identity-reset',
    summary:
      "Forget a node's token so that its next enrolment without credentials claims it once (after a disk wipe or a database restore)",
    auth: 'admin',
    idempotent: true,
    status: 200,
    params: NodeIdParamsSchema,
    body: IdentityResetRequestSchema,
    response: NodeDetailSchema,
  }),
  getNodeBmcCredentials: op({
    id: 'getNodeBmcCredentials',
    method: 'GET',
    path: '/api/v1/nodes/:nodeId/bmc-credentials',
    summary: "A node's BMC address, user and password; every read is recorded in the node's history with the reader",
    auth: 'admin',
    idempotent: true,
    status: 200,
    params: NodeIdParamsSchema,
    response: BmcCredentialsSchema,
  }),
  listNodeHistory: op({
    id: 'listNodeHistory',
    method: 'GET',
    path: '/api/v1/nodes/:nodeId/history',
    summary: 'Changes to one node, newest first',
    auth: 'viewer',
    idempotent: true,
    status: 200,
    params: NodeIdParamsSchema,
    query: PageQuerySchema,
    response: HistoryPageSchema,
  }),
  listHistory: op({
    id: 'listHistory',
    method: 'GET',
    path: '/api/v1/history',
    summary: 'Changes to all nodes, newest first',
    auth: 'viewer',
    idempotent: true,
    status: 200,
    query: HistoryQuerySchema,
    response: HistoryPageSchema,
  }),
  submitInventory: op({
    id: 'submitInventory',
    method: 'POST',
    path: '/api/v1/inventory',
    summary: 'A live system reports its hardware; the node is found by system UUID, then by any known MAC, or created',
    auth: 'enroll',
    idempotent: true,
    status: 200,
    body: InventorySchema,
    response: InventoryResponseSchema,
  }),
  getNodeConfig: op({
    id: 'getNodeConfig',
    method: 'GET',
    path: '/api/v1/nodes/:nodeId/config',
    summary: "The node's own configuration; BMC settings only while it is ready-for-bmc",
    auth: 'node',
    idempotent: true,
    status: 200,
    params: NodeIdParamsSchema,
    response: NodeConfigSchema,
  }),
  reportNodeEvent: op({
    id: 'reportNodeEvent',
    method: 'POST',
    path: '/api/v1/nodes/:nodeId/events',
    summary: 'The node reports progress; repeating an event already applied is a no-op',
    auth: 'node',
    idempotent: true,
    status: 200,
    params: NodeIdParamsSchema,
    body: NodeEventSchema,
    response: NodeEventResponseSchema,
  }),
  getBootTarget: op({
    id: 'getBootTarget',
    method: 'GET',
    path: '/api/v1/boot-targets/:mac',
    summary: 'What a PXE-booting MAC should boot: live, install or local',
    auth: 'public',
    idempotent: true,
    status: 200,
    params: MacParamsSchema,
    response: BootTargetResponseSchema,
  }),
  exportAnsibleInventory: op({
    id: 'exportAnsibleInventory',
    method: 'GET',
    path: '/api/v1/export/ansible',
    summary: 'The whole Ansible dynamic inventory document (--list) in one response',
    auth: 'viewer',
    idempotent: true,
    status: 200,
    query: AnsibleExportQuerySchema,
    response: AnsibleInventorySchema,
  }),
} as const;

export type Operations = typeof operations;
export type OperationId = keyof Operations;
/** All operations as a list, in table order. */
export const operationList: readonly OperationSpec[] = Object.values(operations);

type StaticOf<T, K extends string> = T extends { [P in K]: infer S extends TSchema } ? Static<S> : undefined;
/** Path parameters of an operation (`undefined` when it has none). */
export type OperationParams<K extends OperationId> = StaticOf<Operations[K], 'params'>;
/** Query string of an operation (`undefined` when it has none). */
export type OperationQuery<K extends OperationId> = StaticOf<Operations[K], 'query'>;
/** Request body of an operation (`undefined` when it has none). */
export type OperationBody<K extends OperationId> = StaticOf<Operations[K], 'body'>;
/** Success response body of an operation. */
export type OperationResponse<K extends OperationId> = K extends 'exportAnsibleInventory'
  ? AnsibleInventory
  : Static<Operations[K]['response']>;

/** Renders a table path with its parameters (`/api/v1/nodes/:nodeId` → `/api/v1/nodes/n1`), URL-encoded. */
export function operationPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([A-Za-z]+)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(value);
  });
}
