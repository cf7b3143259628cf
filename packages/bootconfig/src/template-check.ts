import { BootconfigInputError } from './errors.js';
import type { SiteInput, TemplateCatalog } from './input.js';
import {
  checkArray,
  checkIdentifier,
  checkKernelArgs,
  checkObject,
  checkPackageName,
  checkTimezone,
  checkUrl,
} from './validate.js';

const KEYS = new Set(['distro', 'kernelArgs', 'mirror', 'securityMirror', 'proxy', 'extraPackages', 'timezone']);

/** One layer of template settings, checked with the rules `resolveNodeConfig` applies to what it selects. */
function checkLayer(value: unknown, field: string): void {
  const layer = checkObject(value, field);
  for (const key of Object.keys(layer)) {
    if (!KEYS.has(key)) {
      throw new BootconfigInputError(`${field}.${key}`, `${field}.${key} is not a template setting (${[...KEYS].join(', ')})`);
    }
  }
  if (layer.distro !== undefined) {
    const distro = checkObject(layer.distro, `${field}.distro`);
    if (distro.family !== 'debian' && distro.family !== 'ubuntu') {
      throw new BootconfigInputError(`${field}.distro.family`, `${field}.distro.family must be debian or ubuntu`);
    }
    checkIdentifier(distro.suite, `${field}.distro.suite`);
  }
  if (layer.kernelArgs !== undefined) checkKernelArgs(layer.kernelArgs, `${field}.kernelArgs`);
  for (const key of ['mirror', 'securityMirror'] as const) {
    if (layer[key] !== undefined) checkUrl(layer[key], `${field}.${key}`);
  }
  if (layer.proxy !== undefined && layer.proxy !== null) checkUrl(layer.proxy, `${field}.proxy`);
  if (layer.extraPackages !== undefined) {
    for (const [i, p] of checkArray(layer.extraPackages, `${field}.extraPackages`, 0, 200).entries()) {
      checkPackageName(p, `${field}.extraPackages[${i}]`);
    }
  }
  if (layer.timezone !== undefined) checkTimezone(layer.timezone, `${field}.timezone`);
}

/**
 * Checks every template value a site (or a catalog) carries — mirrors, proxy, packages, kernel
 * arguments, time zone, distro — with the renderers' rules, so a bad value (`http:///debian`) is found
 * when the configuration is loaded, not when a node of that role first renders. Throws
 * BOOTCONFIG_INVALID_INPUT naming the key (`site.templates.roles.storage.mirror`).
 */
export function checkSiteTemplates(site: Pick<SiteInput, 'templates'>, field = 'site.templates'): void {
  if (site.templates === undefined) return;
  const catalog = checkObject(site.templates, field) as TemplateCatalog;
  if (catalog.default !== undefined) checkLayer(catalog.default, `${field}.default`);
  if (catalog.roles !== undefined) {
    for (const [role, layer] of Object.entries(checkObject(catalog.roles, `${field}.roles`))) {
      checkIdentifier(role, `${field}.roles.${role}`);
      checkLayer(layer, `${field}.roles.${role}`);
    }
  }
}
