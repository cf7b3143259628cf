import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliConfig } from './config.js';
import { configError } from './errors.js';
import type { CliIo } from './io.js';

/**
 * One option of a command: the parser reads `type`, `short`, `multiple` and `default` from it, and `--help`
 * prints the same entry, so the help can never name an option the parser does not know or miss one it does.
 */
export interface OptionDef {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** What the option means, for `--help`. */
  description?: string;
  /** The value's name in `--help` (`--limit N`); `VALUE` when absent. */
  arg?: string;
  /** Applied by the parser when the option is absent, and shown by `--help`. */
  default?: string;
}
export type OptionSpec = Readonly<Record<string, OptionDef>>;
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface CommandContext {
  io: CliIo;
  values: Values;
  positionals: string[];
  json: boolean;
  /** Loaded on first use, so pure commands work without any configuration. */
  config(): CliConfig;
  /** Closed by runCommand after the command, even when it throws. */
  onClose(close: () => Promise<void> | void): void;
}

export interface Command {
  /** `nodes list`, `drift` … */
  name: string;
  summary: string;
  /** After `fleet <name>`: `ID [--reason TEXT]`. */
  usage: string;
  options?: OptionSpec;
  /** Shell lines shown under `--help`. */
  examples: string[];
  /** Returns the exit code: 0, or 1 when a check failed or something was found. */
  run(ctx: CommandContext): Promise<number>;
}

export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** Reads and parses a JSON input file; a missing or malformed file is a config error. */
export function readJsonFile(cwd: string, file: string, what: string): unknown {
  const path = resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw configError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw configError(`${what} ${path} is not valid JSON (${(error as Error).message})`);
  }
}

export function printJson(io: CliIo, value: unknown): void {
  io.out(JSON.stringify(value, null, 2));
}
