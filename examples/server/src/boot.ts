import {
  type NodeInput,
  type RenderedFile,
  type SiteInput,
  renderFallbackFiles,
  renderNodeFiles,
} from '@fleet/bootconfig';
import { join } from 'node:path';
import { FleetError, validateMac } from '@fleet/core';
import type { Ipam } from '@fleet/ipam';
import type { NodeDetail } from '@fleet/machinedb-client';

/** A node that cannot be rendered yet (no hostname, location or addresses): the reason says what is missing. */
export class NodeNotReadyError extends FleetError {
  override name = 'NodeNotReadyError' as const;
  constructor(nodeId: string, missing: string) {
    super('BOOT_NODE_NOT_READY', `node ${nodeId} cannot be rendered yet: ${missing}`, { details: { nodeId, missing } });
  }
}

export interface BootWiring {
  site: SiteInput;
  firmware: 'uefi' | 'bios';
  ipam: Ipam;
  /** Pool names for the addresses the installer needs beside MachineDB's primary address. */
  pools: { loopback: string; transfer: string };
  /** Mints the token the installer reports "installed" with. */
  installToken(nodeId: string): Promise<string>;
}

/** Loopback and transfer nets for a node, drawn once from IPAM and found again by node + function afterwards. */
async function fabricAddresses(w: BootWiring, node: NodeDetail, fabricNics: string[]) {
  const ipam = w.ipam.withActor('fleet-server');
  const once = async (fn: string, make: () => Promise<string>): Promise<string> => {
    const found = await ipam.search({ node: node.id, function: fn });
    return found[0]?.prefix ?? (await make());
  };
  const loopback = await once(
    'loopback',
    async () =>
      (
        await ipam.allocateAddress({
          pool: w.pools.loopback,
          node: node.id,
          function: 'loopback',
          description: node.hostname ?? node.id,
        })
      ).prefix,
  );
  const links = [];
  for (const nic of fabricNics) {
    const fn = `transfer:${nic}`;
    const net = await once(
      fn,
      async () =>
        (
          await ipam.allocateTransferNet({
            pool: w.pools.transfer,
            node: node.id,
            function: fn,
            description: `${node.hostname ?? node.id} ${nic}`,
          })
        ).net.prefix,
    );
    const [base, len] = net.split('/');
    const parts = (base ?? '').split('.').map(Number);
    const last = parts[3] ?? 0;
    // The switch takes the even end of the /31, the node the odd one.
    links.push({
      interface: nic,
      ipv4: `${parts.slice(0, 3).join('.')}.${last + 1}/${len}`,
      peerIpv4: `${parts.slice(0, 3).join('.')}.${last}`,
    });
  }
  return { loopback: loopback.split('/')[0] ?? loopback, links };
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
  const { loopback, links } = await fabricAddresses(w, node, fabricNics);
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
      gateway: primary.gateway ?? primary.address,
      nameservers: [primary.gateway ?? primary.address],
    },
    fabric: links,
    loopback: { ipv4: loopback },
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
  if (!file) throw new FleetError('BOOT_NOT_RENDERED', `no ${kind} file was rendered`);
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
