import { FleetError, FleetErrorOptions } from '@fleet/core';
declare const BOOTCONFIG_ERROR_CODES: readonly ["BOOTCONFIG_INVALID_INPUT", "BOOTCONFIG_ASN_OUT_OF_RANGE", "BOOTCONFIG_ASN_COLLISION", "BOOTCONFIG_ASN_UNKNOWN_LOCATION"];
type BootconfigErrorCode = (typeof BOOTCONFIG_ERROR_CODES)[number];
declare class BootconfigError extends FleetError {
    name: string;
    readonly code: BootconfigErrorCode;
    constructor(code: BootconfigErrorCode, message: string, options?: FleetErrorOptions);
}
declare class BootconfigInputError extends BootconfigError {
    name: "BootconfigInputError";
    readonly field: string;
    constructor(field: string, message: string, options?: FleetErrorOptions);
}
declare function isBootconfigError(value: unknown): value is BootconfigError;
type BootTarget = 'live' | 'install' | 'local';
type Firmware = 'uefi' | 'bios';
type DistroFamily = 'debian' | 'ubuntu';
interface DistroInput {
    family: DistroFamily;
    suite: string;
}
interface TemplateSettings {
    distro?: DistroInput;
    kernelArgs?: string[];
    mirror?: string;
    securityMirror?: string;
    proxy?: string | null;
    extraPackages?: string[];
    timezone?: string;
}
interface TemplateCatalog {
    default?: TemplateSettings;
    roles?: Record<string, TemplateSettings>;
}
interface ManagementInput {
    interface: string;
    mac: string;
    address: string;
    gateway: string;
    nameservers: string[];
    search?: string[];
    ntpServers?: string[];
}
interface FabricLinkInput {
    interface: string;
    mac?: string;
    ipv4: string;
    peerIpv4: string;
    ipv6?: string;
    peerIpv6?: string;
    peerAsn?: number;
    mtu?: number;
}
interface LoopbackInput {
    ipv4: string;
    ipv6?: string;
}
interface BmcInput {
    address: string;
    username: string;
    password: string;
}
interface NodeInput {
    nodeId?: string;
    hostname: string;
    role: string;
    site: string;
    rack: string;
    bootMac: string;
    firmware: Firmware;
    bootTarget: BootTarget;
    systemDisk: string;
    management: ManagementInput;
    fabric: FabricLinkInput[];
    loopback: LoopbackInput;
    serviceAddresses?: string[];
    sshKeys?: string[];
    installToken: string;
    bmc?: BmcInput;
    settings?: TemplateSettings;
}
interface NetbootImageInput {
    kernel: string;
    initrd: string;
}
interface AsnSchemeInput {
    sites: Record<string, {
        nodeBase: number;
        torBase?: number;
        racks: Record<string, number>;
    }>;
    roles?: Record<string, number>;
}
interface SiteInput {
    name: string;
    domain: string;
    netboot: {
        baseUrl: string;
        live: NetbootImageInput & {
            args?: string[];
        };
        installers: Partial<Record<DistroFamily, NetbootImageInput>>;
    };
    machineDbUrl: string;
    admin: {
        user: string;
        passwordHash?: string;
        sshKeys: string[];
    };
    consul: {
        datacenter: string;
        retryJoin: string[];
        encryptKey: string;
    };
    asnScheme: AsnSchemeInput;
    templates?: TemplateCatalog;
    netbootEntryLabel?: string;
}
interface RenderedFile {
    scope: 'netboot' | 'node';
    path: string;
    mode: number;
    content: string;
    secret: boolean;
    contentType: string;
}
declare const PRIVATE_ASN_RANGES: readonly [{
    readonly from: 64512;
    readonly to: 65534;
}, {
    readonly from: 4200000000;
    readonly to: 4294967294;
}];
declare function isPrivateAsn(asn: number): boolean;
type AsnAssignment = {
    kind: 'node';
    asn: number;
    site: string;
    rack: string;
} | {
    kind: 'tor';
    asn: number;
    site: string;
    rack: string;
} | {
    kind: 'role';
    asn: number;
    role: string;
};
interface AsnLocation {
    site: string;
    rack: string;
    role?: string;
}
interface AsnPolicy {
    nodeAsn(location: AsnLocation): number;
    torAsn(location: AsnLocation): number | undefined;
    owner(asn: number): AsnAssignment | undefined;
    assignments(): readonly AsnAssignment[];
}
declare function createAsnPolicy(scheme: AsnSchemeInput): AsnPolicy;
type SettingSource = 'node' | 'site-role' | 'catalog-role' | 'site-default' | 'catalog-default' | 'builtin';
interface SelectedSettings {
    distro: DistroInput;
    kernelArgs: readonly string[];
    mirror: string | undefined;
    securityMirror: string | undefined;
    proxy: string | null;
    extraPackages: readonly string[];
    timezone: string;
    sources: Record<keyof TemplateSettings, SettingSource>;
}
declare const BUILTIN_SETTINGS: {
    readonly distro: {
        readonly family: "debian";
        readonly suite: "bookworm";
    };
    readonly kernelArgs: ["console=tty0", "console=ttyS0,115200n8"];
    readonly proxy: null;
    readonly extraPackages: [];
    readonly timezone: "Etc/UTC";
};
declare function selectTemplateSettings(node: Pick<NodeInput, 'role' | 'settings'>, site: Pick<SiteInput, 'templates'>, catalog?: TemplateCatalog): SelectedSettings;
interface ParsedIp {
    family: 4 | 6;
    address: string;
    bytes: readonly number[];
}
interface ParsedCidr extends ParsedIp {
    prefixLength: number;
    cidr: string;
}
declare function validateIp(value: unknown, field: string, family?: 4 | 6): ParsedIp;
declare function validateCidr(value: unknown, field: string, options: {
    kind: 'prefix' | 'interface';
    family?: 4 | 6;
}): ParsedCidr;
interface ResolvedFabricLink {
    interface: string;
    mac: string | undefined;
    ipv4: ParsedCidr;
    peerIpv4: ParsedIp;
    ipv6: ParsedCidr | undefined;
    peerIpv6: ParsedIp | undefined;
    peerAsn: number;
    mtu: number;
}
interface ResolvedImage {
    kernel: string;
    initrd: string;
}
interface ResolvedNodeConfig {
    nodeId: string;
    hostname: string;
    domain: string;
    fqdn: string;
    role: string;
    site: string;
    rack: string;
    bootMac: string;
    firmware: Firmware;
    bootTarget: BootTarget;
    systemDisk: string;
    management: {
        interface: string;
        mac: string;
        address: ParsedCidr;
        gateway: ParsedIp;
        nameservers: ParsedIp[];
        search: string[];
        ntpServers: ParsedIp[];
    };
    fabric: ResolvedFabricLink[];
    loopbackIpv4: ParsedIp;
    loopbackIpv6: ParsedIp | undefined;
    serviceAddresses: ParsedCidr[];
    asn: number;
    admin: {
        user: string;
        passwordHash: string;
        sshKeys: string[];
    };
    installToken: string;
    bmc: {
        address: ParsedIp;
        username: string;
        password: string;
    } | undefined;
    settings: {
        family: DistroFamily;
        suite: string;
        kernelArgs: string[];
        mirror: string;
        securityMirror: string;
        proxy: string | null;
        extraPackages: string[];
        timezone: string;
        sources: SelectedSettings['sources'];
    };
    netboot: {
        baseUrl: string;
        basePath: string;
        live: ResolvedImage & {
            args: string[];
        };
        install: ResolvedImage | undefined;
        entryLabel: string;
    };
    machineDbUrl: string;
    consul: {
        datacenter: string;
        retryJoin: string[];
        encryptKey: string;
    };
}
interface RenderOptions {
    catalog?: TemplateCatalog;
    asnPolicy?: AsnPolicy;
}
interface ResolvedSite {
    name: string;
    domain: string;
    netbootBaseUrl: string;
    netbootBasePath: string;
    live: ResolvedImage & {
        args: string[];
    };
    installers: Partial<Record<DistroFamily, ResolvedImage>>;
    machineDbUrl: string;
    admin: {
        user: string;
        passwordHash: string;
        sshKeys: string[];
    };
    consul: {
        datacenter: string;
        retryJoin: string[];
        encryptKey: string;
    };
    asnPolicy: AsnPolicy;
    entryLabel: string;
}
declare function resolveSite(site: SiteInput, options?: RenderOptions): ResolvedSite;
declare function resolveNodeConfig(node: NodeInput, site: SiteInput, options?: RenderOptions): ResolvedNodeConfig;
interface NodeLocationInput {
    rack: string;
    role?: string;
}
declare function checkNodeLocation(site: SiteInput, location: NodeLocationInput, options?: RenderOptions): void;
declare function checkSiteTemplates(site: Pick<SiteInput, 'templates'>, field?: string): void;
type Renderer = (node: NodeInput, site: SiteInput, options?: RenderOptions) => string;
declare const renderGrubConfig: Renderer;
declare const renderIpxeScript: Renderer;
declare const renderPreseed: Renderer;
declare const renderAutoinstallUserData: Renderer;
declare const renderAutoinstallMetaData: Renderer;
declare const renderNetplan: Renderer;
declare const renderHostname: Renderer;
declare const renderHosts: Renderer;
declare const renderAptSources: Renderer;
declare const renderSshdConfig: Renderer;
declare const renderAuthorizedKeys: Renderer;
declare const renderConsulConfig: Renderer;
declare const renderBirdConfig: Renderer;
declare function renderGrubFallback(site: SiteInput, options?: RenderOptions): string;
declare function renderIpxeFallback(site: SiteInput, options?: RenderOptions): string;
declare function renderFallbackFiles(site: SiteInput, options?: RenderOptions): RenderedFile[];
declare function renderNodeFiles(node: NodeInput, site: SiteInput, options?: RenderOptions): RenderedFile[];
export { type AsnAssignment, type AsnLocation, type AsnPolicy, type AsnSchemeInput, BOOTCONFIG_ERROR_CODES, BUILTIN_SETTINGS, type BmcInput, type BootTarget, BootconfigError, type BootconfigErrorCode, BootconfigInputError, type DistroFamily, type DistroInput, type FabricLinkInput, type Firmware, type LoopbackInput, type ManagementInput, type NetbootImageInput, type NodeInput, type NodeLocationInput, PRIVATE_ASN_RANGES, type ParsedCidr, type ParsedIp, type RenderOptions, type RenderedFile, type ResolvedFabricLink, type ResolvedImage, type ResolvedNodeConfig, type ResolvedSite, type SelectedSettings, type SettingSource, type SiteInput, type TemplateCatalog, type TemplateSettings, checkNodeLocation, checkSiteTemplates, createAsnPolicy, isBootconfigError, isPrivateAsn, renderAptSources, renderAuthorizedKeys, renderAutoinstallMetaData, renderAutoinstallUserData, renderBirdConfig, renderConsulConfig, renderFallbackFiles, renderGrubConfig, renderGrubFallback, renderHostname, renderHosts, renderIpxeFallback, renderIpxeScript, renderNetplan, renderNodeFiles, renderPreseed, renderSshdConfig, resolveNodeConfig, resolveSite, selectTemplateSettings, validateCidr, validateIp };
