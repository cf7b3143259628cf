import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecResult } from '@fleet/core';

/** Appends to `<logDir>/<node>.log`: every step, command, exit code and output, with timestamps. */
export interface NodeLog {
  readonly file: string;
  line(text: string): void;
  command(commandLine: string, result: ExecResult | undefined, error?: unknown): void;
  close(): void;
}

function indent(text: string, prefix: string): string {
  const trimmed = text.replace(/\s+$/, '');
  return trimmed
    ? `${trimmed
        .split('\n')
        .map((l) => `${prefix}${l}`)
        .join('\n')}\n`
    : '';
}

/**
 * Synchronous appends on purpose: the log must hold every line written before a crash (the kernel has it
 * once write() returns), and a line per step costs microseconds next to any real command.
 */
export function openNodeLog(logDir: string, node: string): NodeLog {
  mkdirSync(logDir, { recursive: true });
  const file = join(logDir, `${node}.log`);
  let fd: number | undefined = openSync(file, 'a');
  const write = (text: string) => {
    if (fd !== undefined) writeSync(fd, text);
  };
  return {
    file,
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
    line(text) {
      write(`${new Date().toISOString()} ${text}\n`);
    },
    command(commandLine, result, error) {
      const head = `${new Date().toISOString()} $ ${commandLine}\n`;
      if (result === undefined) {
        const message = error instanceof Error ? error.message : String(error);
        write(`${head}  error: ${message.replace(/\n/g, ' ')}\n`);
        return;
      }
      write(
        `${head}  exit ${result.code} (${Math.round(result.durationMs)} ms)\n${indent(result.stdout, '  | ')}${indent(result.stderr, '  ! ')}`,
      );
    },
  };
}

/** A log that writes nowhere (benches, or no log directory). */
export const discardNodeLog: NodeLog = { file: '', line() {}, command() {}, close() {} };
