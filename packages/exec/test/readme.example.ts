import { describeError, runChecked } from '@fleet/core';
import { createLocalExecutor } from '@fleet/exec';

// The same Executor interface runs commands on a node over SSH, host keys checked:
//   createSshPool({ username: 'root', privateKey, knownHostsPath }).executor({ host: '10.0.0.11' })
const local = createLocalExecutor({ defaultTimeoutMs: 10_000 });

// Arguments are never parsed by a shell: '$(reboot)' stays a literal string.
const echo = await runChecked(local, 'echo', ['hello', '$(reboot)']);
console.log(echo.stdout.trim(), `on ${local.target}`);

// A non-zero exit is a result from run(), and a typed error from runChecked().
const missing = await local.run('ls', ['/no/such/dir']);
console.log('ls exited', missing.code);
await runChecked(local, 'sleep', ['5'], { timeoutMs: 200 }).catch((error: unknown) =>
  console.log(describeError(error)),
);
// prints: hello $(reboot)
// prints: ls exited 2
// prints: EXEC_TIMEOUT: sleep 5 on local did not finish within 200 ms and was killed
