import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteShellArg, renderRemoteCommand } from '../src/index.js';

export const HOSTILE_ARGS = [
  ';',
  'a; touch /tmp/fleet-pwned',
  '$(id)',
  '`id`',
  "it's",
  "'",
  '"double" "quotes"',
  'line1\nline2',
  '\\',
  '$HOME',
  '*',
  '',
  ' leading and trailing ',
  '--help',
  '|| true',
  '& echo bg',
  'ünïcødé',
  '\t',
];

describe('quoteShellArg', () => {
  it.each([
    ['plain', 'plain'],
    ['/dev/disk/by-id/wwn-0x5000', '/dev/disk/by-id/wwn-0x5000'],
    ['', "''"],
    ["it's", `'it'\\''s'`],
    ['$(x)', `'$(x)'`],
    ['a b', `'a b'`],
  ])('quotes %j as %s', (input, expected) => {
    expect(quoteShellArg(input)).toBe(expected);
  });

  it('refuses NUL, which no program can receive', () => {
    expect(() => quoteShellArg('a\0b')).toThrow(expect.objectContaining({ code: 'EXEC_INVALID_ARGUMENT' }));
  });
});

describe('renderRemoteCommand', () => {
  it('passes every hostile argument through a real POSIX shell unchanged', () => {
    // printf prints each argument followed by NUL, so the split recovers the exact words the program saw.
    const line = renderRemoteCommand('printf', ['%s\\0', ...HOSTILE_ARGS]);
    for (const shell of ['sh', 'bash']) {
      const out = spawnSync(shell, ['-c', line], { encoding: 'utf8' });
      expect(out.status).toBe(0);
      expect(out.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS);
    }
  });

  it('passes env and cwd through env(1) and cd', () => {
    const line = renderRemoteCommand('sh', ['-c', 'printf "%s|%s" "$FLEET_X" "$PWD"'], {
      env: { FLEET_X: "va'l $(id)" },
      cwd: '/tmp',
    });
    const out = spawnSync('sh', ['-c', line], { encoding: 'utf8' });
    expect(out.stdout).toBe("va'l $(id)|/tmp");
  });

  it('refuses bad environment names and empty commands', () => {
    expect(() => renderRemoteCommand('true', [], { env: { 'A;B': '1' } })).toThrow(/environment variable name/);
    expect(() => renderRemoteCommand('', [])).toThrow(/empty/);
  });
});
