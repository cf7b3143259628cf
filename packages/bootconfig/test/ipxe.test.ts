import { describe, expect, it } from 'vitest';
import { renderIpxeFallback, renderIpxeScript } from '../src/index.js';
import { makeSite, sampleNodes } from './fixture.js';

// No iPXE script checker exists in Debian: check the grammar we use ourselves. Every line is a comment,
// a label, or one of the commands below; no `${…}` expansion, `||`/`&&` only in the BIOS sanboot line,
// every `goto` names a label that exists.
const COMMANDS = new Set(['goto', 'echo', 'kernel', 'initrd', 'boot', 'exit', 'sanboot']);

function checkIpxe(script: string): string[] {
  const problems: string[] = [];
  const lines = script.split('\n').filter((l) => l !== '');
  if (lines[0] !== '#!ipxe') problems.push('missing #!ipxe');
  const labels = new Set(lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1)));
  for (const line of lines.slice(1)) {
    if (line.startsWith('#') || /^:[a-z]+$/.test(line)) continue;
    const [command, ...args] = line.split(' ');
    if (!COMMANDS.has(command!)) problems.push(`unknown command: ${line}`);
    if (line.includes('${')) problems.push(`expansion: ${line}`);
    if (/\|\||&&/.test(line) && !line.startsWith('sanboot ')) problems.push(`operator: ${line}`);
    if (command === 'goto' && !labels.has(args[0] ?? '')) problems.push(`goto to a missing label: ${line}`);
  }
  return problems;
}

describe('iPXE scripts', () => {
  it('use only the grammar we check, for every node, firmware and target', () => {
    for (const { node } of sampleNodes()) {
      for (const firmware of ['uefi', 'bios'] as const) {
        for (const bootTarget of ['live', 'install', 'local'] as const) {
          const script = renderIpxeScript({ ...node, firmware, bootTarget }, makeSite());
          expect(checkIpxe(script)).toEqual([]);
          expect(script).toContain(`goto ${bootTarget}\n`);
        }
      }
    }
    expect(checkIpxe(renderIpxeFallback(makeSite()))).toEqual([]);
  });

  it('the checker catches what it is meant to', () => {
    expect(checkIpxe('#!ipxe\ngoto nowhere\n')).toHaveLength(1);
    expect(checkIpxe('#!ipxe\nkernel http://x/\u0024{net0/mac}\n')).toHaveLength(1);
    expect(checkIpxe('#!ipxe\nchain http://x || shell\n')).toHaveLength(2);
  });
});
