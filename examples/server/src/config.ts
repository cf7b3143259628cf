import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type SiteInput, checkSiteTemplates, resolveSite } from '@fleet/bootconfig';
import { resolveConsulEndpoint } from '@fleet/consul';
import { FleetError, isFleetError, ValidationError } from '@fleet/core';
import { NODE_STATES, type NodeState } from '@fleet/machinedb-contract';
import { NETWORK_CONFIG_KEYS, type NetworkConfig, parseNetworkConfig } from './network-config.js';

/**
 * The Consul datacenters for drift: FLEET_CONSUL_DATACENTERS (`dc=addr,…`) or the file's `consul` list. Each
 * address is read like CONSUL_HTTP_ADDR (`host:port` or `http(s)://host:port`, CONSUL_HTTP_SSL for scheme-less
 * ones) and stored as a URL; the token is the entry's, else FLEET_CONSUL_TOKEN, else CONSUL_HTTP_TOKEN.
 */
function consulDatacenters(fromFile: unknown, env: NodeJS.ProcessEnv): ConsulDatacenterConfig[] {
  const text = env.FLEET_CONSUL_DATACENTERS;
  let entries: Array<{ name: string; url: string; token?: string; field: string }>;
  if (text) {
    entries = text
      .split(',')
      .filter(Boolean)
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = eq > 0 ? pair.slice(0, eq) : '';
        const url = eq > 0 ? pair.slice(eq + 1) : '';
        if (!name || !url)
          throw new ConfigError(
            'FLEET_CONSUL_DATACENTERS',
            `expected dc=http://host:8500[,dc2=…], got ${JSON.stringify(pair)}`,
          );
        return { name, url, field: 'FLEET_CONSUL_DATACENTERS' };
      });
  } else if (fromFile === undefined) {
    return [];
  } else {
    if (!Array.isArray(fromFile)) throw new ConfigError('consul', 'must be a list of { name, url, token? }');
    entries = fromFile.map((entry: unknown, i) => {
      const e = (entry ?? {}) as Record<string, unknown>;
      if (typeof e.name !== 'string' || !e.name || typeof e.url !== 'string')
        throw new ConfigError(`consul[${i}]`, 'needs a name and a url (http://host:8500)');
      if (e.token !== undefined && typeof e.token !== 'string')
        throw new ConfigError(`consul[${i}].token`, 'must be a string');
      return { name: e.name, url: e.url, field: `consul[${i}].url`, ...(e.token ? { token: e.token } : {}) };
    });
  }
  return entries.map(({ name, url, token, field }) => {
    try {
      const endpoint = resolveConsulEndpoint({ address: url, field, token: token ?? (env.FLEET_CONSUL_TOKEN || undefined) }, env);
      return { name, url: endpoint.url, ...(endpoint.token ? { token: endpoint.token } : {}) };
    } catch (error) {
      if (error instanceof ValidationError) throw new ConfigError(error.field, error.message);
      throw error;
    }
  });
}

/** A configuration problem found at start: one line, non-zero exit. */
export class ConfigError extends FleetError {
  override name = 'ConfigError' as const;
  constructor(field: string, message: string) {
    super('CONFIG_INVALID', `config ${field}: ${message}`, { kind: 'invalid', details: { field } });
  }
}

export interface ConsulDatacenterConfig {
  name: string;
  url: string;
  token?: string;
}

export interface IpamSeed {
  /** Pools created on first start when the IPAM is empty: name → CIDR. */
  pools: Record<
    string,
    {
      cidr: string;
      description: string;
      kind?: 'assignment' | 'reservation';
      defaultLengthV4?: number;
      defaultLengthV6?: number;
      gateways?: number;
    }
  >;
}

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** `sqlite` (embedded default, files in dataDir) or a PostgreSQL URL. */
  database: { kind: 'sqlite' } | { kind: 'postgres'; url: string };
  /** Hex/base64 32-byte key sealing BMC passwords; read from dataDir/server.key when absent (SQLite only). */
  serverKey: string | null;
  provisioningSecret: string | null;
  /** New nodes wait in `new` until an admin accepts them (FLEET_REQUIRE_ACCEPTANCE=true). */
  requireAcceptance: boolean;
  /** LDAP bind with group mapping (see @fleet/machinedb's LdapOptions). */
  ldap: {
    url: string;
    usersDn: string;
    groupsDn: string;
    adminGroup: string;
    viewerGroup: string;
    /** Optional: members may act on nodes (the web console's actions, transitions) but not manage accounts. */
    operatorGroup?: string;
  } | null;
  consul: ConsulDatacenterConfig[];
  /** Netboot / installer site settings fed to @fleet/bootconfig. */
  site: SiteInput;
  /**
   * True when `site` is the built-in lab site: its URLs then name the address the server really listens
   * on (`listen()` fills them in when the port was 0).
   */
  siteFromListenAddress: boolean;
  /**
   * Directory served at `/boot/images/…`: the kernels and initrds the site's netboot entries load
   * (`site.netboot.live.kernel` = `/images/live/vmlinuz` → `<netbootImageDir>/live/vmlinuz`). Null: not
   * served here (the image routes answer 404 BOOT_IMAGES_NOT_CONFIGURED).
   */
  netbootImageDir: string | null;
  firmware: 'uefi' | 'bios';
  ipam: IpamSeed;
  /** Fabric pools (IPv6 ones make nodes dual-stack), resolvers and NTP servers: see network-config.ts. */
  network: NetworkConfig;
  /** Admin account created on first start (password generated when absent). */
  adminUser: string;
  /** Log requests (default false). */
  logRequests: boolean;
  /** Seconds a node may stay in a state before it counts as stuck and the sweep fails it (MachineDB defaults when null). */
  stateTimeouts: Partial<Record<NodeState, number>> | null;
  /** How often the timeout sweep runs, in seconds (0: never; default 60). */
  sweepIntervalSeconds: number;
  /**
   * Mark the console's cookies `Secure`: set it when a TLS proxy fronts the server (the server itself sees
   * plain HTTP then). Without it, cookies are `Secure` only for requests that reached the server over TLS.
   */
  secureCookies: boolean;
}

type Env = Record<string, string | undefined>;

/** The built-in lab site for a server at `host:port`: Debian by default, Ubuntu for the `storage` role. */
export function defaultSite(host: string, port: number): SiteInput {
  const base = `http://${host}:${port}`;
  return {
    name: 'lab',
    domain: 'lab.fleet.internal',
    netboot: {
      baseUrl: `${base}/boot`,
      live: { kernel: '/images/live/vmlinuz', initrd: '/images/live/initrd.img' },
      installers: {
        debian: { kernel: '/images/debian/linux', initrd: '/images/debian/initrd.gz' },
        ubuntu: { kernel: '/images/ubuntu/vmlinuz', initrd: '/images/ubuntu/initrd' },
      },
    },
    machineDbUrl: base,
    admin: {
      user: 'fleet',
      sshKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILlMUInX/C4Kq4YN7DkwVjzf1tgVJ6fEqkdLV23/ZwF/ admin@lab'],
    },
    consul: { datacenter: 'lab', retryJoin: ['10.30.0.1'], encryptKey: 'WmeTcqwqOpo97qpu3/0rIaymaGxDnDcofhvmNud0pUY=' },
    // Racks r01–r32 of the lab site are numbered for the ASN policy; a config file lists real racks.
    asnScheme: {
      sites: {
        lab: {
          nodeBase: 4_200_001_000,
          torBase: 4_200_002_000,
          racks: Object.fromEntries(Array.from({ length: 32 }, (_, i) => [`r${String(i + 1).padStart(2, '0')}`, i])),
        },
      },
    },
    templates: {
      default: { distro: { family: 'debian', suite: 'bookworm' }, mirror: 'http://deb.debian.org/debian' },
      roles: {
        storage: { distro: { family: 'ubuntu', suite: 'noble' }, mirror: 'http://archive.ubuntu.com/ubuntu' },
      },
    },
  };
}

/** Where the server's routes are: netboot files under /boot, the MachineDB API at the root. */
const NETBOOT_PATH = '/boot';
const IMAGE_PREFIX = '/images/';

/**
 * The whole site checked at start with the renderers' own validation, plus what this server needs to serve
 * every URL the renderers write: netboot files under `<origin>/boot`, the API at `<origin>/api/v1`,
 * kernels and initrds under `/images/`.
 */
export function checkSite(site: SiteInput): void {
  let resolved: ReturnType<typeof resolveSite>;
  try {
    resolved = resolveSite(site);
    // Template values (mirrors, proxy, packages …) are otherwise checked only when a node of that role renders.
    checkSiteTemplates(site);
  } catch (error) {
    if (!isFleetError(error)) throw error;
    const field = (error.details as { field?: unknown } | undefined)?.field;
    const key = typeof field === 'string' ? field : 'site';
    throw new ConfigError(key.startsWith('site') ? key : `site.${key}`, error.message.replace(/\s+/g, ' '));
  }
  if (resolved.netbootBasePath !== NETBOOT_PATH) {
    throw new ConfigError(
      'site.netboot.baseUrl',
      `must end in ${NETBOOT_PATH} (this server serves netboot files there), got ${JSON.stringify(site.netboot.baseUrl)}`,
    );
  }
  if (new URL(resolved.machineDbUrl).pathname !== '/') {
    throw new ConfigError(
      'site.machineDbUrl',
      `must be the server's origin without a path (http://host:port; installers report to its /api/v1/…), got ${JSON.stringify(site.machineDbUrl)}`,
    );
  }
  const images: [string, string][] = [
    ['site.netboot.live.kernel', resolved.live.kernel],
    ['site.netboot.live.initrd', resolved.live.initrd],
  ];
  for (const [family, image] of Object.entries(resolved.installers)) {
    images.push([`site.netboot.installers.${family}.kernel`, image.kernel]);
    images.push([`site.netboot.installers.${family}.initrd`, image.initrd]);
  }
  for (const [key, path] of images) {
    if (!path.startsWith(IMAGE_PREFIX)) {
      throw new ConfigError(
        key,
        `must be under ${IMAGE_PREFIX} (served from netbootImageDir), got ${JSON.stringify(path)}`,
      );
    }
  }
}

const DEFAULT_POOLS: IpamSeed['pools'] = {
  bmc: { cidr: '10.21.0.0/22', description: 'BMC addresses', gateways: 1 },
  primary: { cidr: '10.20.0.0/22', description: 'node management addresses', gateways: 1 },
  loopback: { cidr: '10.255.0.0/24', description: 'BGP loopbacks' },
  transfer: { cidr: '10.254.0.0/22', description: 'ToR transfer nets', kind: 'reservation', defaultLengthV4: 31 },
};

function integer(field: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(field, `must be an integer ${min}..${max}, got ${JSON.stringify(text)}`);
  return n;
}

function bool(field: string, text: string | undefined, fallback: boolean): boolean {
  if (text === undefined || text === '') return fallback;
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ConfigError(field, `must be true or false, got ${JSON.stringify(text)}`);
}

/** `installing=7200,bmc-configured=3600`: seconds per state. */
function parseStateTimeouts(text: string | undefined): ServerConfig['stateTimeouts'] {
  if (text === undefined) return null;
  const timeouts: Partial<Record<NodeState, number>> = {};
  for (const pair of text.split(',').filter(Boolean)) {
    const [state = '', seconds = ''] = pair.split('=');
    if (!(NODE_STATES as readonly string[]).includes(state))
      throw new ConfigError('FLEET_STATE_TIMEOUTS', `unknown state ${JSON.stringify(state)}: use state=seconds,…`);
    timeouts[state as NodeState] = integer('FLEET_STATE_TIMEOUTS', seconds, 1, 30 * 86_400);
  }
  return timeouts;
}

/**
 * Reads the configuration: defaults, then the JSON file named by `--config FILE` or FLEET_CONFIG, then
 * FLEET_* environment variables. Everything is checked here so a bad value stops the start with one line.
 */
export function loadServerConfig(env: Env = process.env, argv: readonly string[] = []): ServerConfig {
  const fileArg = argv.indexOf('--config');
  const file = fileArg >= 0 ? argv[fileArg + 1] : env.FLEET_CONFIG;
  let fromFile: Partial<Record<string, unknown>> = {};
  if (file) {
    if (!existsSync(file)) throw new ConfigError('file', `${file} does not exist`);
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError('file', `${file} is not valid JSON (${(error as Error).message})`);
    }
    const known = [
      'host',
      'port',
      'dataDir',
      'databaseUrl',
      'provisioningSecret',
      'requireAcceptance',
      'ldap',
      'consul',
      'site',
      'firmware',
      'ipam',
      'adminUser',
      'logRequests',
      'netbootImageDir',
      ...NETWORK_CONFIG_KEYS,
    ];
    for (const key of Object.keys(fromFile))
      if (!known.includes(key)) throw new ConfigError(key, `unknown key (known: ${known.join(', ')})`);
  }
  const pick = (key: string, envName: string): string | undefined =>
    env[envName] ?? (fromFile[key] === undefined ? undefined : String(fromFile[key]));
  const host = pick('host', 'FLEET_HOST') ?? '127.0.0.1';
  const port = integer('port', pick('port', 'FLEET_PORT') ?? '8080', 0, 65535);
  const dataDir = resolve(pick('dataDir', 'FLEET_DATA_DIR') ?? '.data');
  const dbUrl = pick('databaseUrl', 'FLEET_DATABASE_URL');
  if (dbUrl && !/^postgres(ql)?:\/\//.test(dbUrl))
    throw new ConfigError('databaseUrl', 'must be a postgres:// URL (leave unset for the embedded SQLite)');
  const serverKey = env.FLEET_SERVER_KEY ?? null;
  if (dbUrl && !serverKey)
    throw new ConfigError(
      'FLEET_SERVER_KEY',
      'is required with PostgreSQL: every server sharing the database needs the same key (openssl rand -hex 32)',
    );
  const ldapUrl = env.FLEET_LDAP_URL ?? (fromFile.ldap as { url?: string } | undefined)?.url;
  let ldap: ServerConfig['ldap'] = null;
  if (ldapUrl) {
    const fileLdap = (fromFile.ldap ?? {}) as Record<string, string | undefined>;
    const get = (k: string, e: string) => env[e] ?? fileLdap[k];
    const usersDn = get('usersDn', 'FLEET_LDAP_USERS_DN');
    const groupsDn = get('groupsDn', 'FLEET_LDAP_GROUPS_DN');
    const adminGroup = get('adminGroup', 'FLEET_LDAP_ADMIN_GROUP');
    const viewerGroup = get('viewerGroup', 'FLEET_LDAP_VIEWER_GROUP');
    if (!/^ldaps?:\/\//.test(ldapUrl)) throw new ConfigError('ldap.url', 'must be an ldap:// or ldaps:// URL');
    if (!usersDn || !groupsDn)
      throw new ConfigError('ldap', 'usersDn and groupsDn are required (FLEET_LDAP_USERS_DN, FLEET_LDAP_GROUPS_DN)');
    if (!adminGroup || !viewerGroup)
      throw new ConfigError(
        'ldap',
        'adminGroup and viewerGroup are required (FLEET_LDAP_ADMIN_GROUP, FLEET_LDAP_VIEWER_GROUP)',
      );
    const operatorGroup = get('operatorGroup', 'FLEET_LDAP_OPERATOR_GROUP');
    ldap = { url: ldapUrl, usersDn, groupsDn, adminGroup, viewerGroup, ...(operatorGroup ? { operatorGroup } : {}) };
  }
  const consul = consulDatacenters(fromFile.consul, env);
  const firmware = pick('firmware', 'FLEET_FIRMWARE') ?? 'uefi';
  if (firmware !== 'uefi' && firmware !== 'bios') throw new ConfigError('firmware', 'must be uefi or bios');
  const siteFromListenAddress = fromFile.site === undefined;
  const site =
    (fromFile.site as SiteInput | undefined) ?? defaultSite(host === '0.0.0.0' ? '127.0.0.1' : host, port || 8080);
  checkSite(site);
  const imageDirText = pick('netbootImageDir', 'FLEET_NETBOOT_IMAGE_DIR');
  const netbootImageDir = imageDirText ? resolve(imageDirText) : null;
  if (netbootImageDir !== null && !(existsSync(netbootImageDir) && statSync(netbootImageDir).isDirectory())) {
    throw new ConfigError('netbootImageDir', `${netbootImageDir} is not a directory (FLEET_NETBOOT_IMAGE_DIR)`);
  }
  return {
    host,
    port,
    dataDir,
    database: dbUrl ? { kind: 'postgres', url: dbUrl } : { kind: 'sqlite' },
    serverKey,
    provisioningSecret: pick('provisioningSecret', 'FLEET_PROVISIONING_SECRET') ?? null,
    requireAcceptance: bool('requireAcceptance', pick('requireAcceptance', 'FLEET_REQUIRE_ACCEPTANCE'), false),
    ldap,
    consul,
    site,
    siteFromListenAddress,
    netbootImageDir,
    firmware,
    ipam: (fromFile.ipam as IpamSeed | undefined) ?? { pools: DEFAULT_POOLS },
    network: parseNetworkConfig(fromFile),
    adminUser: pick('adminUser', 'FLEET_ADMIN_USER') ?? 'admin',
    logRequests: (pick('logRequests', 'FLEET_LOG_REQUESTS') ?? 'false') === 'true',
    stateTimeouts: parseStateTimeouts(env.FLEET_STATE_TIMEOUTS),
    secureCookies: bool('FLEET_SECURE_COOKIES', env.FLEET_SECURE_COOKIES, false),
    sweepIntervalSeconds:
      env.FLEET_SWEEP_INTERVAL_SECONDS === undefined
        ? 60
        : integer('FLEET_SWEEP_INTERVAL_SECONDS', env.FLEET_SWEEP_INTERVAL_SECONDS, 0, 86_400),
  };
}
