import { createAsnPolicy, type AsnPolicy } from './asn.js';
import { BootconfigInputError } from './errors.js';
import type { DistroFamily, Firmware, BootTarget, NodeInput, SiteInput, TemplateCatalog } from './input.js';
import { type ParsedCidr, type ParsedIp, cidrContains, validateCidr, validateIp } from './ip.js';
import { selectTemplateSettings, type SelectedSettings } from './templates.js';
import {
  checkAbsolutePath,
  checkArray,
  checkAsn,
  checkBmcPassword,
  checkConsulKey,
  checkDiskPath,
  checkDomain,
  checkHostOrIp,
  checkHostname,
  checkIdentifier,
  checkInteger,
  checkInterfaceName,
  checkKernelArgs,
  checkMac,
  checkNodeId,
  checkObject,
  checkPackageName,
  checkPasswordHash,
  checkSshPublicKey,
  checkTimezone,
  checkToken,
  checkUrl,
  checkUserName,
} from './validate.js';

export interface ResolvedFabricLink {
  interface: string;
  mac: string | undefined;
  ipv4: ParsedCidr;
  peerIpv4: ParsedIp;
  ipv6: ParsedCidr | undefined;
  peerIpv6: ParsedIp | undefined;
  peerAsn: number;
  mtu: number;
}

export interface ResolvedImage {
  kernel: string;
  initrd: string;
}

/** Everything a renderer reads, validated and canonicalised. Renderers never see raw input. */
export interface ResolvedNodeConfig {
  nodeId: string;
  hostname: string;
  domain: string;
  fqdn: string;
  role: string;
  site: string;
  rack: string;
  bootMac: string;
  firmware: Firmware;
  bootTarget: BootTarget;
  systemDisk: string;
  management: {
    interface: string;
    mac: string;
    address: ParsedCidr;
    gateway: ParsedIp;
    nameservers: ParsedIp[];
    search: string[];
    ntpServers: ParsedIp[];
  };
  fabric: ResolvedFabricLink[];
  loopbackIpv4: ParsedIp;
  loopbackIpv6: ParsedIp | undefined;
  serviceAddresses: ParsedCidr[];
  asn: number;
  admin: { user: string; passwordHash: string; sshKeys: string[] };
  installToken: string;
  bmc: { address: ParsedIp; username: string; password: string } | undefined;
  settings: {
    family: DistroFamily;
    suite: string;
    kernelArgs: string[];
    mirror: string;
    securityMirror: string;
    proxy: string | null;
    extraPackages: string[];
    timezone: string;
    sources: SelectedSettings['sources'];
  };
  netboot: {
    baseUrl: string;
    /**
     * The path part of `baseUrl` (`/boot`, or empty). GRUB loads kernels from its root, the HTTP server it was
     * netbooted from, so its paths are this prefix + the image path: the same URLs iPXE loads.
     */
    basePath: string;
    live: ResolvedImage & { args: string[] };
    install: ResolvedImage | undefined;
    entryLabel: string;
  };
  machineDbUrl: string;
  consul: { datacenter: string; retryJoin: string[]; encryptKey: string };
}

/** Options shared by every renderer. */
export interface RenderOptions {
  /** Fleet-wide template defaults that each site may override. */
  catalog?: TemplateCatalog;
  /** A prebuilt policy (e.g. shared with netcheck); default: built from `site.asnScheme`. */
  asnPolicy?: AsnPolicy;
}

/** Validated, canonical site values that do not depend on the node. */
export interface ResolvedSite {
  name: string;
  domain: string;
  netbootBaseUrl: string;
  /** The path part of `netbootBaseUrl`, without a trailing slash (`/boot`, or empty). */
  netbootBasePath: string;
  live: ResolvedImage & { args: string[] };
  installers: Partial<Record<DistroFamily, ResolvedImage>>;
  machineDbUrl: string;
  admin: { user: string; passwordHash: string; sshKeys: string[] };
  consul: { datacenter: string; retryJoin: string[]; encryptKey: string };
  asnPolicy: AsnPolicy;
  entryLabel: string;
}

const DEFAULT_MIRRORS: Record<DistroFamily, { mirror: string; security: string }> = {
  debian: { mirror: 'http://deb.debian.org/debian', security: 'http://security.debian.org/debian-security' },
  ubuntu: { mirror: 'http://archive.ubuntu.com/ubuntu', security: 'http://security.ubuntu.com/ubuntu' },
};

/** A local mirror carries security updates beside the archive: `…/debian` → `…/debian-security`. */
function defaultSecurityMirror(family: DistroFamily, mirror: string): string {
  if (family === 'ubuntu') return mirror;
  // `mirror` passed checkUrl (scheme://authority[/path], no query): it has a path when a '/' follows '//'.
  return mirror.indexOf('/', mirror.indexOf('//') + 2) < 0 ? `${mirror}/debian-security` : `${mirror}-security`;
}

function checkImage(value: unknown, field: string): ResolvedImage {
  const image = checkObject(value, field);
  return {
    kernel: checkAbsolutePath(image.kernel, `${field}.kernel`),
    initrd: checkAbsolutePath(image.initrd, `${field}.initrd`),
  };
}

const V4_INTERFACE = { kind: 'interface', family: 4 } as const;
const V6_INTERFACE = { kind: 'interface', family: 6 } as const;

// The field names of a fabric link's values, built once per index (a node has at most 4 links).
const FABRIC_FIELDS = [0, 1, 2, 3].map((i) => fabricFieldsAt(i));

function fabricFieldsAt(i: number) {
  const link = `node.fabric[${i}]`;
  const at = (key: string): string => `${link}.${key}`;
  return { link, interface: at('interface'), ipv4: at('ipv4'), peerIpv4: at('peerIpv4'), ipv6: at('ipv6'), peerIpv6: at('peerIpv6'), mac: at('mac') };
}

function fabricFields(i: number): ReturnType<typeof fabricFieldsAt> {
  return FABRIC_FIELDS[i] ?? fabricFieldsAt(i);
}

const FAMILIES = ['debian', 'ubuntu'] as const;
const BOOT_TARGETS = ['live', 'install', 'local'] as const;
const FIRMWARES = ['uefi', 'bios'] as const;

function checkEnum<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new BootconfigInputError(field, `${field} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

// Validating a site is the same work for each of its nodes: remember the result per site object.
// A WeakMap keyed by the object, so a caller that mutates a site must pass a new object (documented).
const siteCache = new WeakMap<SiteInput, ResolvedSite>();

/** Validates the node-independent part of a site. */
export function resolveSite(site: SiteInput, options: RenderOptions = {}): ResolvedSite {
  const cached = options.asnPolicy === undefined ? siteCache.get(site) : undefined;
  if (cached) return cached;
  const raw = checkObject(site, 'site');
  const netboot = checkObject(raw.netboot, 'site.netboot');
  const live = checkImage(netboot.live, 'site.netboot.live');
  const liveArgs = checkKernelArgs((netboot.live as { args?: unknown }).args ?? [], 'site.netboot.live.args');
  const installersRaw = checkObject(netboot.installers, 'site.netboot.installers');
  const installers: Partial<Record<DistroFamily, ResolvedImage>> = {};
  for (const family of ['debian', 'ubuntu'] as const) {
    if (installersRaw[family] !== undefined) {
      installers[family] = checkImage(installersRaw[family], `site.netboot.installers.${family}`);
    }
  }
  const admin = checkObject(raw.admin, 'site.admin');
  const consul = checkObject(raw.consul, 'site.consul');
  const netbootBaseUrl = checkUrl(netboot.baseUrl, 'site.netboot.baseUrl');
  const resolved: ResolvedSite = {
    name: checkIdentifier(raw.name, 'site.name'),
    domain: checkDomain(raw.domain, 'site.domain'),
    netbootBaseUrl,
    netbootBasePath: new URL(netbootBaseUrl).pathname.replace(/\/+$/, ''),
    live: { ...live, args: liveArgs },
    installers,
    machineDbUrl: checkUrl(raw.machineDbUrl, 'site.machineDbUrl'),
    admin: {
      user: checkUserName(admin.user, 'site.admin.user'),
      passwordHash:
        admin.passwordHash === undefined ? '!' : checkPasswordHash(admin.passwordHash, 'site.admin.passwordHash'),
      sshKeys: checkArray(admin.sshKeys, 'site.admin.sshKeys', 0, 64).map((k, i) =>
        checkSshPublicKey(k, `site.admin.sshKeys[${i}]`),
      ),
    },
    consul: {
      datacenter: checkIdentifier(consul.datacenter, 'site.consul.datacenter'),
      retryJoin: checkArray(consul.retryJoin, 'site.consul.retryJoin', 1, 16).map((h, i) =>
        checkHostOrIp(h, `site.consul.retryJoin[${i}]`),
      ),
      encryptKey: checkConsulKey(consul.encryptKey, 'site.consul.encryptKey'),
    },
    asnPolicy: options.asnPolicy ?? createAsnPolicy(site.asnScheme),
    entryLabel:
      raw.netbootEntryLabel === undefined
        ? 'fleet-netboot'
        : checkIdentifier(raw.netbootEntryLabel, 'site.netbootEntryLabel'),
  };
  if (options.asnPolicy === undefined) siteCache.set(site, resolved);
  return resolved;
}

type ResolvedSettings = ResolvedNodeConfig['settings'];

// Per site object and role: settings of nodes without their own, validated once (successes only).
const settingsCache = new WeakMap<SiteInput, Map<string, ResolvedSettings>>();

/** The rest of the settings' checks, in the order they always ran (after the node's own fields). */
function settingsOf(
  selected: SelectedSettings,
  distro: Record<string, unknown>,
  family: DistroFamily,
  mirror: string,
  cacheAs: { site: SiteInput; role: string } | undefined,
): ResolvedSettings {
  const src = selected.sources;
  const settings: ResolvedSettings = {
    family,
    suite: checkIdentifier(distro.suite, `${src.distro}.distro.suite`),
    kernelArgs: checkKernelArgs(selected.kernelArgs, `${src.kernelArgs}.kernelArgs`),
    mirror,
    securityMirror:
      selected.securityMirror === undefined
        ? selected.mirror === undefined
          ? DEFAULT_MIRRORS[family].security
          : defaultSecurityMirror(family, mirror)
        : checkUrl(selected.securityMirror, `${src.securityMirror}.securityMirror`),
    proxy: selected.proxy === null ? null : checkUrl(selected.proxy, `${src.proxy}.proxy`),
    extraPackages: checkArray(selected.extraPackages, `${src.extraPackages}.extraPackages`, 0, 200).map((p, i) =>
      checkPackageName(p, `${src.extraPackages}.extraPackages[${i}]`),
    ),
    timezone: checkTimezone(selected.timezone, `${src.timezone}.timezone`),
    sources: src,
  };
  if (cacheAs !== undefined) {
    let byRole = settingsCache.get(cacheAs.site);
    if (byRole === undefined) {
      byRole = new Map();
      settingsCache.set(cacheAs.site, byRole);
    }
    if (byRole.size >= 256) byRole.clear();
    byRole.set(cacheAs.role, settings);
  }
  return settings;
}

/**
 * Validates a node against its site and selects its template settings. Every renderer calls this first,
 * so nothing reaches a file that was not refused or accepted here.
 */
export function resolveNodeConfig(node: NodeInput, site: SiteInput, options: RenderOptions = {}): ResolvedNodeConfig {
  const s = resolveSite(site, options);
  const raw = checkObject(node, 'node');
  const hostname = checkHostname(raw.hostname, 'node.hostname');
  const nodeSite = checkIdentifier(raw.site, 'node.site');
  if (nodeSite !== s.name) {
    throw new BootconfigInputError('node.site', `node.site ${nodeSite} does not match site.name ${s.name}`);
  }
  const role = checkIdentifier(raw.role, 'node.role');
  const rack = checkIdentifier(raw.rack, 'node.rack');

  const mgmtRaw = checkObject(raw.management, 'node.management');
  const address = validateCidr(mgmtRaw.address, 'node.management.address', V4_INTERFACE);
  const gateway = validateIp(mgmtRaw.gateway, 'node.management.gateway', 4);
  if (!cidrContains(address, gateway) || gateway.address === address.address) {
    throw new BootconfigInputError(
      'node.management.gateway',
      `node.management.gateway ${gateway.address} is not another address inside ${address.cidr}`,
    );
  }
  const management = {
    interface: checkInterfaceName(mgmtRaw.interface, 'node.management.interface'),
    mac: checkMac(mgmtRaw.mac, 'node.management.mac'),
    address,
    gateway,
    nameservers: checkArray(mgmtRaw.nameservers, 'node.management.nameservers', 1, 3).map((n, i) =>
      validateIp(n, `node.management.nameservers[${i}]`),
    ),
    search:
      mgmtRaw.search === undefined
        ? [s.domain]
        : checkArray(mgmtRaw.search, 'node.management.search', 0, 6).map((d, i) =>
            checkDomain(d, `node.management.search[${i}]`),
          ),
    ntpServers:
      mgmtRaw.ntpServers === undefined
        ? []
        : checkArray(mgmtRaw.ntpServers, 'node.management.ntpServers', 0, 4).map((n, i) =>
            validateIp(n, `node.management.ntpServers[${i}]`),
          ),
  };

  const torAsn = s.asnPolicy.torAsn({ site: s.name, rack });
  const names = [management.interface];
  const transferNets: number[] = [];
  const fabric = checkArray(raw.fabric, 'node.fabric', 0, 4).map((value, i): ResolvedFabricLink => {
    const f = fabricFields(i);
    const field = f.link;
    const link = checkObject(value, field);
    const name = checkInterfaceName(link.interface, f.interface);
    if (names.includes(name)) throw new BootconfigInputError(f.interface, `${field}.interface ${name} is used twice`);
    names.push(name);
    const ipv4 = validateCidr(link.ipv4, f.ipv4, V4_INTERFACE);
    const peerIpv4 = validateIp(link.peerIpv4, f.peerIpv4, 4);
    if (!cidrContains(ipv4, peerIpv4) || peerIpv4.address === ipv4.address) {
      throw new BootconfigInputError(f.peerIpv4, `${field}.peerIpv4 ${peerIpv4.address} is not the other end of ${ipv4.cidr}`);
    }
    // The transfer net as one number: network address (host bits cleared) × 64 + prefix length.
    const b = ipv4.bytes;
    const mask = ipv4.prefixLength === 0 ? 0 : (0xffffffff << (32 - ipv4.prefixLength)) >>> 0;
    const net = ((((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) & mask) >>> 0) * 64 + ipv4.prefixLength;
    if (transferNets.includes(net)) {
      throw new BootconfigInputError(f.ipv4, `${field}.ipv4 ${ipv4.cidr} is on the same transfer net as another link`);
    }
    transferNets.push(net);
    let ipv6: ParsedCidr | undefined;
    let peerIpv6: ParsedIp | undefined;
    if (link.ipv6 !== undefined || link.peerIpv6 !== undefined) {
      ipv6 = validateCidr(link.ipv6, f.ipv6, V6_INTERFACE);
      peerIpv6 = validateIp(link.peerIpv6, f.peerIpv6, 6);
      if (!cidrContains(ipv6, peerIpv6) || peerIpv6.address === ipv6.address) {
        throw new BootconfigInputError(f.peerIpv6, `${field}.peerIpv6 ${peerIpv6.address} is not the other end of ${ipv6.cidr}`);
      }
    }
    const peerAsn = link.peerAsn === undefined ? torAsn : checkAsn(link.peerAsn, `${field}.peerAsn`);
    if (peerAsn === undefined) {
      throw new BootconfigInputError(
        `${field}.peerAsn`,
        `${field}.peerAsn is missing and the ASN scheme numbers no ToR switches for ${s.name}/${rack}: set peerAsn or torBase`,
      );
    }
    return {
      interface: name,
      mac: link.mac === undefined ? undefined : checkMac(link.mac, f.mac),
      ipv4,
      peerIpv4,
      ipv6,
      peerIpv6,
      peerAsn,
      mtu: link.mtu === undefined ? 9000 : checkInteger(link.mtu, `${field}.mtu`, 1280, 9216),
    };
  });

  const loopRaw = checkObject(raw.loopback, 'node.loopback');
  const loopbackIpv4 = validateIp(loopRaw.ipv4, 'node.loopback.ipv4', 4);
  const loopbackIpv6 = loopRaw.ipv6 === undefined ? undefined : validateIp(loopRaw.ipv6, 'node.loopback.ipv6', 6);
  const serviceAddresses = checkArray(raw.serviceAddresses ?? [], 'node.serviceAddresses', 0, 32).map((p, i) =>
    validateCidr(p, `node.serviceAddresses[${i}]`, { kind: 'prefix' }),
  );

  // Settings come from the site's templates and the role: the same for every node of a role. A node without
  // its own settings reuses what an earlier node of its role validated (same site object, no catalog).
  const cacheable = raw.settings === undefined && options.catalog === undefined && options.asnPolicy === undefined;
  const known = cacheable ? settingsCache.get(site)?.get(role) : undefined;
  const selected = known === undefined ? selectTemplateSettings(
    { role, settings: raw.settings === undefined ? undefined : (checkObject(raw.settings, 'node.settings') as NodeInput['settings']) },
    site,
    options.catalog,
  ) : undefined;
  let family: DistroFamily;
  let mirror: string;
  let distro: Record<string, unknown> | undefined;
  if (selected === undefined) {
    family = known!.family;
    mirror = known!.mirror;
  } else {
    distro = checkObject(selected.distro, `${selected.sources.distro}.distro`);
    family = checkEnum(distro.family, `${selected.sources.distro}.distro.family`, FAMILIES);
    mirror =
      selected.mirror === undefined ? DEFAULT_MIRRORS[family].mirror : checkUrl(selected.mirror, `${selected.sources.mirror}.mirror`);
  }
  const installImage = s.installers[family];
  const bootTarget = checkEnum(raw.bootTarget, 'node.bootTarget', BOOT_TARGETS);
  if (bootTarget === 'install' && installImage === undefined) {
    throw new BootconfigInputError(
      'site.netboot.installers',
      `site.netboot.installers.${family} is missing but node ${hostname} is set to install ${family}`,
    );
  }

  const bmcRaw = raw.bmc === undefined ? undefined : checkObject(raw.bmc, 'node.bmc');
  return {
    nodeId: raw.nodeId === undefined ? hostname : checkNodeId(raw.nodeId, 'node.nodeId'),
    hostname,
    domain: s.domain,
    fqdn: `${hostname}.${s.domain}`,
    role,
    site: s.name,
    rack,
    bootMac: checkMac(raw.bootMac, 'node.bootMac'),
    firmware: checkEnum(raw.firmware, 'node.firmware', FIRMWARES),
    bootTarget,
    systemDisk: checkDiskPath(raw.systemDisk, 'node.systemDisk'),
    management,
    fabric,
    loopbackIpv4,
    loopbackIpv6,
    serviceAddresses,
    asn: s.asnPolicy.nodeAsn({ site: s.name, rack, role }),
    admin: {
      ...s.admin,
      sshKeys: s.admin.sshKeys.concat(
        checkArray(raw.sshKeys ?? [], 'node.sshKeys', 0, 64).map((k, i) => checkSshPublicKey(k, `node.sshKeys[${i}]`)),
      ),
    },
    installToken: checkToken(raw.installToken, 'node.installToken'),
    bmc:
      bmcRaw === undefined
        ? undefined
        : {
            address: validateIp(bmcRaw.address, 'node.bmc.address'),
            username: checkUserName(bmcRaw.username, 'node.bmc.username'),
            password: checkBmcPassword(bmcRaw.password, 'node.bmc.password'),
          },
    settings: known ?? settingsOf(selected!, distro!, family, mirror, cacheable ? { site, role } : undefined),
    netboot: { baseUrl: s.netbootBaseUrl, basePath: s.netbootBasePath, live: s.live, install: installImage, entryLabel: s.entryLabel },
    machineDbUrl: s.machineDbUrl,
    consul: s.consul,
  };
}
