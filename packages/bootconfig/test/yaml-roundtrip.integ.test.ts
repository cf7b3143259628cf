import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderAutoinstallMetaData, renderNetplan } from '../src/index.js';
import { toYaml } from '../src/render/yaml.js';
import { makeNode, makeSite } from './fixture.js';

// Every scalar we emit must read back as the same string through a YAML 1.1 reader: PyYAML, which
// cloud-init and the Ubuntu installer use. One python3 run reads a whole batch.
const available = spawnSync('python3', ['-c', 'import yaml']).status === 0;
if (!available && process.env.CI) throw new Error('python3-yaml is missing');

/** Reads every document with one python3 run (a run costs ~1 s on a loaded box). */
function pyyamlAll(texts: readonly string[]): unknown[] {
  const script = 'import yaml,sys,json; print(json.dumps([yaml.safe_load(d) for d in json.load(sys.stdin)], default=repr))';
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(texts), encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  const docs = JSON.parse(r.stdout) as unknown[];
  expect(docs).toHaveLength(texts.length);
  return docs;
}
const pyyaml = (text: string): unknown => pyyamlAll([text])[0];

const TRICKY = ['0x10', '0o7', '0b101', '010', '1e3', '1_000', '1:30', '190:20:30', '2024-01-15', '2024-01-15t10:00:00z',
  'yes', 'no', 'on', 'off', 'y', 'n', 'true', 'False', 'NULL', 'null', '~', '1.5', '.inf', '-1', '+1', '0', '12345', '1e-3', '10.20.0.15', '10.20.0.0/24', '='];

describe.skipIf(!available)('YAML scalars round-trip through PyYAML', () => {
  it('keeps tricky strings strings, as values and as keys', () => {
    const doc = toYaml({ list: TRICKY, map: Object.fromEntries(TRICKY.map((t) => [t, t])) });
    const back = pyyaml(doc) as { list: unknown[]; map: Record<string, unknown> };
    expect(back.list).toEqual(TRICKY);
    expect(back.map).toEqual(Object.fromEntries(TRICKY.map((t) => [t, t])));
  });

  it('keeps generated strings (host-name and digit-led shapes) strings', () => {
    const strings = fc.sample(
      fc.oneof(
        fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/),
        fc.stringMatching(/^[0-9][0-9a-fA-FxXoObBeE._:+-]{0,10}$/),
        fc.string({ maxLength: 12 }),
      ),
      { numRuns: 2000, seed: 17 },
    );
    expect(pyyaml(toYaml({ s: strings })) as { s: string[] }).toEqual({ s: strings });
  });

  it('renders host names like 0x10, 2024-01-15, yes, null into meta-data and netplan as strings', () => {
    const hostnames = ['0x10', '0b101', '2024-01-15', 'yes', 'no', 'on', 'null', '1e3', '010'];
    const docs = pyyamlAll(
      hostnames.flatMap((hostname) => {
        const node = makeNode({ hostname });
        return [renderAutoinstallMetaData(node, makeSite()), renderNetplan(node, makeSite())];
      }),
    );
    hostnames.forEach((hostname, i) => {
      const meta = docs[2 * i] as Record<string, unknown>;
      expect(meta['local-hostname']).toBe(hostname);
      expect(meta['instance-id']).toBe(`fleet-${hostname}`);
      const netplan = docs[2 * i + 1] as { network: { ethernets: Record<string, unknown> } };
      expect(Object.keys(netplan.network.ethernets)).toContain('eno1');
    });
  });
});
