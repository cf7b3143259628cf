/** Everything a command touches outside its arguments, so tests and `main` can supply their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** The whole of standard input (used by `login` when FLEET_PASSWORD is unset). */
  readStdin(): Promise<string>;
  /** Asks for a secret on the terminal without echo; absent when stdin is not a terminal. */
  promptSecret?: (prompt: string) => Promise<string>;
  env: Record<string, string | undefined>;
  cwd: string;
}

/** The real process streams. */
export function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    readStdin: async () => {
      if (process.stdin.isTTY) return '';
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    ...(process.stdin.isTTY ? { promptSecret: promptOnTerminal } : {}),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** Reads one line from the terminal in raw mode (nothing echoed); Ctrl-C or Ctrl-D gives up with ''. */
function promptOnTerminal(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    // Echo off before the prompt shows: a password typed the moment the prompt appears must not be echoed.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.resume();
    let text = '';
    const finish = (value: string): void => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          finish(text);
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          finish('');
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
  });
}
