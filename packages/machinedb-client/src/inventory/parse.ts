import type { InventoryDisk } from '@fleet/machinedb-contract';

// Parsers for the tools the live system runs. Each takes the tool's raw output and returns plain facts;
// they never throw on odd input (a server with a strange BMC must still enrol), they skip what they cannot read.

const PLACEHOLDER = /^(?:not specified|not present|none|unknown|to be filled by o\.e\.m\.|default string|system serial number|0+|n\/a|\s*)$/i;

/** Text safe for the contract's TextSchema: no control characters, trimmed, bounded; undefined when a placeholder. */
export function cleanText(value: unknown, max = 128): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value)
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (PLACEHOLDER.test(text)) return undefined;
  return text.slice(0, max);
}

function asArray<T>(value: T | T[] | undefined | null): T[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

// ---- lsblk -J -b -O ---------------------------------------------------------------------------------

interface LsblkDevice {
  name?: string;
  kname?: string;
  type?: string;
  size?: number | string | null;
  model?: string | null;
  serial?: string | null;
  wwn?: string | null;
  rota?: boolean | string | null;
  tran?: string | null;
  rm?: boolean | string | null;
  children?: LsblkDevice[];
}

const SKIP_DISK = /^(?:zram|loop|ram|sr|fd|md|dm-|nbd)/;

/** Disk paths under /dev/disk/by-id as udev would name them, for when the links cannot be read. */
export function derivedByIdPaths(disk: { tran?: string | undefined; model?: string | undefined; serial?: string | undefined; wwn?: string | undefined }): string[] {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._:+@-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  const out: string[] = [];
  if (disk.model && disk.serial) {
    const kind = disk.tran === 'nvme' ? 'nvme' : disk.tran === 'sata' || disk.tran === 'ata' ? 'ata' : disk.tran === 'usb' ? 'usb' : 'scsi';
    out.push(`/dev/disk/by-id/${kind}-${safe(disk.model)}_${safe(disk.serial)}`);
  }
  if (disk.wwn) out.push(`/dev/disk/by-id/wwn-${safe(disk.wwn)}`);
  return out;
}

/**
 * Whole disks from `lsblk -J -b -O` (partitions, loop, zram, optical and zero-size devices are skipped).
 * `byId` maps kernel names to their /dev/disk/by-id links when they could be read.
 */
export function parseLsblk(jsonText: string, byId: ReadonlyMap<string, string[]> = new Map()): InventoryDisk[] {
  let parsed: { blockdevices?: LsblkDevice[] };
  try {
    parsed = JSON.parse(jsonText) as { blockdevices?: LsblkDevice[] };
  } catch {
    return [];
  }
  const disks: InventoryDisk[] = [];
  for (const dev of parsed.blockdevices ?? []) {
    const name = dev.kname ?? dev.name;
    if (!name || dev.type !== 'disk' || SKIP_DISK.test(name)) continue;
    const size = Number(dev.size ?? 0);
    if (!Number.isFinite(size) || size <= 0) continue;
    const model = cleanText(dev.model);
    const serial = cleanText(dev.serial);
    const wwn = cleanText(dev.wwn);
    const tran = cleanText(dev.tran);
    const links = byId.get(name) ?? derivedByIdPaths({ tran, model, serial, wwn });
    disks.push({
      name: name.slice(0, 64),
      sizeBytes: Math.trunc(size),
      ...(model ? { model } : {}),
      ...(serial ? { serial } : {}),
      ...(wwn ? { wwn } : {}),
      rotational: dev.rota === true || dev.rota === '1' || dev.rota === 'true',
      byId: links.filter((p) => p.startsWith('/dev/disk/by-id/')).slice(0, 32),
    });
  }
  return disks.sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
}

// ---- ip -j link / ip -j addr ------------------------------------------------------------------------

interface IpLink {
  ifname?: string;
  link_type?: string;
  address?: string;
  permaddr?: string;
  flags?: string[];
  operstate?: string;
  linkinfo?: { info_kind?: string; info_slave_kind?: string };
  link?: string;
  addr_info?: Array<{ family?: string; local?: string; prefixlen?: number; scope?: string }>;
}

const VIRTUAL_NAME = /^(?:lo|ifb\d|veth|docker|br-|virbr|vnet|tap|tun|wg|dummy|bond|team|vxlan|kube|cali|flannel|cni|ovs)/;

export interface IpInterface {
  name: string;
  mac: string;
  up: boolean;
  /** True when the kernel says it is virtual (linkinfo kind) or its name is a known virtual kind. */
  virtual: boolean;
  addresses: string[];
}

/** Interfaces from `ip -j link` or `ip -j addr` (the latter adds addresses). */
export function parseIpLinks(jsonText: string): IpInterface[] {
  let parsed: IpLink[];
  try {
    parsed = JSON.parse(jsonText) as IpLink[];
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const out: IpInterface[] = [];
  for (const link of parsed) {
    if (!link.ifname || link.link_type !== 'ether') continue;
    // Bond and team members report the bond's MAC; permaddr is the card's own.
    const mac = (link.permaddr ?? link.address ?? '').toLowerCase();
    if (!/^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/.test(mac) || mac === '00:00:00:00:00:00') continue;
    const kind = link.linkinfo?.info_kind;
    out.push({
      name: link.ifname,
      mac,
      up: (link.flags ?? []).includes('UP'),
      virtual: Boolean(kind && kind !== 'bond_slave') || Boolean(link.link) || VIRTUAL_NAME.test(link.ifname),
      addresses: (link.addr_info ?? [])
        .filter((a) => a.local && a.scope === 'global')
        .map((a) => `${a.local}/${a.prefixlen ?? 0}`),
    });
  }
  return out;
}

// ---- lshw -json -------------------------------------------------------------------------------------

interface LshwNode {
  id?: string;
  class?: string;
  description?: string;
  product?: string;
  vendor?: string;
  serial?: string;
  size?: number;
  capacity?: number;
  logicalname?: string | string[];
  configuration?: Record<string, string>;
  children?: LshwNode[];
}

export interface LshwFacts {
  manufacturer?: string;
  product?: string;
  serial?: string;
  memoryBytes?: number;
  cpuModels: string[];
  /** NIC speed by MAC (Mb/s), from `capacity` or `size`. */
  nicSpeeds: Map<string, number>;
}

/** Facts from `lshw -json` (an object, or an array with one object in newer versions). */
export function parseLshw(jsonText: string): LshwFacts {
  const facts: LshwFacts = { cpuModels: [], nicSpeeds: new Map() };
  let root: LshwNode | LshwNode[];
  try {
    root = JSON.parse(jsonText) as LshwNode | LshwNode[];
  } catch {
    return facts;
  }
  const top = Array.isArray(root) ? root[0] : root;
  if (!top) return facts;
  if (top.class === 'system') {
    const vendor = cleanText(top.vendor);
    const product = cleanText(top.product);
    const serial = cleanText(top.serial);
    if (vendor) facts.manufacturer = vendor;
    if (product) facts.product = product.replace(/\s*\(.*\)$/, '');
    if (serial) facts.serial = serial;
  }
  const walk = (node: LshwNode) => {
    if (node.class === 'memory' && /system memory/i.test(node.description ?? '') && typeof node.size === 'number') {
      facts.memoryBytes = (facts.memoryBytes ?? 0) + node.size;
    } else if (node.class === 'memory' && node.id === 'memory' && typeof node.size === 'number' && !node.description) {
      facts.memoryBytes ??= node.size;
    }
    if (node.class === 'processor') {
      const model = cleanText(node.product, 200);
      if (model) facts.cpuModels.push(model);
    }
    if (node.class === 'network' && node.serial && /^[0-9a-f:]{17}$/i.test(node.serial)) {
      const speed = node.capacity ?? node.size;
      if (typeof speed === 'number' && speed > 0) facts.nicSpeeds.set(node.serial.toLowerCase(), Math.round(speed / 1e6));
    }
    for (const child of node.children ?? []) walk(child);
  };
  walk(top);
  return facts;
}

// ---- dmidecode (text) -------------------------------------------------------------------------------

export interface DmiSection {
  type: string;
  fields: Record<string, string>;
}

export interface DmiFacts {
  systemUuid?: string;
  manufacturer?: string;
  product?: string;
  serial?: string;
  board: { manufacturer?: string; product?: string; serial?: string };
  bios: { vendor?: string; version?: string; date?: string };
  cpus: Array<{ socket: number; model: string; cores: number; threads: number; mhz?: number }>;
  dimms: Array<{ slot: string; sizeBytes: number; type?: string; speedMts?: number }>;
}

/** Splits `dmidecode` output into its sections (`System Information`, `Memory Device`…). */
export function parseDmiSections(text: string): DmiSection[] {
  const sections: DmiSection[] = [];
  let current: DmiSection | undefined;
  let lastKey: string | undefined;
  for (const line of text.split('\n')) {
    if (/^Handle 0x/.test(line)) {
      current = undefined;
      continue;
    }
    if (line.trim() === '') continue;
    if (!line.startsWith('\t')) {
      if (current === undefined) {
        current = { type: line.trim(), fields: {} };
        sections.push(current);
      }
      continue;
    }
    if (!current) continue;
    const m = /^\t([^\t:][^:]*):\s?(.*)$/.exec(line);
    if (m?.[1]) {
      lastKey = m[1].trim();
      current.fields[lastKey] = (m[2] ?? '').trim();
    } else if (line.startsWith('\t\t') && lastKey) {
      // list continuation (Characteristics…): not needed
    }
  }
  return sections;
}

function bytesOf(size: string | undefined): number | undefined {
  const m = /^(\d+)\s*(bytes|kB|KB|MB|GB|TB)$/i.exec(size ?? '');
  if (!m) return undefined;
  const mult: Record<string, number> = { bytes: 1, kb: 2 ** 10, mb: 2 ** 20, gb: 2 ** 30, tb: 2 ** 40 };
  return Number(m[1]) * (mult[(m[2] ?? '').toLowerCase()] ?? 0);
}

/** Facts from `dmidecode` text output; the UUID is lower-cased. */
export function parseDmidecode(text: string): DmiFacts {
  const facts: DmiFacts = { board: {}, bios: {}, cpus: [], dimms: [] };
  const set = <T extends object>(target: T, key: keyof T, value: string | undefined) => {
    const clean = cleanText(value);
    if (clean) (target as Record<keyof T, unknown>)[key] = clean;
  };
  for (const s of parseDmiSections(text)) {
    const f = s.fields;
    if (s.type === 'System Information') {
      set(facts, 'manufacturer', f.Manufacturer);
      set(facts, 'product', f['Product Name']);
      set(facts, 'serial', f['Serial Number']);
      const uuid = (f.UUID ?? '').toLowerCase();
      if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(uuid) && !/^[0f-]+$/.test(uuid)) {
        facts.systemUuid = uuid;
      }
    } else if (s.type === 'Base Board Information') {
      set(facts.board, 'manufacturer', f.Manufacturer);
      set(facts.board, 'product', f['Product Name']);
      set(facts.board, 'serial', f['Serial Number']);
    } else if (s.type === 'BIOS Information') {
      set(facts.bios, 'vendor', f.Vendor);
      set(facts.bios, 'version', f.Version);
      const date = cleanText(f['Release Date'], 32);
      if (date) facts.bios.date = date;
    } else if (s.type === 'Processor Information') {
      if (/not populated|unpopulated/i.test(f.Status ?? '')) continue;
      const model = cleanText(f.Version, 200);
      const cores = Number(f['Core Count']);
      if (!model || !(cores > 0)) continue;
      const threads = Number(f['Thread Count']);
      const mhz = Number(/^(\d+)\s*MHz/.exec(f['Current Speed'] ?? '')?.[1]);
      facts.cpus.push({
        socket: facts.cpus.length,
        model,
        cores,
        threads: threads > 0 ? threads : cores,
        ...(mhz > 0 ? { mhz } : {}),
      });
    } else if (s.type === 'Memory Device') {
      const sizeBytes = bytesOf(f.Size);
      if (!sizeBytes) continue; // "No Module Installed"
      const slot = cleanText(f.Locator, 64) ?? `slot${facts.dimms.length}`;
      const type = cleanText(f.Type, 32);
      const speed = Number(/^(\d+)\s*(?:MT\/s|MHz)/.exec(f.Speed ?? '')?.[1]);
      facts.dimms.push({ slot, sizeBytes, ...(type ? { type } : {}), ...(speed > 0 ? { speedMts: speed } : {}) });
    }
  }
  return facts;
}

// ---- lldpctl -f json --------------------------------------------------------------------------------

export interface LldpFacts {
  switchName?: string;
  switchChassisId?: string;
  port: string;
  portDescription?: string;
  vlan?: number;
}

type LldpValue = { value?: string; type?: string } | string | undefined;
function lldpValue(v: LldpValue): string | undefined {
  if (typeof v === 'string') return v;
  return v?.value;
}

/**
 * Neighbours by local interface from `lldpctl -f json`. lldpd prints one interface as an object and
 * several as an array of single-key objects; both are handled.
 */
export function parseLldpctl(jsonText: string): Map<string, LldpFacts> {
  const out = new Map<string, LldpFacts>();
  let parsed: { lldp?: { interface?: unknown } };
  try {
    parsed = JSON.parse(jsonText) as { lldp?: { interface?: unknown } };
  } catch {
    return out;
  }
  const raw = parsed.lldp?.interface;
  const entries: Array<[string, Record<string, unknown>]> = [];
  for (const item of asArray(raw as Record<string, Record<string, unknown>> | Array<Record<string, Record<string, unknown>>>)) {
    for (const [ifname, body] of Object.entries(item ?? {})) entries.push([ifname, body]);
  }
  for (const [ifname, body] of entries) {
    const chassisMap = (body.chassis ?? {}) as Record<string, unknown>;
    // chassis: { "<sysname>": { id: {type, value}, … } } or { id: {…} } when the name is unknown
    let switchName: string | undefined;
    let chassis: Record<string, unknown> = chassisMap;
    const names = Object.keys(chassisMap).filter((k) => k !== 'id' && k !== 'descr' && k !== 'capability' && k !== 'mgmt-ip');
    if (names.length === 1 && typeof chassisMap[names[0] as string] === 'object') {
      switchName = names[0];
      chassis = chassisMap[names[0] as string] as Record<string, unknown>;
    }
    const port = (body.port ?? {}) as { id?: LldpValue; descr?: string };
    const portId = cleanText(lldpValue(port.id));
    if (!portId) continue;
    const vlanRaw = asArray(body.vlan as { 'vlan-id'?: string; pvid?: boolean } | Array<{ 'vlan-id'?: string; pvid?: boolean }>);
    const pvid = vlanRaw.find((v) => v.pvid) ?? vlanRaw[0];
    const vlan = Number(pvid?.['vlan-id']);
    const name = cleanText(switchName);
    const chassisId = cleanText(lldpValue(chassis.id as LldpValue));
    const descr = cleanText(port.descr, 200);
    out.set(ifname, {
      ...(name ? { switchName: name } : {}),
      ...(chassisId ? { switchChassisId: chassisId } : {}),
      port: portId,
      ...(descr ? { portDescription: descr } : {}),
      ...(Number.isInteger(vlan) && vlan >= 0 && vlan <= 4095 ? { vlan } : {}),
    });
  }
  return out;
}

// ---- ipmitool lan print / mc info -------------------------------------------------------------------

export interface BmcFacts {
  address?: string;
  mac?: string;
  firmware?: string;
  vendor?: string;
}

/** `Key : value` lines of ipmitool output. */
function colonFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([^:]+?)\s*:\s(.*)$/.exec(line);
    if (m?.[1] && out[m[1].trim()] === undefined) out[m[1].trim()] = (m[2] ?? '').trim();
  }
  return out;
}

export function parseIpmiLan(lanPrint: string, mcInfo = ''): BmcFacts {
  const lan = colonFields(lanPrint);
  const mc = colonFields(mcInfo);
  const facts: BmcFacts = {};
  const ip = lan['IP Address'];
  if (ip && /^[0-9.]+$/.test(ip)) facts.address = ip;
  const mac = lan['MAC Address']?.toLowerCase();
  if (mac && /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/.test(mac)) facts.mac = mac;
  const fw = cleanText(mc['Firmware Revision'], 64);
  if (fw) facts.firmware = fw;
  const vendor = cleanText(mc['Manufacturer Name']);
  if (vendor) facts.vendor = vendor;
  return facts;
}

// ---- /proc ------------------------------------------------------------------------------------------

export function parseMeminfo(text: string): number | undefined {
  const kb = Number(/^MemTotal:\s+(\d+)\s+kB/m.exec(text)?.[1]);
  return kb > 0 ? kb * 1024 : undefined;
}

/** CPU packages from /proc/cpuinfo: model, cores per package and threads per package. */
export function parseCpuinfo(text: string): Array<{ socket: number; model: string; cores: number; threads: number; mhz?: number }> {
  const packages = new Map<number, { model: string; cores: number; threads: number; mhz?: number }>();
  for (const block of text.split(/\n\s*\n/)) {
    const f: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const m = /^([^:]+?)\s*:\s?(.*)$/.exec(line);
      if (m?.[1]) f[m[1].trim()] = (m[2] ?? '').trim();
    }
    if (f.processor === undefined) continue;
    const socket = Number(f['physical id'] ?? 0) || 0;
    const p = packages.get(socket) ?? {
      model: cleanText(f['model name'], 200) ?? 'unknown',
      cores: Number(f['cpu cores']) || 0,
      threads: 0,
      ...(Number(f['cpu MHz']) > 0 ? { mhz: Math.round(Number(f['cpu MHz'])) } : {}),
    };
    p.threads += 1;
    packages.set(socket, p);
  }
  return [...packages.entries()].map(([socket, p]) => ({ socket, ...p, cores: p.cores || p.threads }));
}


