import { describe, expect, it } from 'vitest';
import { BUILTIN_SETTINGS, resolveNodeConfig, selectTemplateSettings } from '../src/index.js';
import { makeNode, makeSite } from './fixture.js';

describe('template selection: node → role → default, overridable per site', () => {
  const catalog = {
    default: { timezone: 'Europe/Berlin', kernelArgs: ['console=tty0'] },
    roles: { compute: { kernelArgs: ['console=ttyS0,115200n8', 'hugepages=1024'], timezone: 'Etc/UTC' } },
  };

  it('picks each key from the most specific layer and says where it came from', () => {
    const selected = selectTemplateSettings({ role: 'compute' }, makeSite(), catalog);
    expect(selected.kernelArgs).toEqual(['console=ttyS0,115200n8', 'hugepages=1024']);
    expect(selected.sources.kernelArgs).toBe('catalog-role');
    expect(selected.extraPackages).toEqual(['qemu-system-x86', 'libvirt-daemon-system']);
    expect(selected.sources.extraPackages).toBe('site-role');
    expect(selected.mirror).toBe('http://mirror.fra1.example.net/debian');
    expect(selected.sources.mirror).toBe('site-default');
    expect(selected.sources.timezone).toBe('catalog-role');
    expect(selected.distro).toEqual(BUILTIN_SETTINGS.distro);
    expect(selected.sources.distro).toBe('builtin');
  });

  it('lets the site override a fleet-wide role entry, and the node override everything', () => {
    const site = makeSite();
    site.templates!.roles!.compute!.kernelArgs = ['console=ttyS1'];
    expect(selectTemplateSettings({ role: 'compute' }, site, catalog).kernelArgs).toEqual(['console=ttyS1']);
    const node = { role: 'compute', settings: { kernelArgs: ['quiet'], proxy: null } };
    const selected = selectTemplateSettings(node, site, catalog);
    expect(selected.kernelArgs).toEqual(['quiet']);
    expect(selected.proxy).toBeNull();
    expect(selected.sources.proxy).toBe('node');
  });

  it('falls back to the site default, then the fleet default, then built-ins for an unknown role', () => {
    const selected = selectTemplateSettings({ role: 'gpu' }, makeSite(), catalog);
    expect(selected.kernelArgs).toEqual(['console=tty0']);
    expect(selected.sources.kernelArgs).toBe('catalog-default');
    expect(selected.extraPackages).toEqual([]);
    expect(selected.sources.extraPackages).toBe('builtin');
  });

  it('validates what was selected and names the layer in the error', () => {
    const site = makeSite();
    site.templates!.roles!.compute!.kernelArgs = ['ok', 'rm -rf'];
    expect(() => resolveNodeConfig(makeNode(), site)).toThrow(
      expect.objectContaining({ code: 'BOOTCONFIG_INVALID_INPUT', field: 'site-role.kernelArgs[1]' }),
    );
  });

  it('switches the installer with the distro a role selects', () => {
    const config = resolveNodeConfig(makeNode({ role: 'storage', rack: 'r02' }), makeSite());
    expect(config.settings.family).toBe('ubuntu');
    expect(config.settings.securityMirror).toBe('http://mirror.fra1.example.net/ubuntu');
    expect(config.netboot.install?.kernel).toBe('/ubuntu/noble/vmlinuz');
  });
});
