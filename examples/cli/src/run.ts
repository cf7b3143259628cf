import { parseArgs } from 'node:util';
import { isFleetError } from '@fleet/core';
import type { Command, CommandContext, OptionSpec, Values } from './command.js';
import { bootCommands } from './commands/boot.js';
import { completeCommand, completionCommand } from './commands/completion.js';
import { ipamCommands } from './commands/ipam.js';
import { driftCommand, loginCommand } from './commands/misc.js';
import { netcheckCommands } from './commands/netcheck.js';
import { nodesCommands } from './commands/nodes.js';
import { rolloutCommands } from './commands/rollout.js';
import { s3benchCommands } from './commands/s3bench.js';
import { storageCommands } from './commands/storage.js';
import { type CliConfig, loadCliConfig } from './config.js';
import { CliError, serverUnreachable, usageError } from './errors.js';
import { parserOptions, renderOptions } from './help.js';
import type { CliIo } from './io.js';

export const VERSION = '0.1.0';

export const GLOBAL_OPTIONS: OptionSpec = {
  json: { type: 'boolean', description: 'machine-readable output on stdout' },
  config: {
    type: 'string',
    arg: 'FILE',
    description: 'config file (env FLEET_CONFIG; default ~/.config/fleet/config.json when it exists)',
  },
  url: { type: 'string', arg: 'URL', description: 'server URL (env FLEET_URL; default http://127.0.0.1:8080)' },
  token: { type: 'string', arg: 'TOKEN', description: 'API or session token (env FLEET_TOKEN; see fleet login)' },
  help: { type: 'boolean', short: 'h', description: 'this help' },
};

export const COMMANDS: readonly Command[] = [
  loginCommand,
  ...nodesCommands,
  ...ipamCommands,
  ...bootCommands,
  ...storageCommands,
  ...rolloutCommands,
  ...netcheckCommands,
  ...s3benchCommands,
  driftCommand,
  completionCommand(() => COMMANDS),
  completeCommand,
];

const GLOBAL_HELP = [
  'Global options (every command):',
  ...renderOptions(GLOBAL_OPTIONS),
  '',
  'Exit codes: 0 ok, 1 check failed or findings, 2 usage error, 3 API/server error, 4 config error.',
].join('\n');

function groupsOf(): Map<string, Command[]> {
  const groups = new Map<string, Command[]>();
  for (const c of COMMANDS) {
    const g = c.name.split(' ')[0] as string;
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  return groups;
}

function topHelp(): string {
  const lines = [
    'fleet — run a bare-metal fleet from the shell',
    '',
    'Usage: fleet <command> [subcommand] [options]',
    '',
    'Commands:',
  ];
  for (const c of COMMANDS) if (!c.name.startsWith('__')) lines.push(`  ${c.name.padEnd(22)} ${c.summary}`);
  lines.push(
    '',
    GLOBAL_HELP,
    '',
    'Examples:',
    '  export FLEET_TOKEN=$(fleet login admin)',
    '  fleet nodes list --state deployed',
    '  fleet nodes show cmp-0001          (a node by id, hostname, MAC or serial)',
    '  fleet ipam allocate --pool primary --node cmp-0001',
    '  fleet nodes --help',
  );
  return lines.join('\n');
}

function groupHelp(group: string, commands: Command[]): string {
  const lines = [`Usage: fleet ${group} <subcommand> [options]`, '', 'Subcommands:'];
  for (const c of commands) lines.push(`  ${c.name.slice(group.length + 1).padEnd(16)} ${c.summary}`);
  lines.push('', `Run "fleet ${group} <subcommand> --help" for its options and examples.`);
  return lines.join('\n');
}

function commandHelp(c: Command): string {
  const lines = [`Usage: fleet ${c.name}${c.usage ? ` ${c.usage}` : ''} [--json]`, '', c.summary];
  if (Object.keys(c.options ?? {}).length > 0) lines.push('', 'Options:', ...renderOptions(c.options ?? {}));
  lines.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`), '', GLOBAL_HELP);
  return lines.join('\n');
}

/** Finds the command named by the first one or two words; the rest is its arguments. */
function resolveCommand(argv: readonly string[]): { command?: Command; rest: string[]; group?: string } {
  const [first, second] = argv;
  const two = COMMANDS.find((c) => c.name === `${first} ${second}`);
  if (two) return { command: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === first);
  if (one) return { command: one, rest: argv.slice(1) };
  if (first && groupsOf().has(first)) return { rest: argv.slice(1), group: first };
  return { rest: [...argv] };
}

/**
 * Runs one CLI invocation. Returns the exit code (0, or 1 for findings); every other outcome is a thrown
 * FleetError that `main` turns into one line and its exit code. Never calls process.exit.
 */
export async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(topHelp());
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === '--version') {
    io.out(VERSION);
    return 0;
  }
  const { command, rest, group } = resolveCommand(argv);
  if (!command) {
    if (group) {
      const commands = groupsOf().get(group) ?? [];
      if (rest.length === 0 || rest[0] === '--help' || rest[0] === '-h') {
        io.out(groupHelp(group, commands));
        return rest.length === 0 ? 2 : 0;
      }
      throw usageError(
        `unknown subcommand "${group} ${rest[0]}": try one of ${commands.map((c) => c.name.slice(group.length + 1)).join(', ')}`,
      );
    }
    throw usageError(`unknown command ${JSON.stringify(argv[0])}: run "fleet --help" for the list`);
  }
  let values: Values;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      options: parserOptions({ ...GLOBAL_OPTIONS, ...command.options }),
      allowPositionals: true,
      strict: true,
    });
    values = parsed.values as Values;
    positionals = parsed.positionals;
  } catch (error) {
    // node:util messages are multi-line with a hint; keep the first sentence.
    const message = ((error as Error).message.split('\n')[0] ?? 'bad arguments').replace(/\. To specify.*$/, '');
    throw usageError(`${command.name}: ${message} (see fleet ${command.name} --help)`);
  }
  if (values.help === true) {
    io.out(commandHelp(command));
    return 0;
  }
  let config: CliConfig | undefined;
  const closers: Array<() => Promise<void> | void> = [];
  const ctx: CommandContext = {
    io,
    values,
    positionals,
    json: values.json === true,
    config: () => {
      config ??= loadCliConfig(io.env, io.cwd, {
        ...(typeof values.config === 'string' ? { config: values.config } : {}),
        ...(typeof values.url === 'string' ? { url: values.url } : {}),
        ...(typeof values.token === 'string' ? { token: values.token } : {}),
      });
      return config;
    },
    onClose: (close) => closers.push(close),
  };
  try {
    return await command.run(ctx);
  } catch (error) {
    // Without any token the server's answer ("send Authorization: Bearer …") is about HTTP, not the CLI.
    if (config !== undefined && !config.token && (error as { status?: unknown }).status === 401)
      throw new CliError(
        'UNAUTHENTICATED',
        `${config.url} wants a login and no token is set: run "fleet login USER" and export FLEET_TOKEN (or pass --token)`,
        { kind: 'unauthenticated' },
      );
    // The MachineDB client's name for a server that does not answer is the CLI's SERVER_UNREACHABLE here.
    if (config !== undefined && isFleetError(error) && error.code === 'MACHINEDB_UNREACHABLE')
      throw serverUnreachable(new URL(config.url).origin, String(error.details.errno ?? 'error'), error);
    throw error;
  } finally {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch {
        // closing is best effort: the command's own outcome is what counts
      }
    }
  }
}
