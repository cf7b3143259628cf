#!/usr/bin/env node
import { errorLine, exitCodeOf } from './errors.js';
import { processIo } from './io.js';
import { runCommand } from './run.js';

/** The only place that exits: one line on stderr for any error, never a stack trace. */
async function main(): Promise<void> {
  const io = processIo();
  let code: number;
  try {
    code = await runCommand(process.argv.slice(2), io);
  } catch (error) {
    io.err(`fleet: ${errorLine(error)}`);
    code = exitCodeOf(error);
  }
  // Let stdout drain before exiting (large --json output into a pipe).
  process.stdout.write('', () => process.exit(code));
}

void main();
