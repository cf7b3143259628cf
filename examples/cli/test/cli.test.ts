import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NetcheckError } from '@fleet/netcheck';
import { type BenchResult, GroupRecorder } from '@fleet/s3bench';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_STATE_NAMES, clip } from '../src/commands/nodes.js';
import type { CliIo } from '../src/io.js';
import { flagUsageError } from '../src/commands/netcheck.js';
import { exitCodeOf } from '../src/errors.js';
import { COMMANDS, runCommand } from '../src/run.js';
import { oneErrorLine, runCli, runInProcess } from './run-cli.js';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

function memoryIo(env: Record<string, string> = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    readStdin: async () => '',
    env,
    cwd: process.cwd(),
  };
}

function benchResult(latenciesMs: number[]): BenchResult {
  const rec = new GroupRecorder(false);
  for (const ms of latenciesMs) rec.record(ms, ms / 2, 100);
  rec.roll(0);
  return {
    format: 's3bench-result',
    version: 1,
    label: '',
    startedAt: '2026-01-01T00:00:00.000Z',
    endedAt: '2026-01-01T00:00:10.000Z',
    measuredS: 10,
    clients: 1,
    config: {
      endpoint: 'http://127.0.0.1:1',
      bucket: 'b',
      region: 'us-east-1',
      prefix: 'p/',
      addressing: 'path',
      payloadSigning: 'unsigned',
      connections: 1,
      durationS: 10,
      warmupS: 0,
      payload: 'generated',
      verify: false,
      seed: 1,
    },
    groups: [
      rec.toResult({ name: 'GET', op: 'GET', workers: 1, targetRate: null, activeS: 10, starved: false, open: null }),
    ],
    overhead: { signMeanUs: 1, recordMeanUs: 1, eventLoopDelayP99Ms: 1, eventLoopDelayMaxMs: 1, cpuPercent: 1 },
    cleanup: null,
    phases: {
      setup: { requests: 0, errors: 0, retries: 0, failed: 0, errorsByKind: {} },
      prefill: { requests: 0, errors: 0, retries: 0, failed: 0, errorsByKind: {} },
      measure: { requests: 0, errors: 0, retries: 0, failed: 0, errorsByKind: {} },
      cleanup: { requests: 0, errors: 0, retries: 0, failed: 0, errorsByKind: {} },
    },
    leftBehind: null,
    notes: [],
    aborted: null,
  };
}

describe('fleet without a server', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fleet-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('usage errors exit 2 with one line; an unreachable server exits 3 with one line; a bad config file exits 4', async () => {
    writeFileSync(join(dir, 'broken.json'), '{ "url": ');
    const [unknown, badFlag, missing, unreachable, badConfig, badUrl] = await Promise.all([
      runCli(['frobnicate']),
      runInProcess(['nodes', 'list', '--colour', 'red']),
      runInProcess(['nodes', 'show']),
      runCli(['nodes', 'list'], { FLEET_URL: 'http://127.0.0.1:9' }),
      runCli(['ipam', 'pools', '--config', join(dir, 'broken.json')]),
      runInProcess(['ipam', 'pools'], { FLEET_URL: 'ftp://x' }),
    ]);
    expect([unknown.code, badFlag.code, missing.code]).toEqual([2, 2, 2]);
    expect(oneErrorLine(unknown)).toMatch(/^fleet: USAGE: unknown command "frobnicate"/);
    expect(oneErrorLine(badFlag)).toContain("'--colour'");
    expect(oneErrorLine(missing)).toContain('NODE (id, hostname, MAC or serial)');
    expect(unreachable.code).toBe(3);
    expect(oneErrorLine(unreachable)).toMatch(/^fleet: SERVER_UNREACHABLE: .*127\.0\.0\.1:9/);
    expect(unreachable.stderr).not.toMatch(/\n\s+at /);
    expect(badConfig.code).toBe(4);
    expect(oneErrorLine(badConfig)).toMatch(/^fleet: CONFIG_INVALID: .*broken\.json is not valid JSON/);
    expect(badUrl.code).toBe(4);
  });

  it('boot render writes every file with its mode under --out', async () => {
    const out = join(dir, 'rendered');
    const run = await runCli([
      'boot',
      'render',
      '--node-file',
      fixture('node.json'),
      '--site-file',
      fixture('site.json'),
      '--out',
      out,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const files = JSON.parse(run.stdout) as Array<{ scope: string; path: string; mode: number; file: string }>;
    expect(files.map((f) => f.path)).toContain('/etc/hostname');
    expect(readFileSync(join(out, 'node/etc/hostname'), 'utf8').trim()).toBe('cmp-0101');
    const preseed = files.find((f) => f.path.endsWith('preseed.cfg'));
    expect(preseed).toBeDefined();
    expect(statSync(preseed!.file).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(out, 'netboot/grub/grub.cfg-01-3c-ec-ef-12-34-56'), 'utf8')).toContain('linux');
  });

  it('storage plan skips zram, loop devices without a backing file and zero-size devices, with a note', async () => {
    const [text, json] = await Promise.all([
      runInProcess(['storage', 'plan', '--inventory', fixture('compute-lsblk-zram.json'), '--profile', 'compute']),
      runInProcess([
        'storage',
        'plan',
        '--inventory',
        fixture('compute-lsblk-zram.json'),
        '--profile',
        'compute',
        '--json',
      ]),
    ]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n').slice(0, 4)).toEqual([
      '(skipped /dev/zram0 (zram: compressed RAM, not a disk))',
      '(skipped /dev/loop0 (loop device without a backing file))',
      '(no --state, --local or --ssh: every data disk is assumed blank)',
      'storage plan for this node — profile compute (compute)',
    ]);
    expect(text.stdout).toContain('system disk   /dev/sda');
    expect((JSON.parse(json.stdout) as { skipped: string[] }).skipped).toHaveLength(2);
  });

  it('boot render refuses a bad node file with exit 4', async () => {
    const node = JSON.parse(readFileSync(fixture('node.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'evil.json'), JSON.stringify({ ...node, hostname: 'cmp;reboot' }));
    const run = await runInProcess([
      'boot',
      'render',
      '--node-file',
      join(dir, 'evil.json'),
      '--site-file',
      fixture('site.json'),
    ]);
    expect(run.code).toBe(4);
    expect(oneErrorLine(run)).toMatch(/^fleet: BOOTCONFIG_INVALID_INPUT: /);
  });

  it('storage plan on a fixture inventory: LVM on both NVMe, the system disk untouched', async () => {
    const [json, text, unknownProfile] = await Promise.all([
      runCli(['storage', 'plan', '--inventory', fixture('compute-inventory.json'), '--profile', 'compute', '--json']),
      runInProcess(['storage', 'plan', '--inventory', fixture('compute-inventory.json'), '--profile', 'compute']),
      runInProcess(['storage', 'plan', '--inventory', fixture('compute-inventory.json'), '--profile', 'gpu']),
    ]);
    expect(json.code, json.stderr).toBe(0);
    const plan = JSON.parse(json.stdout) as {
      assumedBlank: boolean;
      steps: Array<{ command: string[] | string; disk?: string; systemDisk: boolean }>;
    };
    expect(plan.assumedBlank).toBe(true);
    const commands = plan.steps.map((s) => (Array.isArray(s.command) ? s.command.join(' ') : s.command));
    expect(commands).toContain('pvcreate /dev/nvme0n1');
    expect(commands.some((c) => c.startsWith('vgcreate --addtag fleet fleet-instances'))).toBe(true);
    expect(commands.join('\n')).not.toContain('/dev/sda');
    expect(plan.steps.every((s) => !s.systemDisk)).toBe(true);
    expect(text.stdout).toContain('system disk   /dev/sda');
    expect(unknownProfile.code).toBe(2);
    oneErrorLine(unknownProfile);
  });

  it('s3bench compare exits 0 for equal runs and 1 on a latency regression; report writes HTML', async () => {
    const fast = Array.from({ length: 1000 }, () => 10);
    const slowTail = [...Array.from({ length: 980 }, () => 10), ...Array.from({ length: 20 }, () => 300)];
    writeFileSync(join(dir, 'base.json'), JSON.stringify(benchResult(fast)));
    writeFileSync(join(dir, 'same.json'), JSON.stringify(benchResult(fast)));
    writeFileSync(join(dir, 'slow.json'), JSON.stringify(benchResult(slowTail)));
    writeFileSync(join(dir, 'junk.json'), '{"hello":1}');
    const [same, slower, slowerJson, junk, report] = await Promise.all([
      runInProcess(['s3bench', 'compare', join(dir, 'base.json'), join(dir, 'same.json')]),
      runCli(['s3bench', 'compare', join(dir, 'base.json'), join(dir, 'slow.json')]),
      runInProcess(['s3bench', 'compare', join(dir, 'base.json'), join(dir, 'slow.json'), '--json']),
      runInProcess(['s3bench', 'compare', join(dir, 'base.json'), join(dir, 'junk.json')]),
      runInProcess(['s3bench', 'report', join(dir, 'slow.json'), '--out', join(dir, 'slow.html')]),
    ]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toContain('0 regression(s)');
    expect(slower.code).toBe(1);
    expect(slower.stdout).toMatch(/latency p99 .*REGRESSION/);
    expect(
      (JSON.parse(slowerJson.stdout) as { regressions: Array<{ metric: string }> }).regressions.map((r) => r.metric),
    ).toContain('latency p99');
    expect(junk.code).toBe(4);
    expect(oneErrorLine(junk)).toMatch(/^fleet: S3BENCH_RESULT_INVALID: /);
    // No group in common: one line and exit 4, not "0 regression(s)".
    const other = benchResult(fast);
    other.groups[0]!.name = 'PUT';
    writeFileSync(join(dir, 'other.json'), JSON.stringify(other));
    // A 0.5 ms p50 move is noise by default and a regression with --min-latency-ms 0.1.
    writeFileSync(join(dir, 'quick.json'), JSON.stringify(benchResult(fast.map(() => 2))));
    writeFileSync(join(dir, 'nudged.json'), JSON.stringify(benchResult(fast.map(() => 2.5))));
    const [noMatch, nudged, nudgedStrict] = await Promise.all([
      runInProcess(['s3bench', 'compare', join(dir, 'base.json'), join(dir, 'other.json')]),
      runInProcess(['s3bench', 'compare', join(dir, 'quick.json'), join(dir, 'nudged.json'), '--threshold', '0.1']),
      runInProcess([
        's3bench',
        'compare',
        join(dir, 'quick.json'),
        join(dir, 'nudged.json'),
        '--threshold',
        '0.1',
        '--min-latency-ms',
        '0.1',
      ]),
    ]);
    expect(noMatch.code).toBe(4);
    expect(oneErrorLine(noMatch)).toBe(
      'fleet: S3BENCH_RESULT_MISMATCH: nothing to compare: no group name is in both results (base: GET; current: PUT)',
    );
    expect(nudged.code, nudged.stdout).toBe(0);
    expect(nudgedStrict.code).toBe(1);
    expect(nudgedStrict.stdout).toMatch(/latency p50 .*REGRESSION/);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(dir, 'slow.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('prints a bash completion script that bash accepts and that knows the subcommands and flags', async () => {
    const run = await runCli(['completion', 'bash']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('complete -F _fleet fleet');
    expect(run.stdout).toContain('set-location');
    expect(run.stdout).toContain('--yes-destroy');
    writeFileSync(join(dir, 'fleet.bash'), run.stdout);
    execFileSync('bash', ['-n', join(dir, 'fleet.bash')]);
    // Complete `fleet nodes tr` and `fleet nodes list --st` with the real bash.
    const complete = (words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${join(dir, 'fleet.bash')}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _fleet; echo "\${COMPREPLY[@]}"`,
        ],
        {
          encoding: 'utf8',
          timeout: 30_000,
        },
      ).trim();
    expect(complete(['fleet', 'nodes', 'tr'])).toBe('transition');
    expect(complete(['fleet', 'nodes', 'list', '--st'])).toBe('--state');
  });

  it('completes node names and states in bash, zsh and fish, asking fleet __complete', async () => {
    const [bash, zsh, fish] = await Promise.all(
      ['bash', 'zsh', 'fish'].map((shell) => runInProcess(['completion', shell])),
    );
    for (const [shell, run] of [
      ['bash', bash],
      ['zsh', zsh],
      ['fish', fish],
    ] as const) {
      expect(run?.code, run?.stderr).toBe(0);
      writeFileSync(join(dir, `fleet.${shell}`), run?.stdout ?? '');
      execFileSync(shell, ['-n', join(dir, `fleet.${shell}`)]);
    }
    // A stand-in `fleet` answers __complete as a server with three nodes would.
    const stub = (shell: string) =>
      shell === 'fish'
        ? 'function fleet; if test "$argv[2]" = nodes; printf "%s\\n" cmp-0001 cmp-0002 db-1; else; printf "%s\\n" new deployed failed; end; end'
        : 'fleet() { if [[ $2 == nodes ]]; then printf "%s\\n" cmp-0001 cmp-0002 db-1; else printf "%s\\n" new deployed failed; fi; }';
    const shells: Record<string, (line: string[]) => string> = {
      bash: (w) =>
        `source ${join(dir, 'fleet.bash')}; ${stub('bash')}; COMP_WORDS=(${w.map((x) => `'${x}'`).join(' ')}); COMP_CWORD=${w.length - 1}; _fleet; echo "\${COMPREPLY[*]}"`,
      // zsh hands COMPREPLY to compadd, which filters by what was typed; so does the grep here.
      zsh: (w) =>
        `source ${join(dir, 'fleet.zsh')}; ${stub('zsh')}; COMP_WORDS=(${w.map((x) => `'${x}'`).join(' ')}); COMP_CWORD=${w.length - 1}; _fleet; print -l -- $COMPREPLY | grep -- '^${w.at(-1)}' | tr '\\n' ' '`,
      fish: (w) =>
        `source ${join(dir, 'fleet.fish')}; ${stub('fish')}; complete -C '${w.join(' ')}' | string replace -r '\\t.*' '' | string join ' '; or true`,
    };
    for (const shell of ['bash', 'zsh', 'fish']) {
      const complete = (words: string[]) =>
        execFileSync(shell, ['-c', shells[shell]!(words)], {
          encoding: 'utf8',
          timeout: 30_000,
          env: { PATH: process.env.PATH, HOME: dir },
        }).trim();
      expect(complete(['fleet', 'nodes', 'tr']), shell).toBe('transition');
      expect(complete(['fleet', 'nodes', 'list', '--st']), shell).toBe('--state');
      expect(complete(['fleet', 'nodes', 'show', 'cmp']), shell).toBe('cmp-0001 cmp-0002');
      expect(complete(['fleet', 'nodes', 'transition', 'cmp-0001', 'dep']), shell).toBe('deployed');
      expect(complete(['fleet', 'nodes', 'list', '--state', 'f']), shell).toBe('failed');
      expect(complete(['fleet', 'ipam', 'allocate', '--node', 'db']), shell).toBe('db-1');
    }
    // Without a server, __complete prints nothing and succeeds: a shell never shows an error while typing.
    const quiet = await runInProcess(['__complete', 'nodes'], { FLEET_URL: 'http://127.0.0.1:9' });
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
    const states = await runInProcess(['__complete', 'states']);
    expect(states.stdout.trim().split('\n')).toEqual([...NODE_STATE_NAMES]);
  });

  it('cuts history changes between fields, never inside one', () => {
    expect(clip('state="deployed" stateSince="2026-11-25T15:32:01.858Z" bootTarget="local"', 40)).toBe(
      'state="deployed" …',
    );
    expect(clip('a=1 b=2', 80)).toBe('a=1 b=2');
  });

  it('has --help with examples on every command (exit 0), and usage on a bare group (exit 2)', async () => {
    for (const command of COMMANDS) {
      const io = memoryIo();
      expect(await runCommand([...command.name.split(' '), '--help'], io)).toBe(0);
      const text = io.stdout.join('\n');
      expect(text, command.name).toContain(`Usage: fleet ${command.name}`);
      expect(text, command.name).toMatch(/Examples:\n {2}.*fleet /);
    }
    const io = memoryIo();
    expect(await runCommand(['ipam'], io)).toBe(2);
    expect(io.stdout.join('\n')).toContain('allocate');
  });

  it('--help gives every option its meaning and default from the table the parser reads', async () => {
    // netcheck and s3bench are described by their own command files (other issues); every other command here.
    const described = COMMANDS.filter((c) => !/^(netcheck|s3bench) /.test(c.name));
    for (const command of described) {
      const io = memoryIo();
      expect(await runCommand([...command.name.split(' '), '--help'], io)).toBe(0);
      const text = io.stdout.join('\n');
      for (const [name, def] of Object.entries(command.options ?? {})) {
        expect(def.description, `${command.name} --${name}`).toMatch(/\w/);
        const line = text.split('\n').find((l) => l.trimStart().startsWith(`--${name}`));
        expect(line, `${command.name} --${name}`).toContain(def.description);
        if (def.default !== undefined) expect(line).toContain(`(default: ${def.default})`);
      }
      // The usage line names no option the parser would refuse.
      for (const flag of command.usage.match(/--[a-z][a-z-]*/g) ?? [])
        expect(Object.keys(command.options ?? {}), `${command.name} usage ${flag}`).toContain(flag.slice(2));
    }
    const io = memoryIo();
    await runCommand(['nodes', 'list', '--help'], io);
    const help = io.stdout.join('\n');
    expect(help).toMatch(/^Usage: fleet nodes list .*\[--cluster C\]/m);
    expect(help).toMatch(/^ {2}--cluster C +only nodes of this cluster$/m);
    expect(help).toMatch(/^ {2}--url URL +server URL \(env FLEET_URL; default http:\/\/127\.0\.0\.1:8080\)$/m);
    const history = memoryIo();
    await runCommand(['nodes', 'history', '--help'], history);
    expect(history.stdout.join('\n')).toMatch(/^ {2}--limit N +the newest N entries, 1\.\.1000 \(default: 100\)$/m);
  });

  it('netcheck exits 1 when a check fails and 0 when it passes', async () => {
    // Nothing answers DNS on the discard port of loopback: DNS_NO_ANSWER is a failure.
    const [dns, mtu] = await Promise.all([
      runCli(['netcheck', 'dns', '127.0.0.1', '--port', '9', '--json']),
      runInProcess(['netcheck', 'mtu', '127.0.0.1', '--max-mtu', '9000', '--json']),
    ]);
    expect(dns.code, dns.stderr).toBe(1);
    expect(JSON.parse(dns.stdout)).toMatchObject({ check: 'dns', status: 'fail', code: 'DNS_NO_ANSWER' });
    expect(mtu.code, mtu.stderr).toBe(0);
    const json = JSON.parse(mtu.stdout);
    expect(json).toMatchObject({ check: 'path-mtu', status: 'ok' });
    // The table says how many probes the check sent and how long it took.
    const table = await runInProcess(['netcheck', 'mtu', '127.0.0.1', '--max-mtu', '9000']);
    expect(table.code, table.stderr).toBe(0);
    const [header, row] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^CHECK +TARGET +STATUS +CODE +PROBES +TIME +SUMMARY$/);
    expect(row).toMatch(/^path-mtu +127\.0\.0\.1\S* .*OK +OK +\d+ +\d+ ms +path MTU 9000 /);
    expect(Number(row?.match(/ OK +(\d+) +\d+ ms/)?.[1])).toBe(json.evidence.probes.length);
    const kept = await runInProcess(['netcheck', 'mtu', '127.0.0.1', '--max-mtu', '9000', '--pmtu-cache', 'keep', '--json']);
    expect(kept.code, kept.stderr).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ status: 'ok', evidence: { pmtuCache: 'kept' } });
    // Checks without probes show the time only.
    expect(dns.stdout).not.toBe('');
    const dnsTable = await runInProcess(['netcheck', 'dns', '127.0.0.1', '--port', '9']);
    expect(dnsTable.code).toBe(1);
    expect(dnsTable.stdout.split('\n')[0]).toMatch(/^CHECK +TARGET +STATUS +CODE +TIME +SUMMARY$/);
    expect(dnsTable.stdout.split('\n')[1]).toMatch(/ FAIL +DNS_NO_ANSWER +\d+ (ms|\.\d s) /);
  });

  it('netcheck: every bad input exits 2 with one line that names the flag or argument, never the API field', async () => {
    // [argv, what the one line must say]: the CLI's own checks and the package's validation alike.
    const cases: Array<[string[], RegExp]> = [
      [['netcheck', 'mtu'], /missing ADDRESS/],
      [['netcheck', 'mtu', 'not-an-ip'], /ADDRESS "not-an-ip" is not an IPv4 or IPv6 address/],
      [['netcheck', 'mtu', '127.0.0.1', '--max-mtu', '100'], /--max-mtu must be an integer 576\.\.65535/],
      [['netcheck', 'mtu', '127.0.0.1', '--min-mtu', '1500', '--max-mtu', '1400'], /--min-mtu 1500 is above --max-mtu 1400: lower --min-mtu or raise --max-mtu/],
      [['netcheck', 'mtu', '127.0.0.1', '--required-mtu', 'big'], /--required-mtu must be an integer/],
      [['netcheck', 'mtu', '127.0.0.1', '--method', 'tcp'], /--method must be one of icmp, udp/],
      [['netcheck', 'mtu', '127.0.0.1', '--bogus'], /--bogus/],
      [['netcheck', 'mtu', '127.0.0.1', '--pmtu-cache', 'sometimes'], /--pmtu-cache must be one of clear, keep/],
      [['netcheck', 'bgp', '--socket', 'run/bird.ctl'], /--socket "run\/bird\.ctl" must be an absolute path/],
      [['netcheck', 'bgp', '--min-uptime', 'soon'], /--min-uptime must be an integer/],
      [['netcheck', 'dns'], /missing SERVER/],
      [['netcheck', 'dns', '10.0.0.300'], /SERVER "10\.0\.0\.300" is not an IPv4 or IPv6 address/],
      [['netcheck', 'dns', '127.0.0.1', '--type', 'MX'], /--type must be one of A, AAAA/],
      [['netcheck', 'dns', '127.0.0.1', '--name', 'bad name!'], /--name "bad name!" is not a DNS name/],
      [['netcheck', 'dns', '127.0.0.1', '--protocol', 'sctp'], /--protocol must be one of udp, tcp/],
      [['netcheck', 'dns', '127.0.0.1', '--port', '0'], /--port must be an integer 1\.\.65535/],
      [['netcheck', 'ntp'], /missing SERVER/],
      [['netcheck', 'ntp', 'ntp.example'], /SERVER "ntp\.example" is not an IPv4 or IPv6 address/],
      [['netcheck', 'ntp', '127.0.0.1', '--max-offset-ms', '50'], /--max-offset-ms must be an integer from 100 to 3600000, got "?50"?/],
      [['netcheck', 'ntp', '127.0.0.1', '--port', '70000'], /--port must be an integer 1\.\.65535/],
      [['netcheck', 'throughput'], /missing SERVER/],
      [['netcheck', 'throughput', 'iperf.example'], /SERVER "iperf\.example" is not an IPv4 or IPv6 address/],
      [['netcheck', 'throughput', '127.0.0.1', '--seconds', '601'], /--seconds must be an integer from 1 to 600, got "?601"?/],
      [['netcheck', 'throughput', '127.0.0.1', '--floor-gbps=-1'], /--floor-gbps must be a number >= 0/],
      [['netcheck', 'throughput', '127.0.0.1', '--streams', '0'], /--streams must be an integer 1\.\.128/],
    ];
    // Every netcheck command is walked.
    const walked = new Set(cases.map(([argv]) => `${argv[0]} ${argv[1]}`));
    expect([...walked].sort()).toEqual(COMMANDS.filter((c) => c.name.startsWith('netcheck ')).map((c) => c.name).sort());
    for (const [argv, said] of cases) {
      const run = await runInProcess(argv);
      expect(run.code, `${argv.join(' ')}: ${run.stderr}`).toBe(2);
      const line = oneErrorLine(run);
      expect(line, argv.join(' ')).toMatch(/^fleet: USAGE: /);
      expect(line, argv.join(' ')).toMatch(said);
      expect(line, argv.join(' ')).not.toMatch(/^fleet: USAGE: (address|server|name|type|port|socket|seconds)\b/);
      expect(line, argv.join(' ')).not.toMatch(/\b(maxMtu|minMtu|requiredMtu|minUptimeSeconds|maxOffsetMs|floorGbps)\b/);
      expect(run.stdout).toBe('');
    }
    // The same through a real process: the exit code main() gives the shell.
    const real = await runCli(['netcheck', 'mtu', '127.0.0.1', '--min-mtu', '1500', '--max-mtu', '1400']);
    expect(real.code).toBe(2);
    expect(oneErrorLine(real)).toBe('fleet: USAGE: --min-mtu 1500 is above --max-mtu 1400: lower --min-mtu or raise --max-mtu');

    // A package error that is not about input keeps its code and exit code; its advice names the flag too.
    const notRoot = new NetcheckError('NETCHECK_TOOL_FAILED', "cannot clear the cached path MTU: run as root, or pass pmtuCache 'keep'");
    const mapped = flagUsageError(notRoot, { pmtuCache: '--pmtu-cache' });
    expect(mapped).toMatchObject({ code: 'NETCHECK_TOOL_FAILED', message: "cannot clear the cached path MTU: run as root, or pass --pmtu-cache 'keep'" });
    expect(exitCodeOf(mapped)).toBe(3);
  });

  it('rollout halt presses the red button in a local state directory; status of an unknown rollout exits 3', async () => {
    const stateDir = join(dir, 'rollout');
    const halt = await runInProcess(['rollout', 'halt', 'lab', '--reason', 'latency alarm', '--state-dir', stateDir]);
    expect(halt.code, halt.stderr).toBe(0);
    expect(readFileSync(join(stateDir, 'lab.halt'), 'utf8')).toContain('latency alarm');
    const status = await runInProcess(['rollout', 'status', 'lab', '--state-dir', stateDir]);
    expect(status.code).toBe(3);
    expect(oneErrorLine(status)).toMatch(/^fleet: ROLLOUT_NOT_FOUND: /);
    const noTargets = await runInProcess([
      'rollout',
      'start',
      'lab',
      '--state-dir',
      stateDir,
      '--targets',
      join(dir, 'none.json'),
    ]);
    expect(noTargets.code).toBe(4);
  });

  it('rollout reads --consul like CONSUL_HTTP_ADDR: a bad address exits 4 with one line, host:port reaches the agent', async () => {
    const noPort = await runInProcess(['rollout', 'status', 'lab', '--consul', 'http://consul.lab']);
    expect(noPort.code).toBe(4);
    expect(oneErrorLine(noPort)).toMatch(/^fleet: CONFIG_INVALID: Consul address "http:\/\/consul.lab" has no port/);
    const badSsl = await runInProcess(['rollout', 'status', 'lab'], { FLEET_CONSUL_URL: '127.0.0.1:8500', CONSUL_HTTP_SSL: 'sure' });
    expect(badSsl.code).toBe(4);
    expect(oneErrorLine(badSsl)).toMatch(/CONSUL_HTTP_SSL must be true or false/);
    // The Consul HTTP API test double (@fleet/testkit): no real agent can run here. Written as host:port.
    const { startConsulDouble } = await import('@fleet/testkit');
    const consul = await startConsulDouble({ datacenter: 'lab' });
    try {
      const status = await runInProcess(['rollout', 'status', 'lab', '--consul', new URL(consul.url).host]);
      expect(status.code).toBe(3);
      expect(oneErrorLine(status)).toMatch(/^fleet: ROLLOUT_NOT_FOUND: no rollout recorded for lab in Consul/);
    } finally {
      await consul.close();
    }
  });

  it('rollout plan prints batches, racks, waits and quorum decisions without touching a node (and --dry-run)', async () => {
    const targets = join(dir, 'plan-targets.json');
    const node = (name: string, rack: string, tags: string[] = []) => ({ name, host: '192.0.2.1', rack, tags });
    writeFileSync(
      targets,
      JSON.stringify([
        node('db-1', 'r01', ['quorum:galera']),
        node('db-2', 'r02', ['quorum:galera']),
        node('db-3', 'r03', ['quorum:galera']),
        node('cmp-1', 'r01'),
        node('cmp-2', 'r01'),
        node('cmp-3', 'r02'),
        node('cmp-4', 'r03'),
        node('cmp-5', 'r04'),
      ]),
    );
    const stateDir = join(dir, 'plan-state');
    const [plan, dry, json] = await Promise.all([
      runCli(['rollout', 'plan', 'lab', '--targets', targets, '--batches', '1,3']),
      runInProcess([
        'rollout',
        'start',
        'lab',
        '--targets',
        targets,
        '--batches',
        '1,3',
        '--dry-run',
        '--state-dir',
        stateDir,
      ]),
      runInProcess(['rollout', 'plan', 'lab', '--targets', targets, '--batches', '1,3', '--json']),
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toBe(
      [
        'rollout plan for lab: 8 nodes in 4 batches, at most 1 per rack, one member of each quorum group per batch (nothing was touched)',
        'BATCH  NODES  RACKS        HOSTS             NOTE',
        '1      1      r01          db-1',
        '2      3      r01,r02,r03  db-2 cmp-1 cmp-4  waits: db-3 (quorum galera), cmp-2 (rack r01), cmp-3 (rack r02)',
        '3      3      r01,r02,r03  db-3 cmp-2 cmp-3',
        '4      1/3    r04          cmp-5',
        'quorum galera: db-1 in batch 1, db-2 in batch 2, db-3 in batch 3',
        '',
      ].join('\n'),
    );
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toBe(plan.stdout);
    // Nothing was touched: no lock, no progress, no log in the state directory.
    expect(() => statSync(stateDir)).toThrow();
    expect(JSON.parse(json.stdout)).toMatchObject({
      cluster: 'lab',
      dryRun: true,
      order: ['db-1', 'db-2', 'cmp-1', 'cmp-4', 'db-3', 'cmp-2', 'cmp-3', 'cmp-5'],
      quorum: { 'db-1': ['galera'], 'db-2': ['galera'], 'db-3': ['galera'] },
    });
  });
});
