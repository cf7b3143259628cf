import { ConsulRequestError } from '@fleet/consul';
import { CommandTimeoutError, DatabaseUnavailableError, FleetError, NotFoundError, ValidationError } from '@fleet/core';
import { IpamError } from '@fleet/ipam';
import { MachineDbError } from '@fleet/machinedb-client';
import { RolloutLockedError } from '@fleet/rollout';
import { S3BenchError } from '@fleet/s3bench';
import { StorageError } from '@fleet/storage';
import { describe, expect, it } from 'vitest';
import { CliError, EXIT, configError, exitCodeOf, usageError } from '../src/errors.js';
import { COMMANDS } from '../src/run.js';
import { oneErrorLine, runInProcess } from './run-cli.js';

/**
 * One bad-input case per command: a flag value, a missing or malformed argument the CLI can refuse without
 * reaching a server or a node. The README's table says all of them exit 2 (usage). FLEET_URL points at a
 * closed port, so a command that went to the network instead would exit 3 and fail here.
 */
const BAD_INPUT: Readonly<Record<string, readonly string[]>> = {
  login: ['login'],
  'nodes list': ['nodes', 'list', '--limit', 'many'],
  'nodes show': ['nodes', 'show'],
  'nodes set-location': ['nodes', 'set-location', 'cmp-1', '--rack', 'r1'],
  'nodes set-disk': ['nodes', 'set-disk', 'cmp-1'],
  'nodes groups': ['nodes', 'groups', 'cmp-1'],
  'nodes transition': ['nodes', 'transition', 'cmp-1', 'flying', '--reason', 'test'],
  'nodes history': ['nodes', 'history', '--limit', 'many'],
  'ipam prefixes': ['ipam', 'prefixes', '--family', '5'],
  'ipam search': ['ipam', 'search', '--colour', 'red'],
  'ipam lookup': ['ipam', 'lookup'],
  'ipam pools': ['ipam', 'pools', '--colour', 'red'],
  'ipam add-prefix': ['ipam', 'add-prefix', '10.9.0.0/16', '--kind', 'pool'],
  'ipam allocate': ['ipam', 'allocate'],
  'ipam release': ['ipam', 'release'],
  'ipam export': ['ipam', 'export', '--format', 'xml'],
  'ipam import': ['ipam', 'import'],
  'ipam history': ['ipam', 'history', '--limit', 'many'],
  'boot render': ['boot', 'render'],
  'storage plan': ['storage', 'plan', '--profile', 'compute'],
  'storage apply': ['storage', 'apply', '--profile', 'compute'],
  'rollout start': ['rollout', 'start', 'lab', '--batches', 'x'],
  'rollout plan': ['rollout', 'plan', 'lab', '--batches', 'x'],
  'rollout halt': ['rollout', 'halt', 'lab'],
  'rollout resume': ['rollout', 'resume', 'lab', '--batches', 'x'],
  'rollout status': ['rollout', 'status'],
  'netcheck mtu': ['netcheck', 'mtu', '999.1.1.1'],
  'netcheck bgp': ['netcheck', 'bgp', '--min-uptime', 'long'],
  'netcheck dns': ['netcheck', 'dns', '999.1.1.1'],
  'netcheck ntp': ['netcheck', 'ntp', '999.1.1.1'],
  'netcheck throughput': ['netcheck', 'throughput', '999.1.1.1'],
  's3bench run': ['s3bench', 'run'],
  's3bench report': ['s3bench', 'report'],
  's3bench compare': ['s3bench', 'compare', 'base.json'],
  drift: ['drift', '--colour', 'red'],
  completion: ['completion', 'tcsh'],
  __complete: ['__complete', 'colours'],
};

describe('exit codes follow the README table', () => {
  it('has a bad-input case for every command', () => {
    expect(Object.keys(BAD_INPUT).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
  });

  it('every command refuses its bad input with exit 2 and one line', async () => {
    const env = { FLEET_URL: 'http://127.0.0.1:9', FLEET_TOKEN: 'not-a-token' };
    const runs = await Promise.all(Object.values(BAD_INPUT).map((argv) => runInProcess([...argv], env)));
    const seen = Object.keys(BAD_INPUT).map((name, i) => {
      const run = runs[i] as { code: number; stderr: string };
      return { name, code: run.code, line: run.code === 0 ? '' : oneErrorLine(run as never) };
    });
    expect(seen.filter((s) => s.code !== EXIT.usage)).toEqual([]);
  });

  it('maps kinds to exit codes in one place: bad input 2 (flags) or 4 (files), everything else 3', () => {
    expect(exitCodeOf(usageError('bad flag'))).toBe(2);
    expect(exitCodeOf(configError('bad file'))).toBe(4);
    // A package refusing data the CLI read from a file.
    expect(exitCodeOf(new ValidationError('x', 'bad'))).toBe(4);
    expect(exitCodeOf(new S3BenchError('S3BENCH_RESULT_INVALID', 'bad'))).toBe(4);
    expect(exitCodeOf(new StorageError('STORAGE_DISK_NOT_FOUND', 'no such disk'))).toBe(4);
    // Not the caller's input.
    expect(exitCodeOf(new NotFoundError('node', 'n1'))).toBe(3);
    expect(exitCodeOf(new RolloutLockedError('lab', 'me'))).toBe(3);
    expect(exitCodeOf(new DatabaseUnavailableError('away'))).toBe(3);
    expect(exitCodeOf(new CommandTimeoutError('local', 'sleep 9', 10))).toBe(3);
    expect(exitCodeOf(new ConsulRequestError('get', 0, 'ECONNREFUSED'))).toBe(3);
    expect(exitCodeOf(new IpamError('IPAM_EXHAUSTED', 'full'))).toBe(3);
    expect(exitCodeOf(new FleetError('SOMETHING', 'unclassified'))).toBe(3);
    expect(exitCodeOf(new Error('plain'))).toBe(3);
    expect(exitCodeOf(new CliError('SERVER_UNREACHABLE', 'down', { kind: 'unavailable' }))).toBe(3);
    // A server's answer is an API error even when it was about the request's input.
    expect(exitCodeOf(new MachineDbError('VALIDATION_FAILED', 400, 'setLocation', 'bad rack'))).toBe(3);
  });

  it('names a server that does not answer SERVER_UNREACHABLE in every command group', async () => {
    const env = { FLEET_URL: 'http://127.0.0.1:9', FLEET_TOKEN: 'not-a-token' };
    const [nodes, ipam] = await Promise.all([
      runInProcess(['nodes', 'list'], env),
      runInProcess(['ipam', 'pools'], env),
    ]);
    for (const run of [nodes, ipam]) {
      expect(run.code).toBe(3);
      expect(oneErrorLine(run)).toMatch(
        /^fleet: SERVER_UNREACHABLE: cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)/,
      );
    }
  });
});
