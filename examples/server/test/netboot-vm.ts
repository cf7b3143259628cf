import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  copyFileSync,
  cpSync,
  createWriteStream,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

// A QEMU virtual machine that boots as a bare-metal server does: firmware runs iPXE, iPXE asks DHCP and
// chains to the provisioning server. Its only network is QEMU's user-mode NAT with `restrict=on`: the guest
// reaches nothing but the one address forwarded (through socat) to our server on the host's loopback.

export const DI_IMAGES = '/usr/lib/debian-installer/images/12/amd64/text/debian-installer/amd64';
export const IPXE_LKRN = '/usr/lib/ipxe/ipxe.lkrn';
/** UEFI firmware for the GRUB path (Debian's ovmf package) and its variable store template. */
export const OVMF_CODE = '/usr/share/OVMF/OVMF_CODE_4M.fd';
export const OVMF_VARS = '/usr/share/OVMF/OVMF_VARS_4M.fd';
const QEMU = 'qemu-system-x86_64';

/**
 * How the VM netboots: `ipxe` — BIOS firmware runs iPXE with an embedded script (DHCP, then the server's
 * iPXE file); `grub` — UEFI firmware (OVMF) PXE-boots Debian's signed netboot GRUB over TFTP, whose
 * config asks the server for `grub.cfg-01-<mac>` over HTTP.
 */
export type VmBoot = 'ipxe' | 'grub';

/** What this machine lacks to boot the VM, as apt package names (empty: everything is there). */
export function missingVmTools(boot: VmBoot = 'ipxe'): string[] {
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  return [
    ...(has(QEMU) ? [] : ['qemu-system-x86']),
    ...(boot === 'ipxe' && !existsSync(IPXE_LKRN) ? ['ipxe'] : []),
    ...(boot === 'grub' && !(existsSync(OVMF_CODE) && existsSync(OVMF_VARS)) ? ['ovmf'] : []),
    ...(existsSync(`${DI_IMAGES}/linux`) && existsSync(`${DI_IMAGES}/initrd.gz`) && existsSync(`${DI_IMAGES}/grubx64.efi`)
      ? []
      : ['debian-installer-12-netboot-amd64']),
    ...(has('socat') ? [] : ['socat']),
  ];
}

/** The GRUB image QEMU's DHCP names as boot file (served by QEMU's TFTP). */
export const GRUB_BOOTFILE = 'grubx64.efi';

/**
 * The TFTP tree a site's PXE server would hold for UEFI machines: Debian's signed netboot GRUB and, at its
 * built-in prefix, a grub.cfg that hands over to fleet — it asks the server, over HTTP, for the file GRUB
 * itself would ask for (`grub.cfg-01-<mac with dashes>`), with the server as GRUB's root, so the kernel and
 * initrd paths in fleet's config load from the server too. On failure it says so on the console.
 */
export function prepareGrubTftp(dir: string, serverAddress: string): void {
  const prefix = join(dir, 'debian-installer', 'amd64', 'grub');
  mkdirSync(prefix, { recursive: true });
  copyFileSync(join(DI_IMAGES, 'grubx64.efi'), join(dir, GRUB_BOOTFILE));
  cpSync(join(DI_IMAGES, 'grub', 'x86_64-efi'), join(prefix, 'x86_64-efi'), { recursive: true });
  writeFileSync(
    join(prefix, 'grub.cfg'),
    [
      'echo "fleet-vm: GRUB on $net_default_mac asks fleet for its config"',
      'insmod http',
      'insmod regexp',
      `set root=(http,${serverAddress})`,
      `regexp --set=1:m1 --set=2:m2 --set=3:m3 --set=4:m4 --set=5:m5 --set=6:m6 '^(..):(..):(..):(..):(..):(..)$' "$net_default_mac"`,
      // `source`, not `configfile`: fleet's entries join this menu, which GRUB then shows and boots.
      'if ! source /boot/grub/grub.cfg-01-$m1-$m2-$m3-$m4-$m5-$m6; then',
      '  echo "fleet-vm: chain failed"',
      '  sleep 600',
      'fi',
      '',
    ].join('\n'),
  );
}

/** A sparse file used as the VM's disk (nothing is read from it before partitioning). */
export function createSparseDisk(path: string, bytes: number): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * True when a KVM guest really runs here. /dev/kvm may exist while nested guests hang at "Booting from
 * ROM", so a tiny guest (iPXE printing one line) must get that far within `timeoutMs`; else TCG.
 */
export async function kvmWorks(scriptPath: string, timeoutMs = 15_000): Promise<boolean> {
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch {
    return false;
  }
  const probe = spawn(
    QEMU,
    ['-machine', 'pc,accel=kvm', '-m', '64', '-nographic', '-no-reboot', '-nic', 'none', '-kernel', IPXE_LKRN, '-initrd', scriptPath],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return await new Promise<boolean>((resolve) => {
    let seen = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      probe.kill('SIGKILL');
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    probe.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      if (seen.includes('fleet-kvm-probe-ok')) done(true);
    });
    probe.on('exit', () => done(false));
    probe.on('error', () => done(false));
  });
}

/** The iPXE script for the KVM probe: prints one line, then waits. */
export const KVM_PROBE_SCRIPT = '#!ipxe\necho fleet-kvm-probe-ok\nprompt --timeout 60000 wait\n';

/**
 * The script burnt into the VM's iPXE (as a NIC ROM or a USB stick would carry it): DHCP, then the
 * server's iPXE file for this MAC, exactly the URL iPXE asks for (`${net0/mac}`). On failure it says so on
 * the console, where the test sees it at once.
 */
export function embeddedIpxeScript(serverAddress: string): string {
  return [
    '#!ipxe',
    'echo fleet-vm: iPXE asks DHCP',
    'dhcp || goto failed',
    `echo fleet-vm: chain http://${serverAddress}/boot/ipxe/\${net0/mac}`,
    `chain http://${serverAddress}/boot/ipxe/\${net0/mac} || goto failed`,
    ':failed',
    'echo fleet-vm: chain failed',
    'prompt --timeout 600000 stop',
    '',
  ].join('\n');
}

export interface VmNetwork {
  /** The guest network, e.g. `10.20.0.0/22`: the node's management network from IPAM. */
  cidr: string;
  /** The gateway the installer is told (QEMU answers as the host there). */
  gateway: string;
  /** The DNS address QEMU offers (must lie in `cidr`). */
  dns: string | undefined;
  /** First address QEMU's DHCP hands out (to iPXE; the installer uses its static address). */
  dhcpStart: string;
  /** The address the guest reaches the provisioning server at (port 80, forwarded to `hostPort`). */
  serverAddress: string;
  hostPort: number;
}

export interface VmOptions {
  boot: VmBoot;
  /** `ipxe`: the embedded iPXE script. */
  ipxeScriptPath?: string;
  /** `grub`: the TFTP tree ({@link prepareGrubTftp}) and a writable copy of the UEFI variable store. */
  tftpDir?: string;
  uefiVarsPath?: string;
  mac: string;
  uuid: string;
  diskPath: string;
  diskSerial: string;
  network: VmNetwork;
  accel: 'kvm' | 'tcg';
  /** Every byte of the serial console goes here (the test artefact). */
  consolePath: string;
  memoryMiB?: number;
}

export interface RunningVm {
  readonly process: ChildProcess;
  readonly startedAt: number;
  /** The serial console so far (ANSI escapes left in). */
  console(): string;
  /** Set once QEMU has exited: code or signal. */
  exited(): string | null;
  stop(): Promise<void>;
}

/** QEMU's command line for the VM (exported so the test's artefacts can show it). */
export function qemuArgs(o: VmOptions): string[] {
  const n = o.network;
  const netdev = [
    'user',
    'id=n0',
    'restrict=on',
    `net=${n.cidr}`,
    `host=${n.gateway}`,
    ...(n.dns ? [`dns=${n.dns}`] : []),
    `dhcpstart=${n.dhcpStart}`,
    ...(o.boot === 'grub' ? [`tftp=${o.tftpDir}`, `bootfile=${GRUB_BOOTFILE}`] : []),
    `guestfwd=tcp:${n.serverAddress}:80-cmd:socat STDIO TCP:127.0.0.1:${n.hostPort}`,
  ].join(',');
  const firmware =
    o.boot === 'ipxe'
      ? ['-kernel', IPXE_LKRN, '-initrd', o.ipxeScriptPath ?? '']
      : [
          '-drive',
          `if=pflash,format=raw,unit=0,readonly=on,file=${OVMF_CODE}`,
          '-drive',
          `if=pflash,format=raw,unit=1,file=${o.uefiVarsPath ?? ''}`,
        ];
  return [
    '-machine',
    // i440FX for both (OVMF runs on it too): the NIC in slot 3 is `ens3` to the installer either way.
    `pc,accel=${o.accel}`,
    '-m',
    String(o.memoryMiB ?? 1024),
    '-smp',
    '1',
    '-uuid',
    o.uuid,
    '-nographic',
    '-no-reboot',
    ...firmware,
    '-netdev',
    netdev,
    '-device',
    `virtio-net-pci,netdev=n0,mac=${o.mac},addr=0x3${o.boot === 'grub' ? ',bootindex=1' : ''}`,
    '-drive',
    `file=${o.diskPath},format=raw,if=none,id=disk0`,
    '-device',
    `virtio-blk-pci,drive=disk0,serial=${o.diskSerial},addr=0x4`,
  ];
}

export function startVm(o: VmOptions): RunningVm {
  const out = createWriteStream(o.consolePath);
  const child = spawn(QEMU, qemuArgs(o), { stdio: ['pipe', 'pipe', 'pipe'] });
  const startedAt = Date.now();
  let text = '';
  let exit: string | null = null;
  const take = (chunk: Buffer) => {
    out.write(chunk);
    text += chunk.toString('latin1');
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exitedPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.on('error', (error) => {
      exit = `could not start ${QEMU}: ${error.message}`;
      resolve();
    });
  });
  return {
    process: child,
    startedAt,
    console: () => text,
    exited: () => exit,
    async stop() {
      if (exit === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exitedPromise;
        clearTimeout(killer);
      }
      await new Promise<void>((resolve) => out.end(resolve));
    },
  };
}
