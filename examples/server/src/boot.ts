import {
  type NodeInput,
  type RenderedFile,
  type SiteInput,
  renderFallbackFiles,
  renderNodeFiles,
} from '@fleet/bootconfig';
import { join } from 'node:path';
import { FleetError, validateMac } from '@fleet/core';
import { allocateNodeFabric, type Ipam, isIpamError } from '@fleet/ipam';
import type { NodeDetail } from '@fleet/machinedb-contract';
import { type NetworkConfig, serviceAddresses } from './network-config.js';

/** A node that cannot be rendered yet (no hostname, location or addresses): the reason says what is missing. */
export class NodeNotReadyError extends FleetError {
  override name = 'NodeNotReadyError' as const;
  constructor(nodeId: string, missing: string) {
    super('BOOT_NODE_NOT_READY', `node ${nodeId} cannot be rendered yet: ${missing}`, {
      kind: 'conflict',
      details: { nodeId, missing },
    });
  }
}

export interface BootWiring {
  site: SiteInput;
  firmware: 'uefi' | 'bios';
  ipam: Ipam;
  /** Fabric pools (the IPv6 ones make nodes dual-stack), resolvers and NTP servers. */
  network: NetworkConfig;
  /** Mints the token the installer reports "installed" with. */
  installToken(nodeId: string): Promise<string>;
}

/** Resolvers and NTP servers from the configuration or IPAM; resolvers default to the management gateway. */
async function siteServices(w: BootWiring, node: NodeDetail, gateway: string) {
  const { nameservers, ntpServers } = w.network;
  const resolvers = nameservers ? await serviceAddresses(w.ipam, nameservers, 3) : [gateway];
  if (resolvers.length === 0 && nameservers && 'ipam' in nameservers) {
    const { pool, function: fn } = nameservers.ipam;
    throw new NodeNotReadyError(node.id, `nameservers: IPAM pool ${pool} holds no address with function ${fn}`);
  }
  const ntp = ntpServers ? await serviceAddresses(w.ipam, ntpServers, 4) : [];
  if (ntp.length === 0 && ntpServers && 'ipam' in ntpServers) {
    const { pool, function: fn } = ntpServers.ipam;
    throw new NodeNotReadyError(node.id, `ntpServers: IPAM pool ${pool} holds no address with function ${fn}`);
  }
  return { nameservers: resolvers, ...(ntp.length > 0 ? { ntpServers: ntp } : {}) };
}

/** Maps a MachineDB node (and its IPAM addresses) to bootconfig's input: wiring, no rules of its own. */
export async function nodeInputFor(w: BootWiring, node: NodeDetail, bootMac: string): Promise<NodeInput> {
  const missing: string[] = [];
  if (!node.hostname) missing.push('hostname');
  if (!node.location) missing.push('location');
  if (!node.systemDisk?.byId) missing.push('system disk by-id path');
  const primary = node.addresses.find((a) => a.purpose === 'primary');
  if (!primary) missing.push('primary address');
  if (missing.length || !node.hostname || !node.location || !node.systemDisk?.byId || !primary) {
    throw new NodeNotReadyError(node.id, missing.join(', '));
  }
  const nics = node.inventory?.nics ?? [];
  const mgmt = nics.find((n) => n.mac === bootMac) ?? nics[0];
  if (!mgmt) throw new NodeNotReadyError(node.id, 'inventory with NICs');
  const fabricNics = nics
    .filter((n) => n.mac !== mgmt.mac)
    .slice(0, 2)
    .map((n) => n.name);
  const gateway = primary.gateway ?? primary.address;
  let fabric: Awaited<ReturnType<typeof allocateNodeFabric>>;
  let services: Awaited<ReturnType<typeof siteServices>>;
  try {
    fabric = await allocateNodeFabric(w.ipam.withActor('fleet-server'), {
      node: node.id,
      interfaces: fabricNics,
      pools: w.network.fabricPools,
      description: node.hostname,
    });
    services = await siteServices(w, node, gateway);
  } catch (error) {
    // A configured pool missing from IPAM is the site's state, not a missing URL: 409 with what to create.
    if (isIpamError(error, 'IPAM_NOT_FOUND')) throw new NodeNotReadyError(node.id, error.message);
    throw error;
  }
  return {
    nodeId: node.id,
    hostname: node.hostname,
    role: node.roles[0] ?? 'default',
    site: w.site.name,
    rack: node.location.rack,
    bootMac,
    firmware: w.firmware,
    bootTarget: node.bootTarget,
    systemDisk: node.systemDisk.byId,
    management: {
      interface: mgmt.name,
      mac: mgmt.mac,
      address: `${primary.address}/${primary.prefixLength}`,
      gateway,
      ...services,
    },
    fabric: fabric.links,
    loopback: fabric.loopback,
    installToken: await w.installToken(node.id),
  };
}

/** Every file of a node; the fallback (live system) when the node is unknown or not renderable yet. */
export async function bootFilesFor(
  w: BootWiring,
  node: NodeDetail | null,
  mac: string | null,
): Promise<RenderedFile[]> {
  if (!node || node.bootTarget === 'live' || mac === null) return renderFallbackFiles(w.site);
  return renderNodeFiles(await nodeInputFor(w, node, validateMac(mac)), w.site);
}

/**
 * The MAC a netboot request names, or null for the site's fallback file. GRUB asks for
 * `grub.cfg-01-<aa-bb-…>`, then `grub.cfg`; iPXE for `<mac>` (`${net0/mac}`), `<mac>.ipxe` or
 * `default.ipxe`. A bare MAC in any form is accepted for both.
 */
export function netbootRequest(kind: 'grub' | 'ipxe', name: string): string | null {
  if (kind === 'grub' && name === 'grub.cfg') return null;
  if (kind === 'ipxe' && name === 'default.ipxe') return null;
  let mac = name;
  if (kind === 'grub' && name.startsWith('grub.cfg-01-')) mac = name.slice('grub.cfg-01-'.length);
  if (kind === 'ipxe' && name.endsWith('.ipxe')) mac = name.slice(0, -'.ipxe'.length);
  return validateMac(mac);
}

/** The netboot file for a MAC: `grub` or `ipxe`. */
export function netbootFile(files: RenderedFile[], kind: 'grub' | 'ipxe'): RenderedFile {
  const file = files.find((f) => f.scope === 'netboot' && f.path.startsWith(`${kind}/`));
  if (!file) throw new FleetError('BOOT_NOT_RENDERED', `no ${kind} file was rendered`, { kind: 'internal' });
  return file;
}

/** One of the node's installer files (`preseed.cfg`, `user-data` …) by the name the installer asks for. */
export function installerFile(files: RenderedFile[], name: string): RenderedFile | undefined {
  return files.find((f) => f.scope === 'netboot' && f.path.startsWith('installer/') && f.path.endsWith(`/${name}`));
}

const IMAGE_PATH = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*(?:\/[A-Za-z0-9_+-][A-Za-z0-9._+-]*)*$/;

/** The file behind `/boot/images/<rest>` in `dir`, or null for a path that could leave it (`..`, `//`). */
export function imagePath(dir: string, rest: string): string | null {
  if (rest.length > 255 || !IMAGE_PATH.test(rest) || rest.split('/').some((p) => p === '.' || p === '..')) return null;
  return join(dir, rest);
}
