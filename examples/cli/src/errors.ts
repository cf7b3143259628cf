import { FleetError, type FleetErrorOptions, isFleetError } from '@fleet/core';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, findings: 1, usage: 2, api: 3, config: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI raises itself, with the exit code it maps to. */
export class CliError extends FleetError {
  override name = 'CliError' as const;
  readonly exitCode: ExitCode;
  constructor(code: string, message: string, exitCode: ExitCode, options: FleetErrorOptions = {}) {
    super(code, message, options);
    this.exitCode = exitCode;
  }
}

export const usageError = (message: string): CliError => new CliError('USAGE', message, EXIT.usage);
export const configError = (message: string): CliError => new CliError('CONFIG_INVALID', message, EXIT.config);

// Package errors about the caller's own input (files, flags) are config errors; everything that went
// wrong on the way to or inside a server or node is an API error.
const INPUT_CODES =
  /^(VALIDATION_FAILED|CONFIG_.*|.*_INVALID(_.*)?|BOOTCONFIG_INVALID_INPUT|STORAGE_DISK_(NOT_FOUND|AMBIGUOUS)|STORAGE_INSUFFICIENT_SPACE|S3BENCH_(CONFIG|RESULT)_.*|NETCHECK_INVALID.*)$/;

/** The exit code for anything thrown by a command. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (isFleetError(error)) {
    if (error.code === 'STORAGE_NOT_ALLOWED') return EXIT.usage;
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number') return EXIT.api;
    if (INPUT_CODES.test(error.code)) return EXIT.config;
  }
  return EXIT.api;
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
