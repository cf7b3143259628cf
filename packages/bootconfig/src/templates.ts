import type { DistroInput, NodeInput, SiteInput, TemplateCatalog, TemplateSettings } from './input.js';

/** Where a selected setting came from, most specific first. */
export type SettingSource = 'node' | 'site-role' | 'catalog-role' | 'site-default' | 'catalog-default' | 'builtin';

export interface SelectedSettings {
  distro: DistroInput;
  kernelArgs: readonly string[];
  mirror: string | undefined;
  securityMirror: string | undefined;
  proxy: string | null;
  extraPackages: readonly string[];
  timezone: string;
  /** For each key, the layer that supplied it (like NetBox's config-context trail). */
  sources: Record<keyof TemplateSettings, SettingSource>;
}

export const BUILTIN_SETTINGS = {
  distro: { family: 'debian', suite: 'bookworm' },
  kernelArgs: ['console=tty0', 'console=ttyS0,115200n8'],
  proxy: null,
  extraPackages: [],
  timezone: 'Etc/UTC',
} as const satisfies TemplateSettings;

const KEYS = [
  'distro',
  'kernelArgs',
  'mirror',
  'securityMirror',
  'proxy',
  'extraPackages',
  'timezone',
] as const satisfies readonly (keyof TemplateSettings)[];

/**
 * Picks each setting from the most specific layer that sets it:
 * node → site role → catalog role → site default → catalog default → built-in.
 * Values are not validated here; {@link resolveNodeConfig} validates what was selected.
 */
export function selectTemplateSettings(
  node: Pick<NodeInput, 'role' | 'settings'>,
  site: Pick<SiteInput, 'templates'>,
  catalog: TemplateCatalog = {},
): SelectedSettings {
  const layers: [SettingSource, TemplateSettings | undefined][] = [
    ['node', node.settings],
    ['site-role', site.templates?.roles?.[node.role]],
    ['catalog-role', catalog.roles?.[node.role]],
    ['site-default', site.templates?.default],
    ['catalog-default', catalog.default],
    ['builtin', BUILTIN_SETTINGS],
  ];
  const picked: Record<string, unknown> = {};
  const sources = {} as Record<keyof TemplateSettings, SettingSource>;
  for (const key of KEYS) {
    for (const [source, layer] of layers) {
      if (layer !== undefined && Object.hasOwn(layer, key) && layer[key] !== undefined) {
        picked[key] = layer[key];
        sources[key] = source;
        break;
      }
    }
  }
  return {
    distro: picked.distro as DistroInput,
    kernelArgs: picked.kernelArgs as string[],
    mirror: picked.mirror as string | undefined,
    securityMirror: picked.securityMirror as string | undefined,
    proxy: (picked.proxy as string | null | undefined) ?? null,
    extraPackages: picked.extraPackages as string[],
    timezone: picked.timezone as string,
    sources,
  };
}
