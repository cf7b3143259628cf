import { readFile, readdir, readlink } from 'node:fs/promises';
import type { Executor } from '@fleet/core';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { createAgentExecutor } from '../agent/local-executor.js';
import { type Inventory, type InventoryNic, InventorySchema } from '@fleet/machinedb-contract';
import { MachineDbClientError } from '../errors.js';
import {
  cleanText,
  parseCpuinfo,
  parseDmidecode,
  parseIpLinks,
  parseIpmiLan,
  parseLldpctl,
  parseLsblk,
  parseLshw,
  parseMeminfo,
} from './parse.js';

/** How the collector reads files (/sys, /proc, /dev/disk/by-id); tests pass captured trees. */
export interface InventoryFiles {
  readFile(path: string): Promise<string | undefined>;
  readDir(path: string): Promise<string[] | undefined>;
  readLink(path: string): Promise<string | undefined>;
}

export interface CollectInventoryOptions {
  /** Runs lsblk, ip, lshw, dmidecode, lldpctl, ipmitool. Default: this machine, no shell. */
  executor?: Executor;
  files?: InventoryFiles;
  /** Per-command timeout. Default 20 000 ms (lshw can be slow). */
  timeoutMs?: number;
  /** Ask the BMC with ipmitool. Default true. */
  ipmi?: boolean;
  /** IPMI LAN channel to read. Default 1. */
  ipmiChannel?: number;
}

export const localFiles: InventoryFiles = {
  readFile: (path) => readFile(path, 'utf8').catch(() => undefined),
  readDir: (path) => readdir(path).catch(() => undefined),
  readLink: (path) => readlink(path).catch(() => undefined),
};

const inventoryCheck = TypeCompiler.Compile(InventorySchema);

/**
 * Builds the node's inventory from its own tools and /sys. A missing or failing tool adds a note and the
 * collector carries on with what the others give; it throws only when no identity (system UUID) or no
 * network card can be found, since the MachineDB cannot place such a report.
 */
export async function collectInventory(options: CollectInventoryOptions = {}): Promise<Inventory> {
  const executor = options.executor ?? createAgentExecutor();
  const files = options.files ?? localFiles;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const notes: string[] = [];

  async function tool(command: string, args: string[]): Promise<string | undefined> {
    try {
      const res = await executor.run(command, args, { timeoutMs });
      if (res.code === 0) return res.stdout;
      const why = res.code === 127 ? 'not installed' : `exited ${res.code}: ${cleanText(res.stderr.split('\n').find((l) => l.trim()) ?? '', 120) ?? ''}`;
      notes.push(`${command} ${why}`.slice(0, 200));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      notes.push(code === 'ENOENT' ? `${command} not installed` : `${command} failed: ${String((error as Error).message).slice(0, 120)}`);
    }
    return undefined;
  }
  const sys = async (path: string) => cleanText(await files.readFile(path));

  const [dmiText, lshwText, lsblkText, linkText, addrText, lldpText] = await Promise.all([
    tool('dmidecode', []),
    tool('lshw', ['-json', '-quiet']),
    tool('lsblk', ['-J', '-b', '-O']),
    tool('ip', ['-j', 'link']),
    tool('ip', ['-j', 'addr']),
    tool('lldpctl', ['-f', 'json']),
  ]);
  const dmi = parseDmidecode(dmiText ?? '');
  const lshw = parseLshw(lshwText ?? '{}');

  // Identity: SMBIOS UUID from dmidecode, else /sys, else the OS machine-id (VMs without SMBIOS).
  let systemUuid = dmi.systemUuid;
  if (!systemUuid) {
    const fromSys = (await sys('/sys/class/dmi/id/product_uuid'))?.toLowerCase();
    if (fromSys && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(fromSys)) systemUuid = fromSys;
  }
  if (!systemUuid) {
    const machineId = (await files.readFile('/etc/machine-id'))?.trim().toLowerCase();
    if (machineId && /^[0-9a-f]{32}$/.test(machineId)) {
      systemUuid = `${machineId.slice(0, 8)}-${machineId.slice(8, 12)}-${machineId.slice(12, 16)}-${machineId.slice(16, 20)}-${machineId.slice(20)}`;
      notes.push('no SMBIOS system UUID: using /etc/machine-id');
    }
  }
  if (!systemUuid) {
    throw new MachineDbClientError(
      'INVENTORY_NO_IDENTITY',
      'cannot find a system UUID (dmidecode, /sys/class/dmi/id/product_uuid and /etc/machine-id all failed): run the agent as root',
    );
  }

  const manufacturer = dmi.manufacturer ?? (await sys('/sys/class/dmi/id/sys_vendor')) ?? lshw.manufacturer;
  const product = dmi.product ?? (await sys('/sys/class/dmi/id/product_name')) ?? lshw.product;
  const serial = dmi.serial ?? (await sys('/sys/class/dmi/id/product_serial')) ?? lshw.serial;
  const board = {
    manufacturer: dmi.board.manufacturer ?? (await sys('/sys/class/dmi/id/board_vendor')),
    product: dmi.board.product ?? (await sys('/sys/class/dmi/id/board_name')),
    serial: dmi.board.serial ?? (await sys('/sys/class/dmi/id/board_serial')),
  };
  const bios = {
    vendor: dmi.bios.vendor ?? (await sys('/sys/class/dmi/id/bios_vendor')),
    version: dmi.bios.version ?? (await sys('/sys/class/dmi/id/bios_version')),
    date: dmi.bios.date ?? (await sys('/sys/class/dmi/id/bios_date')),
  };

  let cpus = dmi.cpus;
  if (cpus.length === 0) {
    cpus = parseCpuinfo((await files.readFile('/proc/cpuinfo')) ?? '');
    if (cpus.length === 0 && lshw.cpuModels.length) {
      cpus = lshw.cpuModels.map((model, socket) => ({ socket, model, cores: 1, threads: 1 }));
    }
  }
  const dimmTotal = dmi.dimms.reduce((sum, d) => sum + d.sizeBytes, 0);
  const totalBytes = dimmTotal || parseMeminfo((await files.readFile('/proc/meminfo')) ?? '') || lshw.memoryBytes || 0;

  // Disks, with their real /dev/disk/by-id links when udev made them.
  const byId = new Map<string, string[]>();
  const idNames = (await files.readDir('/dev/disk/by-id')) ?? [];
  if (idNames.length === 0) notes.push('no /dev/disk/by-id links: by-id paths derived from model, serial and WWN');
  for (const entry of idNames.sort()) {
    if (/-part\d+$/.test(entry)) continue;
    const target = await files.readLink(`/dev/disk/by-id/${entry}`);
    const kname = target?.split('/').pop();
    if (!kname) continue;
    const list = byId.get(kname) ?? [];
    list.push(`/dev/disk/by-id/${entry}`);
    byId.set(kname, list);
  }
  const disks = lsblkText ? parseLsblk(lsblkText, byId.size ? byId : undefined) : [];

  // NICs: physical ones only (a /sys/class/net/<if>/device link), fastest facts first.
  const links = parseIpLinks(linkText ?? '[]');
  const withAddrs = new Map(parseIpLinks(addrText ?? '[]').map((l) => [l.name, l.addresses]));
  const lldp = parseLldpctl(lldpText ?? '{}');
  const nics: InventoryNic[] = [];
  const ordered: Array<{ nic: InventoryNic; hasAddress: boolean }> = [];
  for (const link of links) {
    const device = await files.readLink(`/sys/class/net/${link.name}/device`);
    const physical = device !== undefined || (link.virtual === false && (await files.readDir('/sys/class/net')) === undefined);
    if (!physical) continue;
    const speedText = await files.readFile(`/sys/class/net/${link.name}/speed`);
    const speed = Number(speedText?.trim());
    const speedMbps = speed > 0 ? speed : lshw.nicSpeeds.get(link.mac);
    const neighbour = lldp.get(link.name);
    ordered.push({
      nic: {
        name: link.name.slice(0, 64),
        mac: link.mac,
        ...(speedMbps ? { speedMbps } : {}),
        ...(neighbour ? { lldp: neighbour } : {}),
      },
      hasAddress: (withAddrs.get(link.name) ?? []).length > 0,
    });
  }
  // The card that holds the live system's address first: that is the one the node booted from.
  ordered.sort((a, b) => Number(b.hasAddress) - Number(a.hasAddress));
  nics.push(...ordered.map((o) => o.nic));
  if (nics.length === 0) {
    throw new MachineDbClientError('INVENTORY_NO_NIC', 'no physical network card found (ip -j link and /sys/class/net): cannot enrol');
  }

  let bmc: Inventory['bmc'];
  if (options.ipmi ?? true) {
    const channel = String(options.ipmiChannel ?? 1);
    const lan = await tool('ipmitool', ['lan', 'print', channel]);
    if (lan !== undefined) {
      const mc = (await tool('ipmitool', ['mc', 'info'])) ?? '';
      const facts = parseIpmiLan(lan, mc);
      if (Object.keys(facts).length) bmc = facts;
    }
  }

  const compact = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const inventory: Inventory = {
    systemUuid,
    ...(serial ? { serial } : {}),
    ...(manufacturer ? { manufacturer } : {}),
    ...(product ? { product } : {}),
    cpus: cpus.slice(0, 16),
    memory: { totalBytes, ...(dmi.dimms.length ? { dimms: dmi.dimms.slice(0, 128) } : {}) },
    disks: disks.slice(0, 256),
    nics: nics.slice(0, 64),
    ...(Object.values(board).some(Boolean) ? { board: compact(board) } : {}),
    ...(Object.values(bios).some(Boolean) ? { bios: compact(bios) } : {}),
    ...(bmc ? { bmc } : {}),
    ...(notes.length ? { notes: notes.slice(0, 32).map((n) => cleanText(n, 200) ?? 'note') } : {}),
  };
  if (!inventoryCheck.Check(inventory)) {
    const first = inventoryCheck.Errors(inventory).First();
    throw new MachineDbClientError(
      'INVENTORY_INVALID',
      `collected inventory does not match the contract at ${first?.path ?? '/'}: ${first?.message ?? 'invalid'}`,
    );
  }
  return inventory;
}
