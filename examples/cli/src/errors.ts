import { type ErrorKind, errorKindOf, FleetError, type FleetErrorOptions, isFleetError } from '@fleet/core';

/** Exit codes scripts can rely on (the table in the README). */
export const EXIT = { ok: 0, findings: 1, usage: 2, api: 3, config: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Where bad input came from, which the README's table tells apart: a flag or argument the user typed
 * (`usage`, exit 2) or the config or an input file (`file`, exit 4). Only the CLI knows this, so only the
 * CLI's own errors say it; a package's `invalid` error is about data the CLI read from a file.
 */
export type InputSource = 'usage' | 'file';

export interface CliErrorOptions extends FleetErrorOptions {
  /** For `kind: 'invalid'` (the default): where the bad input came from; `usage` unless said. */
  input?: InputSource;
}

/** An error the CLI raises itself: its kind (default `invalid`) and, for bad input, where it came from. */
export class CliError extends FleetError {
  override name = 'CliError' as const;
  readonly input: InputSource;
  constructor(code: string, message: string, options: CliErrorOptions = {}) {
    const { input = 'usage', ...rest } = options;
    super(code, message, { kind: 'invalid', ...rest });
    this.input = input;
  }
}

export const usageError = (message: string, options: FleetErrorOptions = {}): CliError =>
  new CliError('USAGE', message, { ...options, input: 'usage' });
export const configError = (message: string, options: FleetErrorOptions = {}): CliError =>
  new CliError('CONFIG_INVALID', message, { ...options, input: 'file' });

/**
 * The one code for "the fleet server does not answer", whichever command group (MachineDB client or the
 * server's own routes) found out: `SERVER_UNREACHABLE`, exit 3.
 */
export function serverUnreachable(origin: string, errno: string, cause: unknown): CliError {
  return new CliError(
    'SERVER_UNREACHABLE',
    `cannot reach ${origin} (${errno}): check FLEET_URL and that the server runs`,
    {
      kind: 'unavailable',
      retryable: true,
      cause,
      details: { errno },
    },
  );
}

/** Every kind other than `invalid` is a failure on the way to or inside a server or node (README: exit 3). */
const EXIT_BY_KIND: Readonly<Record<ErrorKind, ExitCode>> = {
  invalid: EXIT.config,
  'not-found': EXIT.api,
  conflict: EXIT.api,
  unauthenticated: EXIT.api,
  forbidden: EXIT.api,
  unavailable: EXIT.api,
  internal: EXIT.api,
};

/**
 * The exit code for anything thrown by a command, from its kind: the one place the CLI decides it.
 * An error answer from a server (it carries the HTTP `status`) is an API error (3) whatever its kind;
 * bad input is 2 when it came from a flag or argument, 4 when it came from the config or an input file.
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (!isFleetError(error)) return EXIT.api;
  if (typeof (error as { status?: unknown }).status === 'number') return EXIT.api;
  const kind = errorKindOf(error);
  if (kind === 'invalid' && error instanceof CliError) return error.input === 'usage' ? EXIT.usage : EXIT.config;
  return EXIT_BY_KIND[kind];
}

/** `CODE: message` on one line, whatever was thrown (never a stack trace). */
export function errorLine(error: unknown): string {
  if (isFleetError(error)) return `${error.code}: ${oneLine(error.message)}`;
  if (error instanceof Error) {
    const raw = (error as { code?: unknown }).code;
    const code = typeof raw === 'string' ? raw : 'INTERNAL';
    return `${code}: ${oneLine(error.message)}`;
  }
  return `INTERNAL: ${oneLine(String(error))}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
