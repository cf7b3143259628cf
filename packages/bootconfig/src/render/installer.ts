import type { ResolvedNodeConfig } from '../resolve.js';
import { lateScriptBase64 } from './late-command.js';
import { netmaskOf } from './netboot.js';
import { toYaml, type YamlValue } from './yaml.js';

/** Packages every node needs for what the late command and first boot do. */
export const BASE_PACKAGES = ['openssh-server', 'curl', 'efibootmgr', 'bird2', 'netplan.io'] as const;

function packagesFor(c: ResolvedNodeConfig): string[] {
  return [...new Set([...BASE_PACKAGES, ...c.settings.extraPackages])];
}

function splitUrl(url: string): { protocol: string; host: string; path: string } {
  const parsed = new URL(url);
  return { protocol: parsed.protocol.slice(0, -1), host: parsed.host, path: parsed.pathname.replace(/\/+$/, '') || '/' };
}

/**
 * Debian preseed: static network, mirror and proxy, the system disk by its stable path, the admin user
 * and keys, and the late command. Every value passed validation; a value with a newline could add a
 * line, so none can get here.
 */
export function preseedFor(c: ResolvedNodeConfig): string {
  const m = c.management;
  const mirror = splitUrl(c.settings.mirror);
  const security = splitUrl(c.settings.securityMirror);
  const disk = c.systemDisk;
  const late64 = lateScriptBase64(c, { writeAuthorizedKeys: true });
  const lines: [string, string, string, string][] = [
    ['d-i', 'debian-installer/locale', 'string', 'en_US.UTF-8'],
    ['d-i', 'keyboard-configuration/xkb-keymap', 'select', 'us'],
    ['d-i', 'netcfg/choose_interface', 'select', m.interface],
    ['d-i', 'netcfg/disable_autoconfig', 'boolean', 'true'],
    ['d-i', 'netcfg/get_ipaddress', 'string', m.address.address],
    ['d-i', 'netcfg/get_netmask', 'string', netmaskOf(m.address.prefixLength)],
    ['d-i', 'netcfg/get_gateway', 'string', m.gateway.address],
    ['d-i', 'netcfg/get_nameservers', 'string', m.nameservers.map((n) => n.address).join(' ')],
    ['d-i', 'netcfg/confirm_static', 'boolean', 'true'],
    ['d-i', 'netcfg/get_hostname', 'string', c.hostname],
    ['d-i', 'netcfg/get_domain', 'string', c.domain],
    ['d-i', 'netcfg/hostname', 'string', c.hostname],
    ['d-i', 'mirror/country', 'string', 'manual'],
    ['d-i', 'mirror/protocol', 'select', mirror.protocol],
    ['d-i', `mirror/${mirror.protocol}/hostname`, 'string', mirror.host],
    ['d-i', `mirror/${mirror.protocol}/directory`, 'string', mirror.path],
    ['d-i', `mirror/${mirror.protocol}/proxy`, 'string', c.settings.proxy ?? ''],
    ['d-i', 'mirror/suite', 'string', c.settings.suite],
    ['d-i', 'apt-setup/services-select', 'multiselect', 'security, updates'],
    ['d-i', 'apt-setup/security_host', 'string', security.host],
    ['d-i', 'apt-setup/security_path', 'string', security.path],
    ['d-i', 'clock-setup/utc', 'boolean', 'true'],
    ['d-i', 'time/zone', 'string', c.settings.timezone],
    ['d-i', 'clock-setup/ntp', 'boolean', 'true'],
    ['d-i', 'passwd/root-login', 'boolean', 'false'],
    ['d-i', 'passwd/make-user', 'boolean', 'true'],
    ['d-i', 'passwd/user-fullname', 'string', 'fleet admin'],
    ['d-i', 'passwd/username', 'string', c.admin.user],
    ['d-i', 'passwd/user-password-crypted', 'password', c.admin.passwordHash],
    // partman and grub-installer want a kernel device name; resolve the stable path on the node itself,
    // right before partitioning, so a renumbered /dev/sdX can never select the wrong disk.
    [
      'd-i',
      'partman/early_command',
      'string',
      `debconf-set partman-auto/disk "$(readlink -f ${disk})" && debconf-set grub-installer/bootdev "$(readlink -f ${disk})"`,
    ],
    ['d-i', 'partman-auto/disk', 'string', disk],
    ['d-i', 'partman-auto/method', 'string', 'regular'],
    ['d-i', 'partman-auto/choose_recipe', 'select', 'atomic'],
    ['d-i', 'partman-lvm/device_remove_lvm', 'boolean', 'true'],
    ['d-i', 'partman-md/device_remove_md', 'boolean', 'true'],
    ['d-i', 'partman-partitioning/choose_label', 'select', 'gpt'],
    ['d-i', 'partman-partitioning/default_label', 'string', 'gpt'],
    ['d-i', 'partman-partitioning/confirm_write_new_label', 'boolean', 'true'],
    ['d-i', 'partman-efi/non_efi_system', 'boolean', 'true'],
    ['d-i', 'partman/choose_partition', 'select', 'finish'],
    ['d-i', 'partman/confirm', 'boolean', 'true'],
    ['d-i', 'partman/confirm_nooverwrite', 'boolean', 'true'],
    ['d-i', 'grub-installer/only_debian', 'boolean', 'true'],
    ['d-i', 'grub-installer/bootdev', 'string', disk],
    ['d-i', 'debian-installer/add-kernel-opts', 'string', c.settings.kernelArgs.join(' ')],
    ['tasksel', 'tasksel/first', 'multiselect', 'standard, ssh-server'],
    ['d-i', 'pkgsel/include', 'string', packagesFor(c).join(' ')],
    ['d-i', 'pkgsel/upgrade', 'select', 'safe-upgrade'],
    ['popularity-contest', 'popularity-contest/participate', 'boolean', 'false'],
    [
      'd-i',
      'preseed/late_command',
      'string',
      `printf '%s' '${late64}' > /target/root/fleet-late.b64 && in-target sh -c 'base64 -d /root/fleet-late.b64 > /root/fleet-late.sh && sh /root/fleet-late.sh'`,
    ],
    ['d-i', 'finish-install/reboot_in_progress', 'note', ''],
  ];
  const header = `# fleet preseed for ${c.fqdn} (role ${c.role}, ${c.settings.family} ${c.settings.suite}, ${c.firmware})
# Generated by @fleet/bootconfig; the system disk is ${disk}.
`;
  return header + lines.map(([owner, key, type, value]) => `${owner} ${key} ${type}${value === '' ? '' : ` ${value}`}\n`).join('');
}

/** The `autoinstall:` section as data (tests check it against a schema of their own). */
export function autoinstallSectionFor(c: ResolvedNodeConfig): { [key: string]: YamlValue } {
  const m = c.management;
  const disk = c.systemDisk;
  const uefi = c.firmware === 'uefi';
  const storage: YamlValue[] = [
    { type: 'disk', id: 'disk-system', path: disk, ptable: 'gpt', wipe: 'superblock-recursive', preserve: false, grub_device: !uefi },
    uefi
      ? { type: 'partition', id: 'part-esp', device: 'disk-system', size: 536870912, flag: 'boot', grub_device: true, number: 1, preserve: false }
      : { type: 'partition', id: 'part-biosgrub', device: 'disk-system', size: 1048576, flag: 'bios_grub', number: 1, preserve: false },
    { type: 'partition', id: 'part-root', device: 'disk-system', size: -1, number: 2, preserve: false },
    { type: 'format', id: 'fs-root', volume: 'part-root', fstype: 'ext4', preserve: false },
    { type: 'mount', id: 'mount-root', device: 'fs-root', path: '/' },
  ];
  if (uefi) {
    storage.push(
      { type: 'format', id: 'fs-esp', volume: 'part-esp', fstype: 'fat32', preserve: false },
      { type: 'mount', id: 'mount-esp', device: 'fs-esp', path: '/boot/efi' },
    );
  }
  const late64 = lateScriptBase64(c, { writeAuthorizedKeys: false });
  const section: { [key: string]: YamlValue } = {
    version: 1,
    locale: 'en_US.UTF-8',
    keyboard: { layout: 'us' },
    timezone: c.settings.timezone,
    'refresh-installer': { update: false },
    network: {
      version: 2,
      ethernets: {
        [m.interface]: {
          match: { macaddress: m.mac },
          'set-name': m.interface,
          addresses: [m.address.cidr],
          routes: [{ to: 'default', via: m.gateway.address }],
          nameservers: { addresses: m.nameservers.map((n) => n.address), search: m.search },
        },
      },
    },
    apt: {
      primary: [{ arches: ['default'], uri: c.settings.mirror }],
      security: [{ arches: ['default'], uri: c.settings.securityMirror }],
    },
    storage: { config: storage },
    identity: { hostname: c.hostname, realname: 'fleet admin', username: c.admin.user, password: c.admin.passwordHash },
    ssh: { 'install-server': true, 'allow-pw': false, 'authorized-keys': c.admin.sshKeys },
    packages: packagesFor(c),
    kernel: { package: 'linux-generic' },
    'late-commands': [
      `printf '%s' '${late64}' > /target/root/fleet-late.b64`,
      "curtin in-target --target=/target -- sh -c 'base64 -d /root/fleet-late.b64 > /root/fleet-late.sh && sh /root/fleet-late.sh'",
    ],
    shutdown: 'reboot',
  };
  if (c.settings.proxy !== null) section.proxy = c.settings.proxy;
  if (c.settings.kernelArgs.length > 0) {
    // Kernel arguments of the installed system go through the target's GRUB defaults.
    (section['late-commands'] as YamlValue[]).unshift(
      `curtin in-target --target=/target -- sh -c 'printf "%s\\n" "GRUB_CMDLINE_LINUX=\\"${c.settings.kernelArgs.join(' ')}\\"" > /etc/default/grub.d/60-fleet.cfg && update-grub'`,
    );
  }
  return section;
}

/** Ubuntu autoinstall user-data: `#cloud-config` with the same content as the preseed. */
export function autoinstallFor(c: ResolvedNodeConfig): string {
  return `#cloud-config
# fleet autoinstall for ${c.fqdn} (role ${c.role}, ${c.settings.family} ${c.settings.suite}, ${c.firmware})
${toYaml({ autoinstall: autoinstallSectionFor(c) })}`;
}

/** NoCloud meta-data served beside the user-data. */
export function metaDataFor(c: ResolvedNodeConfig): string {
  return toYaml({ 'instance-id': `fleet-${c.hostname}`, 'local-hostname': c.hostname });
}
