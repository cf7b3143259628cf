import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createLocalExecutor, resolveLocalExecutorOptions } from '../src/index.js';
import { HOSTILE_ARGS } from './remote-command.test.js';

describe('createLocalExecutor', () => {
  const local = createLocalExecutor();

  it('passes arguments literally, with no shell in between', async () => {
    const result = await local.run('printf', ['%s\\0', ...HOSTILE_ARGS]);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(HOSTILE_ARGS);
  });

  it('returns exit code, stdout and stderr without throwing on failure', async () => {
    const result = await local.run('sh', ['-c', 'echo out; echo err >&2; exit 3']);
    expect(result).toMatchObject({ code: 3, stdout: 'out\n', stderr: 'err\n' });
  });

  it('writes stdin', async () => {
    expect((await local.run('cat', [], { stdin: 'line1\nline2\n' })).stdout).toBe('line1\nline2\n');
    expect((await local.run('wc', ['-c'], { stdin: new Uint8Array([1, 2, 3]) })).stdout.trim()).toBe('3');
  });

  it('reports a missing program as code 127, like a shell', async () => {
    const result = await local.run('fleet-no-such-program', ['x']);
    expect(result.code).toBe(127);
    expect(result.stderr).toMatch(/command not found/);
  });

  it('merges executor and per-call environment and honours cwd', async () => {
    const executor = createLocalExecutor({ env: { FLEET_A: 'a', FLEET_B: 'b' } });
    const result = await executor.run('sh', ['-c', 'printf "%s %s %s" "$FLEET_A" "$FLEET_B" "$PWD"'], {
      env: { FLEET_B: 'override' },
      cwd: '/tmp',
    });
    expect(result.stdout).toBe('a override /tmp');
  });

  it('kills a command and its children on timeout', async () => {
    const marker = `sleep 30.${process.pid}${Date.now() % 1000}`;
    // The child sleeps in the background, holding stdout open: only killing the group lets us return.
    const run = local.run('sh', ['-c', `${marker} & wait`], { timeoutMs: 300 });
    await expect(run).rejects.toMatchObject({ code: 'EXEC_TIMEOUT', name: 'CommandTimeoutError' });
    const left = execFileSync('ps', ['-eo', 'args'])
      .toString()
      .split('\n')
      .filter((l) => l.startsWith(marker));
    expect(left).toEqual([]);
  });

  it('applies defaultTimeoutMs to commands that set none', async () => {
    const executor = createLocalExecutor({ defaultTimeoutMs: 200 });
    await expect(executor.run('sleep', ['10'])).rejects.toMatchObject({ code: 'EXEC_TIMEOUT' });
  });

  it('stops on abort, and refuses to start when already aborted', async () => {
    const controller = new AbortController();
    const run = local.run('sleep', ['10'], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('operator halted')), 50);
    await expect(run).rejects.toMatchObject({ code: 'EXEC_ABORTED' });
    await expect(local.run('true', [], { signal: controller.signal })).rejects.toMatchObject({ code: 'EXEC_ABORTED' });
  });

  it('masks secrets in error messages', async () => {
    const run = local.run('sh', ['-c', 'sleep 10', 'hunter2'], { timeoutMs: 100, secrets: ['hunter2'] });
    const error = (await run.catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('hunter2');
    expect(error.message).toContain('***');
  });

  it('refuses NUL in arguments and bad options', async () => {
    await expect(local.run('echo', ['a\0b'])).rejects.toMatchObject({ code: 'EXEC_INVALID_ARGUMENT' });
    expect(() => resolveLocalExecutorOptions({ defaultTimeoutMs: -1 })).toThrow(/defaultTimeoutMs/);
  });
});
