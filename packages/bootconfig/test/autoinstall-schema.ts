// cloud-init checks only `autoinstall.version`; this is our own check of the subset of subiquity's
// autoinstall schema we render (types and required keys), so a renderer change cannot silently
// produce a section the installer would reject.

type Check = (value: unknown, path: string, errors: string[]) => void;

const str: Check = (v, p, e) => {
  if (typeof v !== 'string' || v.length === 0) e.push(`${p}: expected a non-empty string`);
};
const bool: Check = (v, p, e) => {
  if (typeof v !== 'boolean') e.push(`${p}: expected a boolean`);
};
const int: Check = (v, p, e) => {
  if (typeof v !== 'number' || !Number.isInteger(v)) e.push(`${p}: expected an integer`);
};
const list =
  (item: Check, min = 0): Check =>
  (v, p, e) => {
    if (!Array.isArray(v) || v.length < min) return void e.push(`${p}: expected a list of at least ${min}`);
    for (const [i, x] of v.entries()) item(x, `${p}[${i}]`, e);
  };
const obj =
  (required: Record<string, Check>, optional: Record<string, Check> = {}, open = false): Check =>
  (v, p, e) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return void e.push(`${p}: expected a mapping`);
    const record = v as Record<string, unknown>;
    for (const [k, check] of Object.entries(required)) {
      if (!(k in record)) e.push(`${p}.${k}: required`);
      else check(record[k], `${p}.${k}`, e);
    }
    for (const [k, value] of Object.entries(record)) {
      if (k in required) continue;
      const check = optional[k];
      if (check) check(value, `${p}.${k}`, e);
      else if (!open) e.push(`${p}.${k}: unknown key`);
    }
  };
const any: Check = () => {};
const oneOf =
  (...values: unknown[]): Check =>
  (v, p, e) => {
    if (!values.includes(v)) e.push(`${p}: expected one of ${values.join(', ')}`);
  };

const storageAction: Check = (v, p, e) => {
  const type = (v as { type?: unknown } | null)?.type;
  const shapes: Record<string, Check> = {
    disk: obj({ type: str, id: str, ptable: oneOf('gpt', 'msdos') }, { path: str, wipe: str, preserve: bool, grub_device: bool, match: any }),
    partition: obj({ type: str, id: str, device: str, size: int }, { flag: str, grub_device: bool, number: int, preserve: bool, wipe: str }),
    format: obj({ type: str, id: str, volume: str, fstype: str }, { preserve: bool, label: str }),
    mount: obj({ type: str, id: str, device: str, path: str }, { options: str }),
  };
  const shape = typeof type === 'string' ? shapes[type] : undefined;
  if (!shape) return void e.push(`${p}.type: unknown storage action ${String(type)}`);
  shape(v, p, e);
};

const mirror = list(obj({ arches: list(str, 1), uri: str }), 1);

const section = obj(
  { version: oneOf(1), identity: obj({ hostname: str, username: str, password: str }, { realname: str }) },
  {
    locale: str,
    keyboard: obj({ layout: str }, { variant: str, toggle: any }),
    timezone: str,
    'refresh-installer': obj({}, { update: bool, channel: str }),
    network: obj({ version: oneOf(2) }, { ethernets: any, bonds: any, vlans: any }),
    proxy: str,
    apt: obj({}, { primary: mirror, security: mirror, geoip: bool, preserve_sources_list: bool }),
    storage: obj({ config: list(storageAction, 1) }, { swap: any }),
    ssh: obj({}, { 'install-server': bool, 'allow-pw': bool, 'authorized-keys': list(str) }),
    packages: list(str),
    kernel: obj({}, { package: str, flavor: str }),
    'late-commands': list(str),
    'early-commands': list(str),
    shutdown: oneOf('reboot', 'poweroff'),
    'user-data': obj({}, { ntp: obj({ enabled: bool, servers: list(str, 1) }) }),
  },
);

/** Returns the list of schema violations (empty when valid). */
export function checkAutoinstallSection(value: unknown): string[] {
  const errors: string[] = [];
  section(value, 'autoinstall', errors);
  return errors;
}
