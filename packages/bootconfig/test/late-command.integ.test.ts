import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderPreseed, resolveNodeConfig } from '../src/index.js';
import { EARLY_STARTED_REASON, LATE_STARTED_REASON, earlyCommandFor, lateScriptFor } from '../src/render/late-command.js';
import { INSTALL_TOKEN, makeNode, makeSite } from './fixture.js';

// The late command runs for real under /bin/sh against a stand-in efibootmgr and curl that record what
// they were asked to do. The listings mimic efibootmgr 17/18 output from real machines.

const FAKE_EFIBOOTMGR = `#!/bin/sh
if [ "$1" = "-q" ] && [ "$2" = "-o" ]; then printf '%s\\n' "$3" > "$FAKE_DIR/new-order"; exit 0; fi
if [ "$1" = "-v" ]; then cat "$FAKE_DIR/listing"; exit 0; fi
sed 's/\\t.*//' "$FAKE_DIR/listing"
`;
const FAKE_CURL = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_DIR/curl-args"
printf '%s\\n' "$*" >> "$FAKE_DIR/calls"
`;
// d-i has GNU wget and no curl: the early command's wget, failing when FAKE_FAIL is set.
const FAKE_WGET = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_DIR/wget-args"
printf '%s\\n' "$*" >> "$FAKE_DIR/calls"
[ -z "\${FAKE_FAIL:-}" ]
`;

describe('late command', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bootconfig-late-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'efi'));
    for (const [name, body] of [['efibootmgr', FAKE_EFIBOOTMGR], ['curl', FAKE_CURL], ['wget', FAKE_WGET]] as const) {
      writeFileSync(join(dir, 'bin', name), body);
      chmodSync(join(dir, 'bin', name), 0o755);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function runLate(listing: string, efi = true): { code: number; stderr: string; order?: string; curl: string[] } {
    writeFileSync(join(dir, 'listing'), listing);
    const script = join(dir, 'late.sh');
    writeFileSync(script, lateScriptFor(resolveNodeConfig(makeNode(), makeSite()), { writeAuthorizedKeys: false }));
    const result = spawnSync('/bin/sh', [script], {
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        PATH: `${join(dir, 'bin')}:/usr/bin:/bin`,
        FAKE_DIR: dir,
        FLEET_EFI_DIR: efi ? join(dir, 'efi') : join(dir, 'no-efi'),
      },
    });
    let order: string | undefined;
    try {
      order = readFileSync(join(dir, 'new-order'), 'utf8').trim();
    } catch {
      order = undefined;
    }
    return { code: result.status ?? -1, stderr: result.stderr, order, curl: readFileSync(join(dir, 'curl-args'), 'utf8').trim().split('\n') };
  }

  const header = 'BootCurrent: 0001\nTimeout: 1 seconds\nBootOrder: 0001,0000,0003,0004\n';

  it('passes sh -n', () => {
    const script = join(dir, 'late.sh');
    writeFileSync(script, lateScriptFor(resolveNodeConfig(makeNode(), makeSite()), { writeAuthorizedKeys: true }));
    expect(spawnSync('/bin/sh', ['-n', script]).status).toBe(0);
  });

  it('finds the PXE entry by the boot MAC in the device path and puts it first', () => {
    const listing = `${header}Boot0000* debian\tHD(1,GPT,0b1e,0x800,0x100000)/File(\\EFI\\debian\\shimx64.efi)
Boot0001* UEFI: PXE IPv4 Intel(R) I350 (eno2)\tPciRoot(0x0)/Pci(0x1c,0x0)/Pci(0x0,0x1)/MAC(3cecef123457,1)/IPv4(0.0.0.0,0,DHCP)
Boot0003* UEFI: PXE IPv4 Intel(R) I350 (eno1)\tPciRoot(0x0)/Pci(0x1c,0x0)/Pci(0x0,0x0)/MAC(3CECEF123456,1)/IPv4(0.0.0.0,0,DHCP)
Boot0004* UEFI: Built-in EFI Shell\tVenMedia(5023b95c-db26-429b-a648-bd47664c8012)
`;
    const result = runLate(listing);
    expect(result.code, result.stderr).toBe(0);
    expect(result.order).toBe('0003,0001,0000,0004');
    expect(result.curl).toContain(`Authorization: Bearer ${INSTALL_TOKEN}`);
    expect(result.curl).toContain('http://198.18.0.10:8080/api/v1/nodes/cmp-0101/events');
    expect(result.curl).toContain('{"type":"install-finished","reason":"firmware=uefi netbootFirst=true"}');
  });

  it('finds the entry by the MAC in its label (efibootmgr 18 style)', () => {
    const listing = `${header}Boot0000* debian\tHD(1,GPT,0b1e,0x800,0x100000)
Boot0004* UEFI PXEv4 (MAC:3CECEF123456)\tPciRoot(0x0)/Pci(0x1c,0x0)
`;
    expect(runLate(listing).order).toBe('0004,0001,0000,0003');
  });

  it('falls back to the entry label when no entry names the MAC', () => {
    const listing = `${header}Boot0000* debian\tHD(1,GPT,0b1e,0x800,0x100000)
Boot0003* fleet-netboot\tPciRoot(0x0)/Pci(0x3,0x0)
Boot0005* fleet-netboot-old\tPciRoot(0x0)/Pci(0x4,0x0)
`;
    expect(runLate(listing).order).toBe('0003,0001,0000,0004');
  });

  it('leaves the boot order alone and reports it when no entry matches', () => {
    const listing = `${header}Boot0000* debian\tHD(1,GPT,0b1e,0x800,0x100000)
Boot0001* UEFI: PXE IPv4 (eno1)\tPciRoot(0x0)/MAC(3cecef999999,1)
`;
    const result = runLate(listing);
    expect(result.code).toBe(0);
    expect(result.order).toBeUndefined();
    expect(result.stderr).toContain('no UEFI boot entry');
    expect(result.curl).toContain('{"type":"install-finished","reason":"firmware=uefi netbootFirst=false"}');
  });

  it('reports install-started before install-finished (a no-op unless the early report was lost)', () => {
    runLate(header, false);
    const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toContain(`{"type":"install-started","reason":"${LATE_STARTED_REASON}"}`);
    expect(calls[1]).toContain('"type":"install-finished"');
  });

  it('on BIOS machines only reports', () => {
    const result = runLate(header, false);
    expect(result.order).toBeUndefined();
    expect(result.curl).toContain('{"type":"install-finished","reason":"firmware=bios netbootFirst=false"}');
  });

  it('travels base64-encoded inside the preseed, byte for byte', () => {
    const preseed = renderPreseed(makeNode(), makeSite());
    const line = preseed.split('\n').find((l) => l.startsWith('d-i preseed/late_command string '))!;
    const encoded = /printf '%s' '([A-Za-z0-9+/=]+)'/.exec(line)?.[1] ?? '';
    expect(Buffer.from(encoded, 'base64').toString('utf8')).toBe(
      lateScriptFor(resolveNodeConfig(makeNode(), makeSite()), { writeAuthorizedKeys: true }),
    );
  });
});

describe('early command', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bootconfig-early-'));
    mkdirSync(join(dir, 'bin'));
    for (const [name, body] of [['curl', FAKE_CURL], ['wget', FAKE_WGET]] as const) {
      writeFileSync(join(dir, 'bin', name), body);
      chmodSync(join(dir, 'bin', name), 0o755);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function runEarly(command: string, fail = false): { code: number; stderr: string } {
    const result = spawnSync('/bin/sh', ['-c', command], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { PATH: `${join(dir, 'bin')}:/usr/bin:/bin`, FAKE_DIR: dir, ...(fail ? { FAKE_FAIL: '1' } : {}) },
    });
    return { code: result.status ?? -1, stderr: result.stderr };
  }

  it('is the preseed\'s early_command: d-i\'s wget posts install-started with the install token', () => {
    const preseed = renderPreseed(makeNode(), makeSite());
    const line = preseed.split('\n').find((l) => l.startsWith('d-i preseed/early_command string '));
    const command = line?.slice('d-i preseed/early_command string '.length) ?? '';
    expect(command).toBe(earlyCommandFor(resolveNodeConfig(makeNode(), makeSite()), 'wget'));
    const result = runEarly(command);
    expect(result.code, result.stderr).toBe(0);
    const args = readFileSync(join(dir, 'wget-args'), 'utf8').trim().split('\n');
    expect(args).toContain(`--header=Authorization: Bearer ${INSTALL_TOKEN}`);
    expect(args).toContain('--header=Content-Type: application/json');
    expect(args).toContain(`--post-data={"type":"install-started","reason":"${EARLY_STARTED_REASON}"}`);
    expect(args[args.length - 1]).toBe('http://198.18.0.10:8080/api/v1/nodes/cmp-0101/events');
  });

  it('never stops the install when the report fails: it says so and exits 0', () => {
    const command = earlyCommandFor(resolveNodeConfig(makeNode(), makeSite()), 'wget');
    const result = runEarly(command, true);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('install-started not reported');
  });

  it('uses curl for the Ubuntu live installer', () => {
    const result = runEarly(earlyCommandFor(resolveNodeConfig(makeNode(), makeSite()), 'curl'));
    expect(result.code, result.stderr).toBe(0);
    const args = readFileSync(join(dir, 'curl-args'), 'utf8').trim().split('\n');
    expect(args).toContain(`Authorization: Bearer ${INSTALL_TOKEN}`);
    expect(args).toContain(`{"type":"install-started","reason":"${EARLY_STARTED_REASON}"}`);
  });
});
