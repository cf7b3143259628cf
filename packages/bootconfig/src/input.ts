/** The input types of @fleet/bootconfig: deliberately its own, so it never depends on the MachineDB contract. */

export type BootTarget = 'live' | 'install' | 'local';
export type Firmware = 'uefi' | 'bios';
export type DistroFamily = 'debian' | 'ubuntu';

export interface DistroInput {
  family: DistroFamily;
  /** Release code name: `bookworm`, `trixie`, `noble` … */
  suite: string;
}

/**
 * Settings chosen per node like NetBox's render-config: node → role → default, where the site can
 * override the fleet-wide role and default entries. Lists replace, they never merge.
 */
export interface TemplateSettings {
  distro?: DistroInput;
  /** Extra kernel arguments for the installed system and the installer, one argument per entry. */
  kernelArgs?: string[];
  /** Package mirror base URL (`http://mirror.lab/debian`). */
  mirror?: string;
  /** Security updates mirror; defaults to the distro's usual path on `mirror`. */
  securityMirror?: string;
  /** HTTP proxy for apt and the installer; `null` means none. */
  proxy?: string | null;
  extraPackages?: string[];
  timezone?: string;
}

/** Fleet-wide template defaults; a site's `templates` override these entry by entry. */
export interface TemplateCatalog {
  default?: TemplateSettings;
  roles?: Record<string, TemplateSettings>;
}

export interface ManagementInput {
  interface: string;
  mac: string;
  /** Interface address with prefix length: `10.20.0.15/24`. */
  address: string;
  gateway: string;
  nameservers: string[];
  /** DNS search domains; default: the site domain. */
  search?: string[];
  /**
   * NTP servers (addresses, up to 4). When given: the Debian installer sets the clock from the first, the
   * autoinstall user-data hands all of them to the installed system (cloud-init `ntp`), and the node files
   * include a chrony source file and a systemd-timesyncd drop-in naming all of them.
   */
  ntpServers?: string[];
}

/** One point-to-point transfer net to a top-of-rack switch. */
export interface FabricLinkInput {
  interface: string;
  mac?: string;
  /** The node's address on the transfer net: `198.18.10.1/31`. */
  ipv4: string;
  peerIpv4: string;
  ipv6?: string;
  peerIpv6?: string;
  /** ASN of the switch; default: the ASN policy's ToR ASN for the node's rack. */
  peerAsn?: number;
  /** Default 9000 (jumbo frames on the fabric). */
  mtu?: number;
}

export interface LoopbackInput {
  /** Loopback address announced over BGP, without prefix length (rendered as /32). */
  ipv4: string;
  /** Rendered as /128. */
  ipv6?: string;
}

export interface BmcInput {
  address: string;
  username: string;
  /** Secret: rendered only into the BMC file (mode 0600). */
  password: string;
}

export interface NodeInput {
  /** The MachineDB's id of the node (`[a-z0-9][a-z0-9_-]{0,63}`); default: the host name. */
  nodeId?: string;
  hostname: string;
  role: string;
  site: string;
  rack: string;
  /** MAC of the NIC the node netboots from; names the per-node GRUB/iPXE files. */
  bootMac: string;
  firmware: Firmware;
  bootTarget: BootTarget;
  /** The chosen system disk by stable path: `/dev/disk/by-id/…`. */
  systemDisk: string;
  management: ManagementInput;
  fabric: FabricLinkInput[];
  loopback: LoopbackInput;
  /** Anycast/service prefixes the node may announce besides its loopback (`198.19.5.10/32`). */
  serviceAddresses?: string[];
  /** Keys for the admin user in addition to the site's. */
  sshKeys?: string[];
  /** Token the installer presents when it reports "installed" to the MachineDB (a secret). */
  installToken: string;
  bmc?: BmcInput;
  settings?: TemplateSettings;
}

export interface NetbootImageInput {
  /**
   * Kernel and initrd paths under `site.netboot.baseUrl`: iPXE loads `baseUrl + path`; GRUB loads
   * `(its root) + basePath + path`, its root being the HTTP server it was netbooted from (the same host).
   */
  kernel: string;
  initrd: string;
}

export interface AsnSchemeInput {
  /** Per site: the ASN of rack index 0 for nodes, and (optional) for the ToR switches. */
  sites: Record<string, { nodeBase: number; torBase?: number; racks: Record<string, number> }>;
  /** Roles with a fixed ASN whatever their location (anycast load balancers …). */
  roles?: Record<string, number>;
}

export interface SiteInput {
  name: string;
  /** DNS domain of the site's nodes: `fra1.example.net`. */
  domain: string;
  netboot: {
    /** HTTP base URL that serves kernels, initrds and the per-node installer files. */
    baseUrl: string;
    live: NetbootImageInput & { args?: string[] };
    installers: Partial<Record<DistroFamily, NetbootImageInput>>;
  };
  /** Base URL of the MachineDB server (`http://host:port`); the installer reports to its `/api/v1/…` routes. */
  machineDbUrl: string;
  admin: { user: string; passwordHash?: string; sshKeys: string[] };
  consul: { datacenter: string; retryJoin: string[]; encryptKey: string };
  asnScheme: AsnSchemeInput;
  templates?: TemplateCatalog;
  /** Label of the firmware boot entry for netboot, used when no entry names the boot MAC. */
  netbootEntryLabel?: string;
}

/** One rendered file. */
export interface RenderedFile {
  /** `netboot`: served by the provisioning server (relative path); `node`: written on the node (absolute). */
  scope: 'netboot' | 'node';
  path: string;
  /** Octal permission bits, e.g. 0o644. */
  mode: number;
  content: string;
  /** True when the content holds a secret (token, password, key): serve and store it accordingly. */
  secret: boolean;
  /** The media type to serve it with (`text/plain; charset=utf-8`, `text/cloud-config; charset=utf-8` …). */
  contentType: string;
}
