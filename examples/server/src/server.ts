import { randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkNodeLocation } from '@fleet/bootconfig';
import {
  type ConsulClient,
  type DriftReport,
  closeConsul,
  compareMachineDbWithConsul,
  createConsul,
  parseConsulAddress,
} from '@fleet/consul';
import {
  type ConnectionFault,
  describeError,
  FleetError,
  type Logger,
  isDatabaseUnavailable,
  isFleetError,
  silentLogger,
  toDatabaseUnavailable,
} from '@fleet/core';
import {
  type Ipam,
  createIpam,
  createPostgresStore as createIpamPostgresStore,
  createSqliteStore as createIpamSqliteStore,
  releaseNodeFabric,
} from '@fleet/ipam';
import {
  type AddressAllocator,
  DATABASE_RETRY_AFTER_SECONDS,
  type MachineDbApp,
  createIpamAllocator,
  createCachedStore,
  createMachineDbApp,
  createPostgresNodeChangeFeed,
  createPostgresStore,
  createSqliteStore,
  errorBody,
  httpStatusOfError,
} from '@fleet/machinedb';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ServerConfig, checkSite, defaultSite } from './config.js';
import { type BootWiring, bootFilesFor, imagePath, installerFile, netbootFile, netbootRequest } from './boot.js';
import { canonicalHeaderCase } from './header-case.js';
import { registerIpamRoutes } from './ipam-routes.js';
import { logRequests } from './request-log.js';
import { createMetrics } from './metrics.js';
import { checkReadiness } from './readiness.js';
import { createRenderCache, renderCacheKey } from './render-cache.js';
import { listAllNodes } from './nodes.js';
import { networkConfigProblems } from './network-config.js';
import { createFleetView } from './web/fleet-view.js';
import { registerWebConsole } from './web/index.js';

export interface FleetServer {
  app: FastifyInstance;
  machineDb: MachineDbApp['machineDb'];
  ipam: Ipam;
  /** Set on the first start of an empty database: the generated admin password, shown once. */
  initialAdmin: { username: string; password: string } | null;
  drift(): Promise<DriftReport>;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export type Role = 'admin' | 'operator' | 'viewer';

/** The JSON error body every added route answers with. */
export function sendError(reply: FastifyReply, error: unknown, logger: Logger): FastifyReply {
  if (isDatabaseUnavailable(error)) return sendUnavailable(reply, error, logger);
  if (isFleetError(error)) {
    // From the error's kind (the MachineDB contract's own status for its codes): no guessing from `code`.
    const status = httpStatusOfError(error);
    if (status >= 500) logger.error('request failed', { code: error.code, message: error.message });
    return reply.code(status).send({ code: error.code, message: error.message, details: error.details });
  }
  // The same body and codes as the MachineDB routes (`errorBody` of @fleet/machinedb): one vocabulary.
  const fastifyError = error as {
    statusCode?: number;
    validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
    validationContext?: string;
    message?: string;
  };
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const part =
      fastifyError.validationContext === 'querystring' ? 'query' : (fastifyError.validationContext ?? 'body');
    const extra = first?.params?.additionalProperty;
    const path = [part, ...(first?.instancePath ?? '').split('/').filter(Boolean), ...(extra ? [String(extra)] : [])];
    const field = path.join('.');
    const message = extra ? 'unknown field: remove it' : (first?.message ?? 'is invalid');
    return reply
      .code(400)
      .send({ code: 'VALIDATION_FAILED', message: `${field}: ${message}`, details: { field, in: part } });
  }
  if (fastifyError.statusCode && fastifyError.statusCode < 500) {
    const { status, body } = errorBody(error);
    return reply.code(status).send(body);
  }
  logger.error('unexpected error', { message: (error as Error).message });
  return reply.code(500).send({ code: 'INTERNAL', message: 'internal error: see the server log', details: {} });
}

let lastUnavailableLog = 0;

/** 503 DATABASE_UNAVAILABLE with Retry-After: the database is away, the client should come back shortly. */
function sendUnavailable(reply: FastifyReply, error: unknown, logger: Logger): FastifyReply {
  const unavailable = toDatabaseUnavailable(error, 'server');
  const body = isFleetError(unavailable)
    ? unavailable.toJSON()
    : { code: 'DATABASE_UNAVAILABLE', message: 'the database cannot be reached: retry shortly', details: {} };
  // One line every few seconds while it lasts, not one per request.
  if (Date.now() - lastUnavailableLog > 5_000) {
    lastUnavailableLog = Date.now();
    logger.warn('database unavailable: answering 503', body.details);
  }
  return reply.code(503).header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS)).send(body);
}

function readOrCreateServerKey(dataDir: string): string {
  const file = join(dataDir, 'server.key');
  if (!existsSync(file)) {
    writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return readFileSync(file, 'utf8').trim();
}

/** Wires the packages into one provisioning server. No domain rules live here: each package owns its own. */
export async function createFleetServer(config: ServerConfig, logger: Logger = silentLogger): Promise<FleetServer> {
  mkdirSync(config.dataDir, { recursive: true });
  const serverKey = config.serverKey ?? readOrCreateServerKey(config.dataDir);
  const metrics = createMetrics();
  // A dropped database connection is one log line and one count; the pools reconnect on the next query.
  const onConnectionError = (fault: ConnectionFault) => metrics.countConnectionError(fault.store, fault.code);
  const ipamStore =
    config.database.kind === 'postgres'
      ? await createIpamPostgresStore({ connectionString: config.database.url, logger, onConnectionError })
      : createIpamSqliteStore({ path: join(config.dataDir, 'ipam.sqlite') });
  const ipam = createIpam({ store: ipamStore, actor: 'fleet-server' });
  await seedIpam(ipam, config);
  for (const problem of await networkConfigProblems(ipam, config.network)) logger.warn(`config ${problem}`, {});
  // Hot reads (nodes by id and by boot MAC) come from memory, dropped on every change: with PostgreSQL
  // other servers' changes arrive through LISTEN/NOTIFY; SQLite has only this process writing.
  const store =
    config.database.kind === 'postgres'
      ? createCachedStore(createPostgresStore({ url: config.database.url, logger, onConnectionError }), {
          feed: await createPostgresNodeChangeFeed({ url: config.database.url, logger, onConnectionError }),
        })
      : createCachedStore(createSqliteStore({ path: join(config.dataDir, 'machinedb.sqlite') }));
  // Kept encoded: a boot of an unchanged node writes the cached bytes, no string is encoded per request.
  const rendered = createRenderCache<{ contentType: string; body: Buffer }>();
  const mdb = await createMachineDbApp({
    store,
    serverKey,
    allocator: withFabricRelease(ipam, createIpamAllocator({ ipam, pools: { bmc: 'bmc', primary: 'primary' } })),
    addressPurposes: ['bmc', 'primary'],
    logger,
    sweepIntervalMs: config.sweepIntervalSeconds * 1000,
    ...(config.stateTimeouts ? { stateTimeouts: config.stateTimeouts } : {}),
    ...(config.provisioningSecret ? { provisioningSecret: config.provisioningSecret } : {}),
    requireAcceptance: config.requireAcceptance,
    ...(config.ldap ? { ldap: config.ldap } : {}),
    // A rack missing from the site's ASN scheme is refused when set, by the renderers' rule (boot.ts
    // renders with the node's first role).
    checkLocation: (location, roles) =>
      checkNodeLocation(wiring.site, { rack: location.rack, role: roles[0] ?? 'default' }),
  });
  const { app, machineDb } = mdb;
  if (config.logRequests) logRequests(app, logger);
  // Netboot clients read our answers: GRUB needs `Content-Length` spelt just so.
  canonicalHeaderCase(app, '/boot/');

  let initialAdmin: FleetServer['initialAdmin'] = null;
  const password = randomBytes(12).toString('base64url');
  if (await machineDb.ensureUser({ username: config.adminUser, password, role: 'admin' })) {
    initialAdmin = { username: config.adminUser, password };
  }

  const consuls = new Map<string, ConsulClient>();
  for (const dc of config.consul) {
    const { host, port, secure } = parseConsulAddress(dc.url, { field: `consul ${dc.name}` });
    consuls.set(
      dc.name,
      createConsul({
        host,
        port,
        secure,
        ...(dc.token ? { token: dc.token } : {}),
        defaults: { dc: dc.name },
      }),
    );
  }
  const drift = async (): Promise<DriftReport> => {
    if (consuls.size === 0)
      throw new FleetError(
        'DRIFT_NOT_CONFIGURED',
        'no Consul datacenters are configured: set FLEET_CONSUL_DATACENTERS=dc1=http://host:8500',
        { kind: 'conflict' },
      );
    return await compareMachineDbWithConsul({
      source: await listAllNodes(machineDb),
      datacenters: [...consuls].map(([name, consul]) => ({ name, consul })),
    });
  };

  // Who made each authorised request, for the history: only ever the authenticated identity, never a header.
  const actors = new WeakMap<FastifyRequest, string>();
  const authorize = async (request: FastifyRequest, reply: FastifyReply, role: Role): Promise<boolean> => {
    const caller = await machineDb.authenticate(request.headers.authorization, request.ip).catch((error: unknown) => {
      // An outage is not a wrong password: the caller gets 503 and tries again; a locked login gets 429.
      if (isDatabaseUnavailable(error)) throw error;
      if (isFleetError(error) && error.code === 'TOO_MANY_REQUESTS') throw error;
      return null;
    });
    if (!caller || caller.kind !== 'user') {
      void reply
        .code(401)
        .header('www-authenticate', 'Basic realm="fleet"')
        .send({ code: 'UNAUTHENTICATED', message: 'log in: Basic auth or a Bearer token', details: {} });
      return false;
    }
    actors.set(request, `${caller.actor.kind}:${caller.actor.name}`);
    const rank = { viewer: 0, operator: 1, admin: 2 } as const;
    const has = caller.principal.role === 'node' ? -1 : rank[caller.principal.role];
    if (has < rank[role]) {
      void reply.code(403).send({
        code: 'FORBIDDEN',
        message: `${caller.principal.name} is a ${caller.principal.role}; this needs ${role}`,
        details: {},
      });
      return false;
    }
    return true;
  };

  const wiring: BootWiring = {
    site: config.site,
    firmware: config.firmware,
    ipam,
    network: config.network,
    installToken: async (nodeId) => await machineDb.issueInstallToken(nodeId),
  };

  if (config.netbootImageDir === null) {
    logger.warn('no netbootImageDir: netboot kernels and initrds are not served (FLEET_NETBOOT_IMAGE_DIR)', {});
  } else {
    const { live, installers } = config.site.netboot;
    for (const image of [live, ...Object.values(installers)]) {
      for (const path of [image.kernel, image.initrd]) {
        const file = join(config.netbootImageDir, path.replace(/^\/images\//, ''));
        if (!existsSync(file)) logger.warn('netboot image missing: nodes cannot boot it', { path, file });
      }
    }
  }

  metrics.observe(app);
  // Counters the MachineDB keeps on every change: a scrape costs one aggregate, not a walk over the nodes.
  metrics.sources.nodesPerState = () => machineDb.nodeCountsByState();

  // The console's node snapshot is filled now, not by the first page after a start (with 10,000 nodes that
  // page read every node: 438 ms); /readyz answers not-ready until it is. A failure (database down) only
  // leaves it cold: the first page then reads it, and the database check reports the outage.
  const fleetView = createFleetView(machineDb);
  const warmStarted = performance.now();
  const consoleWarm = { done: false, ms: 0 };
  void fleetView.warm().then(
    () => {
      consoleWarm.ms = Math.round(performance.now() - warmStarted);
      consoleWarm.done = true;
      logger.info('console cache warm', { ms: consoleWarm.ms });
    },
    (error: unknown) => {
      consoleWarm.ms = Math.round(performance.now() - warmStarted);
      consoleWarm.done = true;
      logger.warn('console cache not warmed: the first node list reads it', { error: describeError(error) });
    },
  );

  await app.register(async (scope) => {
    scope.setErrorHandler((error, _request, reply) => sendError(reply, error, logger));
    // Liveness: the process answers. Readiness (database, LDAP, Consul) is /readyz.
    scope.get('/healthz', async () => ({ status: 'ok' }));
    scope.get('/readyz', async (_request, reply) => {
      const report = await checkReadiness({
        database: {
          machinedb: () => machineDb.getNode('readyz-probe'),
          ipam: () => ipam.listVrfs(),
        },
        ldapUrl: config.ldap?.url ?? null,
        consul: consuls,
        startup: { console: () => consoleWarm },
      });
      return reply.code(report.status === 'ready' ? 200 : 503).send(report);
    });
    scope.get('/metrics', async (_request, reply) =>
      reply.type('text/plain; version=0.0.4').send(await metrics.render()),
    );

    // Netboot: GRUB/iPXE ask by MAC on every boot (GRUB by its own file names, grub.cfg-01-<mac> then
    // grub.cfg; iPXE by ${net0/mac}); unknown MACs get the live system.
    const nodeByMac = async (mac: string) => {
      const target = await machineDb.bootTarget(mac);
      return target.nodeId ? await machineDb.getNode(target.nodeId) : null;
    };
    for (const kind of ['grub', 'ipxe'] as const) {
      scope.get<{ Params: { name: string } }>(`/boot/${kind}/:name`, async (request, reply) => {
        const mac = netbootRequest(kind, request.params.name);
        const node = mac === null ? null : await nodeByMac(mac);
        const file = await rendered.get(renderCacheKey(kind, mac ?? 'default', node), async () => {
          const { contentType, content } = netbootFile(await bootFilesFor(wiring, node, mac), kind);
          return { contentType, body: Buffer.from(content) };
        });
        return reply.type(file.contentType).send(file.body);
      });
    }
    // The installer fetches its files without credentials (only what its kernel command line names:
    // <baseUrl>/installer/<boot MAC>/<file>), so they are served only while the node installs.
    scope.get<{ Params: { mac: string; file: string } }>('/boot/installer/:mac/:file', async (request, reply) => {
      const node = await nodeByMac(request.params.mac);
      if (!node || node.bootTarget !== 'install') {
        return reply
          .code(404)
          .send({ code: 'BOOT_NOT_INSTALLING', message: 'this MAC is not being installed', details: {} });
      }
      const file = installerFile(await bootFilesFor(wiring, node, request.params.mac), request.params.file);
      if (!file)
        return reply
          .code(404)
          .send({ code: 'NOT_FOUND', message: `no installer file ${request.params.file}`, details: {} });
      // The installer reports install-started itself (its early command, with the install token): a fetch
      // of this file proves only that something asked for it.
      return reply.type(file.contentType).send(file.content);
    });
    // Kernels and initrds the netboot entries load, from netbootImageDir.
    scope.get<{ Params: { '*': string } }>('/boot/images/*', async (request, reply) => {
      if (config.netbootImageDir === null) {
        return reply.code(404).send({
          code: 'BOOT_IMAGES_NOT_CONFIGURED',
          message: 'this server serves no netboot images: set netbootImageDir (FLEET_NETBOOT_IMAGE_DIR)',
          details: {},
        });
      }
      const path = imagePath(config.netbootImageDir, request.params['*']);
      const stat = path === null ? null : statSync(path, { throwIfNoEntry: false });
      if (path === null || !stat?.isFile()) {
        return reply.code(404).send({
          code: 'BOOT_IMAGE_NOT_FOUND',
          message: `no netboot image /images/${request.params['*']}: put it into netbootImageDir`,
          details: {},
        });
      }
      return reply.type('application/octet-stream').header('content-length', stat.size).send(createReadStream(path));
    });
    // First-boot files for admins (the node gets them through its installer).
    scope.get<{ Params: { id: string } }>('/api/v1/nodes/:id/boot-files', async (request, reply) => {
      if (!(await authorize(request, reply, 'admin'))) return reply;
      const node = await machineDb.getNode(request.params.id);
      const mac = node.macs[0];
      if (!mac)
        return reply.code(409).send({ code: 'BOOT_NODE_NOT_READY', message: 'node has no MAC yet', details: {} });
      const files = await bootFilesFor(wiring, node, mac);
      return files.map((f) => (f.secret ? { ...f, content: '[secret: fetch on the node]' } : f));
    });
    scope.get('/api/v1/drift', async (request, reply) => {
      if (!(await authorize(request, reply, 'viewer'))) return reply;
      return await drift();
    });
    await registerIpamRoutes(scope, ipam, authorize, (request) => actors.get(request) ?? 'unknown');
    // The console in its own scope: its form parser and pages stay out of the API's.
    await scope.register(async (web) =>
      registerWebConsole(web, {
        machineDb,
        ipam,
        drift,
        hasConsul: consuls.size > 0,
        serverKey,
        secureCookies: config.secureCookies,
        inject: async (options) => await app.inject(options),
        fleet: fleetView,
      }),
    );
  });

  return {
    app,
    machineDb,
    ipam,
    initialAdmin,
    drift,
    async listen() {
      const url = await app.listen({ host: config.host, port: config.port });
      if (config.siteFromListenAddress && config.port === 0) {
        // The built-in site names the server itself: with port 0, only now is the port known.
        const address = app.server.address();
        if (address !== null && typeof address === 'object') {
          const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
          wiring.site = defaultSite(host, address.port);
          checkSite(wiring.site);
        }
      }
      return url;
    },
    async close() {
      await mdb.close();
      await ipamStore.close();
      for (const consul of consuls.values()) closeConsul(consul);
    },
  };
}

/**
 * A node's fabric addresses (drawn from IPAM when its files are first rendered, which needs its primary
 * address) go back to IPAM with its primary address when it is decommissioned.
 */
function withFabricRelease(ipam: Ipam, allocator: AddressAllocator): AddressAllocator {
  return {
    allocate: (request) => allocator.allocate(request),
    async release(nodeId, purpose) {
      await allocator.release(nodeId, purpose);
      if (purpose === 'primary') await releaseNodeFabric(ipam.withActor('machinedb'), nodeId);
    },
  };
}

/** First start: create the configured pools and their prefixes when the IPAM has none. */
async function seedIpam(ipam: Ipam, config: ServerConfig): Promise<void> {
  if ((await ipam.listPools()).length > 0) return;
  for (const [name, pool] of Object.entries(config.ipam.pools)) {
    try {
      await ipam.addPool({
        name,
        description: pool.description,
        ...(pool.defaultLengthV4 || pool.defaultLengthV6
          ? { defaultLength: { v4: pool.defaultLengthV4 ?? null, v6: pool.defaultLengthV6 ?? null } }
          : {}),
        ...(pool.gateways ? { keepFree: { gateways: pool.gateways } } : {}),
      });
      await ipam.addPrefix({
        prefix: pool.cidr,
        kind: pool.kind ?? 'assignment',
        pool: name,
        description: pool.description,
      });
    } catch (error) {
      // Two servers starting on one empty PostgreSQL race here: the loser finds the pool made.
      if (!isFleetError(error) || !/EXISTS|DUPLICATE|OVERLAP|CONFLICT/.test(error.code)) throw error;
    }
  }
}
