import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  type NodeInput,
  type RenderedFile,
  type SiteInput,
  isBootconfigError,
  renderAutoinstallUserData,
  renderNodeFiles,
} from '../src/index.js';
import { checkAutoinstallSection } from './autoinstall-schema.js';
import { makeNode, makeSite } from './fixture.js';

// Two promises, checked with generated inputs:
// 1. anything the validators accept renders files with the same structure as the reference node;
// 2. a hostile character anywhere in a rendered field is refused with BOOTCONFIG_INVALID_INPUT.

const RUNS = { numRuns: 60 };

// ---- valid inputs ---------------------------------------------------------------------------------

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const ident = fc.stringMatching(/^[a-z][a-z0-9_-]{0,12}$/);
const octet = fc.integer({ min: 0, max: 255 });
const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const kernelArg = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.,:/=+@-]{0,20}$/);
const urlPath = fc.stringMatching(/^(?:\/[A-Za-z0-9_~%+=,-][A-Za-z0-9._~%+=,-]{0,8}){0,3}$/);
const url = fc
  .tuple(fc.constantFrom('http', 'https'), label, label, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), urlPath)
  .map(([scheme, host, domain, port, path]) => `${scheme}://${host}.${domain}.lab${port === undefined ? '' : `:${port}`}${path}`);
const hex2 = fc.integer({ min: 0, max: 255 }).map((n) => n.toString(16).padStart(2, '0'));
const mac = fc.array(hex2, { minLength: 6, maxLength: 6 }).map((p) => p.join(':'));
const diskId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:+@-]{0,30}$/).filter((s) => !s.includes('..'));
// A /31 transfer net: the node takes the odd address, the ToR the even one.
const transfer = (first: number) =>
  fc.tuple(octet, octet, fc.integer({ min: 0, max: 127 })).map(([a, b, c]) => ({
    ipv4: `${first}.${a}.${b}.${c * 2 + 1}/31`,
    peerIpv4: `${first}.${a}.${b}.${c * 2}`,
  }));
const token = fc.stringMatching(/^[A-Za-z0-9._~-]{16,40}$/);
const password = fc.stringMatching(/^[\x21-\x7e]{8,30}$/).filter((p) => !/["'`\\]/.test(p));

const validCase = fc.record({
  hostname: label,
  rackIndex: fc.integer({ min: 0, max: 50 }),
  rack: ident,
  bootMac: mac,
  disk: diskId,
  mgmt: fc.tuple(octet, octet, fc.integer({ min: 2, max: 200 })),
  fab0: transfer(198),
  fab1: transfer(199),
  loopback: v4,
  kernelArgs: fc.array(kernelArg, { minLength: 0, maxLength: 5 }),
  mirror: url,
  proxy: url,
  machineDb: url,
  token,
  password,
  domain: fc.tuple(label, label).map(([a, b]) => `${a}.${b}.lab`),
  suite: ident,
  timezone: fc.constantFrom('Etc/UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires'),
});

type ValidCase = typeof validCase extends fc.Arbitrary<infer T> ? T : never;

function build(v: ValidCase): { node: NodeInput; site: SiteInput } {
  const base = makeNode();
  const site = makeSite({
    domain: v.domain,
    machineDbUrl: v.machineDb,
    asnScheme: { sites: { fra1: { nodeBase: 4_200_001_000, torBase: 4_200_002_000, racks: { [v.rack]: v.rackIndex } } } },
  });
  site.templates = { default: { mirror: v.mirror, proxy: v.proxy, timezone: v.timezone, distro: { family: 'debian', suite: v.suite } } };
  const [a, b, c] = v.mgmt;
  const node = makeNode({
    hostname: v.hostname,
    rack: v.rack,
    bootMac: v.bootMac,
    systemDisk: `/dev/disk/by-id/${v.disk}`,
    management: { ...base.management, address: `10.${a}.${b}.${c}/24`, gateway: `10.${a}.${b}.1`, nameservers: [`10.${a}.${b}.${c + 1}`, `10.${a}.${b}.${c + 2}`] },
    fabric: [
      { ...base.fabric[0]!, ...v.fab0 },
      { ...base.fabric[1]!, ...v.fab1 },
    ],
    loopback: { ...base.loopback, ipv4: v.loopback },
    installToken: v.token,
    bmc: { ...base.bmc!, password: v.password },
    settings: { kernelArgs: v.kernelArgs },
  });
  return { node, site };
}

/** The structure of a file: what a reader would see, with the values blanked out. */
function skeleton(file: RenderedFile): unknown {
  const { path, content } = file;
  if (path.endsWith('.yaml') || path.endsWith('user-data') || path.endsWith('meta-data')) return shapeOf(parseYaml(content));
  if (path.endsWith('.json')) return shapeOf(JSON.parse(content));
  if (path === '/etc/hostname' || path === '/etc/hosts') return content.split('\n').map((l) => l.split(/\s+/).length);
  if (path.endsWith('authorized_keys')) return content.split('\n').map((l) => l.split(' ').length);
  if (path.endsWith('preseed.cfg')) {
    // The mirror protocol legitimately picks the key (mirror/http/… or mirror/https/…).
    return content
      .split('\n')
      .map((l) => (l.startsWith('#') ? '#' : l.split(' ').slice(0, 3).join(' ').replace('mirror/https/', 'mirror/http/')));
  }
  // GRUB, iPXE, bird, sshd, apt, hosts: the first word of every line and the brace balance.
  return content.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '#' : `${t.split(/\s+/)[0]} ${(t.match(/[{}]/g) ?? []).join('')}`;
  });
}

function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shapeOf);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shapeOf(v)]));
  }
  return typeof value;
}

describe('property: accepted inputs never change file structure', () => {
  const reference = renderNodeFiles(makeNode({ settings: { kernelArgs: [] } }), makeSite());

  it('every file keeps the reference skeleton', () => {
    fc.assert(
      fc.property(validCase, (v) => {
        const { node, site } = build(v);
        const files = renderNodeFiles(node, site);
        const normalise = (path: string, mac: string): string => path.replace(mac.replaceAll(':', '-'), 'M');
        expect(files.map((f) => normalise(f.path, node.bootMac))).toEqual(
          reference.map((f) => normalise(f.path, '3c:ec:ef:12:34:56')),
        );
        for (const [i, file] of files.entries()) {
          expect(skeleton(file), file.path).toEqual(skeleton(reference[i]!));
        }
        // Kernel arguments stay one token each: the install entry has exactly as many words as expected.
        const grub = files[0]!.content.split('\n').filter((l) => l.trim().startsWith('linux '));
        const refGrub = reference[0]!.content.split('\n').filter((l) => l.trim().startsWith('linux '));
        grub.forEach((line, i) => {
          expect(line.trim().split(/\s+/).length).toBe(refGrub[i]!.trim().split(/\s+/).length + v.kernelArgs.length);
        });
      }),
      RUNS,
    );
  });

  it('user-data stays schema-valid for every accepted input', () => {
    fc.assert(
      fc.property(validCase, (v) => {
        const { node, site } = build(v);
        const doc = parseYaml(renderAutoinstallUserData(node, site)) as { autoinstall: { identity: { hostname: unknown } } };
        expect(checkAutoinstallSection(doc.autoinstall)).toEqual([]);
        // A numeric-looking host name must still come back as a string (YAML 1.1 readers included).
        expect(doc.autoinstall.identity.hostname).toBe(v.hostname);
      }),
      RUNS,
    );
  });
});

// ---- hostile inputs -------------------------------------------------------------------------------

const HOSTILE = ['\n', '\r', '"', "'", ';', '$(', '`', ' ', '{', '}', '#', '\\', '${', '||', '&&', '\t', '\u0000', '\u2028'];

type Mutator = { field: string; apply: (node: NodeInput, site: SiteInput, evil: (valid: string) => string) => void };

const targets: Mutator[] = [
  {
    field: 'node.nodeId',
    apply: (n, _s, e) => {
      n.nodeId = e('cmp-0101');
    },
  },
  { field: 'node.hostname', apply: (n, _s, e) => {
    n.hostname = e(n.hostname);
  } },
  { field: 'node.role', apply: (n, _s, e) => {
    n.role = e(n.role);
  } },
  { field: 'node.rack', apply: (n, _s, e) => {
    n.rack = e(n.rack);
  } },
  { field: 'node.bootMac', apply: (n, _s, e) => {
    n.bootMac = e(n.bootMac);
  } },
  { field: 'node.systemDisk', apply: (n, _s, e) => {
    n.systemDisk = e(n.systemDisk);
  } },
  { field: 'node.management.interface', apply: (n, _s, e) => {
    n.management.interface = e(n.management.interface);
  } },
  { field: 'node.management.address', apply: (n, _s, e) => {
    n.management.address = e(n.management.address);
  } },
  { field: 'node.management.nameservers[0]', apply: (n, _s, e) => {
    n.management.nameservers[0] = e(n.management.nameservers[0]!);
  } },
  { field: 'node.fabric[1].peerIpv4', apply: (n, _s, e) => {
    n.fabric[1]!.peerIpv4 = e(n.fabric[1]!.peerIpv4);
  } },
  { field: 'node.fabric[0].ipv6', apply: (n, _s, e) => {
    n.fabric[0]!.ipv6 = e(n.fabric[0]!.ipv6!);
  } },
  { field: 'node.loopback.ipv4', apply: (n, _s, e) => {
    n.loopback.ipv4 = e(n.loopback.ipv4);
  } },
  { field: 'node.serviceAddresses[0]', apply: (n, _s, e) => {
    n.serviceAddresses![0] = e(n.serviceAddresses![0]!);
  } },
  { field: 'node.sshKeys[0]', apply: (n, _s, e) => {
    n.sshKeys![0] = e(n.sshKeys![0]!);
  } },
  { field: 'node.installToken', apply: (n, _s, e) => {
    n.installToken = e(n.installToken);
  } },
  { field: 'node.bmc.username', apply: (n, _s, e) => {
    n.bmc!.username = e(n.bmc!.username);
  } },
  { field: 'node.kernelArgs[0]', apply: (n, _s, e) => {
    n.settings = { kernelArgs: [e('console=tty0')] };
  } },
  { field: 'node.mirror', apply: (n, _s, e) => {
    n.settings = { mirror: e('http://mirror.lab/debian') };
  } },
  { field: 'node.proxy', apply: (n, _s, e) => {
    n.settings = { proxy: e('http://proxy.lab:3128') };
  } },
  { field: 'node.extraPackages[0]', apply: (n, _s, e) => {
    n.settings = { extraPackages: [e('htop')] };
  } },
  { field: 'node.timezone', apply: (n, _s, e) => {
    n.settings = { timezone: e('Etc/UTC') };
  } },
  { field: 'node.suite', apply: (n, _s, e) => {
    n.settings = { distro: { family: 'debian', suite: e('bookworm') } };
  } },
  { field: 'site.domain', apply: (_n, s, e) => {
    s.domain = e(s.domain);
  } },
  { field: 'site.machineDbUrl', apply: (_n, s, e) => {
    s.machineDbUrl = e(s.machineDbUrl);
  } },
  { field: 'site.netboot.baseUrl', apply: (_n, s, e) => {
    s.netboot.baseUrl = e(s.netboot.baseUrl);
  } },
  { field: 'site.netboot.live.kernel', apply: (_n, s, e) => {
    s.netboot.live.kernel = e(s.netboot.live.kernel);
  } },
  { field: 'site.admin.user', apply: (_n, s, e) => {
    s.admin.user = e(s.admin.user);
  } },
  { field: 'site.consul.retryJoin[1]', apply: (_n, s, e) => {
    s.consul.retryJoin[1] = e(s.consul.retryJoin[1]!);
  } },
  { field: 'site.consul.datacenter', apply: (_n, s, e) => {
    s.consul.datacenter = e(s.consul.datacenter);
  } },
];

describe('property: hostile strings are refused with BOOTCONFIG_INVALID_INPUT', () => {
  it.each(targets.map((t) => [t.field, t] as const))('%s', (_name, target) => {
    fc.assert(
      fc.property(fc.constantFrom(...HOSTILE), fc.nat(), fc.string({ maxLength: 6 }), (bad, at, tail) => {
        const node = makeNode();
        const site = makeSite();
        target.apply(node, site, (valid) => {
          const pos = at % (valid.length + 1);
          return `${valid.slice(0, pos)}${bad}${tail}${valid.slice(pos)}`;
        });
        let thrown: unknown;
        try {
          renderNodeFiles(node, site);
        } catch (error) {
          thrown = error;
        }
        expect(isBootconfigError(thrown), `${target.field} with ${JSON.stringify(bad)}`).toBe(true);
        expect((thrown as { code: string }).code).toBe('BOOTCONFIG_INVALID_INPUT');
        expect((thrown as Error).message.length).toBeGreaterThan(10);
      }),
      { numRuns: 30 },
    );
  });
});
