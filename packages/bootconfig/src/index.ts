export {
  BOOTCONFIG_ERROR_CODES,
  type BootconfigErrorCode,
  BootconfigError,
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
export {
  type AsnAssignment,
  type AsnLocation,
  type AsnPolicy,
  PRIVATE_ASN_RANGES,
  createAsnPolicy,
  isPrivateAsn,
} from './asn.js';
export {
  BUILTIN_SETTINGS,
  type SelectedSettings,
  type SettingSource,
  selectTemplateSettings,
} from './templates.js';
export {
  type RenderOptions,
  type ResolvedFabricLink,
  type ResolvedImage,
  type ResolvedNodeConfig,
  type ResolvedSite,
  resolveNodeConfig,
  resolveSite,
} from './resolve.js';
export { checkNodeLocation, type NodeLocationInput } from './location.js';
export { checkSiteTemplates } from './template-check.js';
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
