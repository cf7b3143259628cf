export {
  type AsnAssignment,
  type AsnLocation,
  type AsnPolicy,
  createAsnPolicy,
  isPrivateAsn,
  PRIVATE_ASN_RANGES,
} from './asn.js';
export {
  BOOTCONFIG_ERROR_CODES,
  BootconfigError,
  type BootconfigErrorCode,
  BootconfigInputError,
  isBootconfigError,
} from './errors.js';
export type {
  AsnSchemeInput,
  BmcInput,
  BootTarget,
  DistroFamily,
  DistroInput,
  FabricLinkInput,
  Firmware,
  LoopbackInput,
  ManagementInput,
  NetbootImageInput,
  NodeInput,
  RenderedFile,
  SiteInput,
  TemplateCatalog,
  TemplateSettings,
} from './input.js';
export { type ParsedCidr, type ParsedIp, validateCidr, validateIp } from './ip.js';
export {
  renderAptSources,
  renderAuthorizedKeys,
  renderAutoinstallMetaData,
  renderAutoinstallUserData,
  renderBirdConfig,
  renderConsulConfig,
  renderFallbackFiles,
  renderGrubConfig,
  renderGrubFallback,
  renderHostname,
  renderHosts,
  renderIpxeFallback,
  renderIpxeScript,
  renderNetplan,
  renderNodeFiles,
  renderPreseed,
  renderSshdConfig,
} from './render.js';
export {
  type RenderOptions,
  type ResolvedFabricLink,
  type ResolvedImage,
  type ResolvedNodeConfig,
  type ResolvedSite,
  resolveNodeConfig,
  resolveSite,
} from './resolve.js';
export {
  BUILTIN_SETTINGS,
  type SelectedSettings,
  type SettingSource,
  selectTemplateSettings,
} from './templates.js';
