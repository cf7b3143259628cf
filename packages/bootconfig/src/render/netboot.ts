import type { ResolvedNodeConfig } from '../resolve.js';

const COLONS = /:/g;

/** `aa:bb:cc:dd:ee:ff` → `aa-bb-cc-dd-ee-ff`, the form netboot loaders use in file names. */
export function dashedMac(mac: string): string {
  return mac.replace(COLONS, '-');
}

const netmasks: string[] = [];

export function netmaskOf(prefixLength: number): string {
  let mask = netmasks[prefixLength];
  if (mask === undefined) {
    const bits = prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
    mask = [24, 16, 8, 0].map((shift) => (bits >>> shift) & 0xff).join('.');
    // Only the 33 IPv4 prefix lengths are kept.
    if (Number.isInteger(prefixLength) && prefixLength >= 0 && prefixLength <= 32) netmasks[prefixLength] = mask;
  }
  return mask;
}

/**
 * Where the provisioning server serves a node's installer files, relative to `netboot.baseUrl`: named by the
 * boot MAC, the one thing the firmware, the netboot file and the installer's kernel command line all carry.
 */
export function installerDir(bootMac: string): string {
  return `installer/${dashedMac(bootMac)}`;
}

/** Installer files, by distro family: the names the installer asks for under {@link installerDir}. */
export const INSTALLER_FILES = {
  debian: ['preseed.cfg'],
  // NoCloud (`ds=nocloud-net;s=DIR/`) fetches meta-data, user-data and vendor-data from DIR.
  ubuntu: ['meta-data', 'user-data', 'vendor-data'],
} as const;

/** Kernel arguments of one boot entry; each one passed the allow-list in resolveNodeConfig. */
export interface BootEntryArgs {
  /** Arguments safe everywhere (allow-listed characters). */
  plain: string[];
  /**
   * The Ubuntu NoCloud datasource needs a `;` (`ds=nocloud-net;s=URL`). It is built here from a validated
   * URL and quoted by each renderer in its own syntax; user input never reaches this field.
   */
  datasource: string | undefined;
}

export function liveArgs(c: ResolvedNodeConfig | undefined, live: { args: string[] }, machineDbUrl: string, kernelArgs: readonly string[]): BootEntryArgs {
  const plain = [...live.args, `fleet.machinedb=${machineDbUrl}`];
  if (c) plain.push(`fleet.mac=${c.bootMac}`);
  plain.push(...kernelArgs);
  return { plain, datasource: undefined };
}

/** A node's live and install entries' arguments, computed once for both its GRUB and its iPXE file. */
export interface NodeBootArgs {
  live: BootEntryArgs;
  install: BootEntryArgs | undefined;
}

export function nodeBootArgs(c: ResolvedNodeConfig): NodeBootArgs {
  return {
    live: liveArgs(c, c.netboot.live, c.machineDbUrl, c.settings.kernelArgs),
    // Only a node set to install is offered the installer: its files are served only then.
    install: c.netboot.install !== undefined && c.bootTarget === 'install' ? installArgs(c) : undefined,
  };
}

export function installArgs(c: ResolvedNodeConfig): BootEntryArgs {
  const m = c.management;
  const dir = `${c.netboot.baseUrl}/${installerDir(c.bootMac)}`;
  if (c.settings.family === 'ubuntu') {
    // casper's `ip=` brings up the static management address before the datasource is fetched.
    const ip = `ip=${m.address.address}::${m.gateway.address}:${netmaskOf(m.address.prefixLength)}:${c.hostname}:${m.interface}:none:${m.nameservers[0]?.address ?? ''}`;
    return { plain: ['autoinstall', ip, ...c.settings.kernelArgs], datasource: `ds=nocloud-net;s=${dir}/` };
  }
  // d-i reads the static network from the command line, so it never needs DHCP to fetch the preseed.
  return {
    plain: [
      'auto=true',
      'priority=critical',
      `url=${dir}/preseed.cfg`,
      `netcfg/choose_interface=${m.interface}`,
      'netcfg/disable_autoconfig=true',
      `netcfg/get_ipaddress=${m.address.address}`,
      `netcfg/get_netmask=${netmaskOf(m.address.prefixLength)}`,
      `netcfg/get_gateway=${m.gateway.address}`,
      `netcfg/get_nameservers=${m.nameservers.map((n) => n.address).join(',')}`,
      'netcfg/confirm_static=true',
      `hostname=${c.hostname}`,
      `domain=${c.domain}`,
      ...c.settings.kernelArgs,
    ],
    datasource: undefined,
  };
}

/** The path of the boot loader that the installer puts on the ESP, per distro family. */
export function efiLoaderPath(family: 'debian' | 'ubuntu'): string {
  return family === 'ubuntu' ? '/EFI/ubuntu/shimx64.efi' : '/EFI/debian/grubx64.efi';
}
