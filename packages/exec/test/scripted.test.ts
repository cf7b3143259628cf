import { describe, expect, it } from 'vitest';
import { createScriptedExecutor } from '../src/index.js';

describe('createScriptedExecutor (test double)', () => {
  it('answers from the script in order of match and records calls', async () => {
    const executor = createScriptedExecutor([
      { command: 'lsblk', args: ['-J'], stdout: '{"blockdevices":[]}' },
      { command: 'wipefs', args: (args) => args.includes('-a'), code: 1, stderr: 'busy' },
      { command: 'uname', stdout: 'Linux\n', repeat: true },
    ]);
    expect((await executor.run('uname', ['-s'])).stdout).toBe('Linux\n');
    expect((await executor.run('uname', [])).stdout).toBe('Linux\n');
    expect(await executor.run('wipefs', ['-a', '/dev/x'])).toMatchObject({ code: 1, stderr: 'busy' });
    expect(executor.unused().map((r) => r.command)).toEqual(['lsblk']);
    await expect(executor.run('lsblk', ['-b'])).rejects.toMatchObject({ code: 'EXEC_UNSCRIPTED' });
    await executor.run('lsblk', ['-J']);
    expect(executor.unused()).toEqual([]);
    expect(executor.calls.map((c) => c.line)).toEqual([
      'uname -s',
      'uname',
      'wipefs -a /dev/x',
      'lsblk -b',
      'lsblk -J',
    ]);
  });

  it('throws scripted errors', async () => {
    const executor = createScriptedExecutor([{ command: 'reboot', error: new Error('connection lost') }]);
    await expect(executor.run('reboot', [])).rejects.toThrow('connection lost');
  });
});
