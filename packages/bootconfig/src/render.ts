import type { NodeInput, RenderedFile, SiteInput } from './input.js';
import { type RenderOptions, type ResolvedNodeConfig, resolveNodeConfig, resolveSite } from './resolve.js';
import { birdFor } from './render/bird.js';
import { grubFallbackFor, grubFor } from './render/grub.js';
import { autoinstallFor, metaDataFor, preseedFor, vendorDataFor } from './render/installer.js';
import { ipxeFallbackFor, ipxeFor } from './render/ipxe.js';
import { dashedMac, nodeBootArgs } from './render/netboot.js';
import {
  aptProxyFor,
  aptSourcesFor,
  authorizedKeysFor,
  bmcFor,
  chronySourcesFor,
  consulFor,
  hostnameFor,
  hostsFor,
  netplanFor,
  sshdFor,
  timesyncdFor,
} from './render/system.js';

type Renderer = (node: NodeInput, site: SiteInput, options?: RenderOptions) => string;

function renderer(render: (c: ResolvedNodeConfig) => string): Renderer {
  return (node, site, options) => render(resolveNodeConfig(node, site, options));
}

/** GRUB netboot config for one node (UEFI or BIOS by `node.firmware`); default entry = `node.bootTarget`. */
export const renderGrubConfig: Renderer = renderer(grubFor);
/** iPXE script for one node, equivalent to {@link renderGrubConfig}. */
export const renderIpxeScript: Renderer = renderer(ipxeFor);
/** Debian preseed (holds the install token: serve it only to the node). */
export const renderPreseed: Renderer = renderer(preseedFor);
/** Ubuntu autoinstall user-data (`#cloud-config` + `autoinstall:`; holds the install token). */
export const renderAutoinstallUserData: Renderer = renderer(autoinstallFor);
/** NoCloud meta-data served beside the user-data. */
export const renderAutoinstallMetaData: Renderer = renderer(metaDataFor);
export const renderNetplan: Renderer = renderer(netplanFor);
export const renderHostname: Renderer = renderer(hostnameFor);
export const renderHosts: Renderer = renderer(hostsFor);
export const renderAptSources: Renderer = renderer(aptSourcesFor);
export const renderSshdConfig: Renderer = renderer(sshdFor);
export const renderAuthorizedKeys: Renderer = renderer(authorizedKeysFor);
/** Consul agent config (holds the gossip encryption key). */
export const renderConsulConfig: Renderer = renderer(consulFor);
export const renderBirdConfig: Renderer = renderer(birdFor);

const TEXT = 'text/plain; charset=utf-8';
const CLOUD_CONFIG = 'text/cloud-config; charset=utf-8';
// RFC 9512: YAML is UTF-8, no charset parameter.
const YAML = 'application/yaml';
const JSON_TYPE = 'application/json';

/** GRUB config for MACs the MachineDB does not know: boots the live inventory system. */
export function renderGrubFallback(site: SiteInput, options: RenderOptions = {}): string {
  return grubFallbackFor(resolveSite(site, options));
}

/** iPXE script for unknown MACs: boots the live inventory system. */
export function renderIpxeFallback(site: SiteInput, options: RenderOptions = {}): string {
  return ipxeFallbackFor(resolveSite(site, options));
}

/** The site's netboot files for unknown MACs (`grub/grub.cfg`, `ipxe/default.ipxe`). */
export function renderFallbackFiles(site: SiteInput, options: RenderOptions = {}): RenderedFile[] {
  const s = resolveSite(site, options);
  return [
    { scope: 'netboot', path: 'grub/grub.cfg', mode: 0o644, content: grubFallbackFor(s), secret: false, contentType: TEXT },
    { scope: 'netboot', path: 'ipxe/default.ipxe', mode: 0o644, content: ipxeFallbackFor(s), secret: false, contentType: TEXT },
  ];
}

function file(
  scope: RenderedFile['scope'],
  path: string,
  mode: number,
  content: string,
  secret: boolean,
  contentType = TEXT,
): RenderedFile {
  return { scope, path, mode, content, secret, contentType };
}

/**
 * Every file one node needs, validated once: its netboot configs and installer files (served by the
 * provisioning server) and its first-boot files (written on the node). Files holding a secret are
 * marked `secret: true` and have owner-only modes.
 */
export function renderNodeFiles(node: NodeInput, site: SiteInput, options: RenderOptions = {}): RenderedFile[] {
  const c = resolveNodeConfig(node, site, options);
  const mac = dashedMac(c.bootMac);
  // = installerDir(c.bootMac)
  const dir = `installer/${mac}`;
  const args = nodeBootArgs(c);
  const files: RenderedFile[] = [
    file('netboot', `grub/grub.cfg-01-${mac}`, 0o644, grubFor(c, args), false),
    file('netboot', `ipxe/${mac}.ipxe`, 0o644, ipxeFor(c, args), false),
  ];
  if (c.settings.family === 'ubuntu') {
    files.push(
      file('netboot', `${dir}/user-data`, 0o600, autoinstallFor(c), true, CLOUD_CONFIG),
      file('netboot', `${dir}/meta-data`, 0o644, metaDataFor(c), false, YAML),
      file('netboot', `${dir}/vendor-data`, 0o644, vendorDataFor(), false, CLOUD_CONFIG),
    );
  } else {
    files.push(file('netboot', `${dir}/preseed.cfg`, 0o600, preseedFor(c), true));
  }
  files.push(
    file('node', '/etc/hostname', 0o644, hostnameFor(c), false),
    file('node', '/etc/hosts', 0o644, hostsFor(c), false),
    // netplan warns about (and newer versions refuse) world-readable configs.
    file('node', '/etc/netplan/60-fleet.yaml', 0o600, netplanFor(c), false, YAML),
    file('node', '/etc/apt/sources.list.d/fleet.sources', 0o644, aptSourcesFor(c), false),
  );
  const proxy = aptProxyFor(c);
  if (proxy !== undefined) files.push(file('node', '/etc/apt/apt.conf.d/90fleet-proxy', 0o644, proxy, false));
  files.push(
    file('node', '/etc/ssh/sshd_config.d/60-fleet.conf', 0o644, sshdFor(c), false),
    file('node', `/home/${c.admin.user}/.ssh/authorized_keys`, 0o600, authorizedKeysFor(c), false),
    file('node', '/etc/consul.d/fleet.json', 0o640, consulFor(c), true, JSON_TYPE),
    file('node', '/etc/bird/bird.conf', 0o640, birdFor(c), false),
  );
  if (c.management.ntpServers.length > 0) {
    // Whichever time daemon the installed system runs reads its own file.
    files.push(
      file('node', '/etc/chrony/sources.d/fleet.sources', 0o644, chronySourcesFor(c), false),
      file('node', '/etc/systemd/timesyncd.conf.d/60-fleet.conf', 0o644, timesyncdFor(c), false),
    );
  }
  const bmc = bmcFor(c);
  if (bmc !== undefined) files.push(file('node', '/etc/fleet/bmc.json', 0o600, bmc, true, JSON_TYPE));
  return files;
}
