import type { NodeInput, RenderedFile, SiteInput } from './input.js';
import { type RenderOptions, type ResolvedNodeConfig, resolveNodeConfig, resolveSite } from './resolve.js';
import { birdFor } from './render/bird.js';
import { grubFallbackFor, grubFor } from './render/grub.js';
import { autoinstallFor, metaDataFor, preseedFor } from './render/installer.js';
import { ipxeFallbackFor, ipxeFor } from './render/ipxe.js';
import { dashedMac, installerDir } from './render/netboot.js';
import {
  aptProxyFor,
  aptSourcesFor,
  authorizedKeysFor,
  bmcFor,
  consulFor,
  hostnameFor,
  hostsFor,
  netplanFor,
  sshdFor,
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
    { scope: 'netboot', path: 'grub/grub.cfg', mode: 0o644, content: grubFallbackFor(s), secret: false },
    { scope: 'netboot', path: 'ipxe/default.ipxe', mode: 0o644, content: ipxeFallbackFor(s), secret: false },
  ];
}

/**
 * Every file one node needs, validated once: its netboot configs and installer files (served by the
 * provisioning server) and its first-boot files (written on the node). Files holding a secret are
 * marked `secret: true` and have owner-only modes.
 */
export function renderNodeFiles(node: NodeInput, site: SiteInput, options: RenderOptions = {}): RenderedFile[] {
  const c = resolveNodeConfig(node, site, options);
  const mac = dashedMac(c.bootMac);
  const dir = installerDir(c.hostname);
  const files: RenderedFile[] = [
    { scope: 'netboot', path: `grub/grub.cfg-01-${mac}`, mode: 0o644, content: grubFor(c), secret: false },
    { scope: 'netboot', path: `ipxe/${mac}.ipxe`, mode: 0o644, content: ipxeFor(c), secret: false },
  ];
  if (c.settings.family === 'ubuntu') {
    files.push(
      { scope: 'netboot', path: `${dir}/user-data`, mode: 0o600, content: autoinstallFor(c), secret: true },
      { scope: 'netboot', path: `${dir}/meta-data`, mode: 0o644, content: metaDataFor(c), secret: false },
    );
  } else {
    files.push({ scope: 'netboot', path: `${dir}/preseed.cfg`, mode: 0o600, content: preseedFor(c), secret: true });
  }
  files.push(
    { scope: 'node', path: '/etc/hostname', mode: 0o644, content: hostnameFor(c), secret: false },
    { scope: 'node', path: '/etc/hosts', mode: 0o644, content: hostsFor(c), secret: false },
    // netplan warns about (and newer versions refuse) world-readable configs.
    { scope: 'node', path: '/etc/netplan/60-fleet.yaml', mode: 0o600, content: netplanFor(c), secret: false },
    { scope: 'node', path: '/etc/apt/sources.list.d/fleet.sources', mode: 0o644, content: aptSourcesFor(c), secret: false },
  );
  const proxy = aptProxyFor(c);
  if (proxy !== undefined) {
    files.push({ scope: 'node', path: '/etc/apt/apt.conf.d/90fleet-proxy', mode: 0o644, content: proxy, secret: false });
  }
  files.push(
    { scope: 'node', path: '/etc/ssh/sshd_config.d/60-fleet.conf', mode: 0o644, content: sshdFor(c), secret: false },
    {
      scope: 'node',
      path: `/home/${c.admin.user}/.ssh/authorized_keys`,
      mode: 0o600,
      content: authorizedKeysFor(c),
      secret: false,
    },
    { scope: 'node', path: '/etc/consul.d/fleet.json', mode: 0o640, content: consulFor(c), secret: true },
    { scope: 'node', path: '/etc/bird/bird.conf', mode: 0o640, content: birdFor(c), secret: false },
  );
  const bmc = bmcFor(c);
  if (bmc !== undefined) {
    files.push({ scope: 'node', path: '/etc/fleet/bmc.json', mode: 0o600, content: bmc, secret: true });
  }
  return files;
}
