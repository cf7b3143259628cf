#!/usr/bin/env node
// fleet-agent: the MachineDB node agent for the live system. Wiring only; the work is in runAgent().
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Executor, createLogger, describeCommand, describeError } from '@fleet/core';
import { runAgent } from './agent/agent.js';
import { createAgentExecutor } from './agent/local-executor.js';
import { createMachineDbClient } from './client.js';
import type { Inventory } from '@fleet/machinedb-contract';

const USAGE = `usage: fleet-agent --server URL [--token-file FILE] [--inventory-file FILE] [--dry-run] [--max-poll-ms N]

Enrols this machine in the MachineDB, waits until an admin has placed it, configures its BMC with ipmitool
and reports bmc-configured. The provisioning secret is read from --token-file or FLEET_PROVISIONING_TOKEN.
Stops cleanly on SIGTERM or SIGINT.`;

/** Parses arguments and runs the agent; returns the exit code (only main() calls process.exit). */
export async function runFleetAgent(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        server: { type: 'string' },
        'token-file': { type: 'string' },
        'inventory-file': { type: 'string' },
        'dry-run': { type: 'boolean' },
        'max-poll-ms': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${describeError(error)}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const server = (values.server as string | undefined) ?? env.FLEET_MACHINEDB_URL;
  if (!server) {
    process.stderr.write(`--server (or FLEET_MACHINEDB_URL) is required\n${USAGE}\n`);
    return 2;
  }
  const logger = createLogger({ json: values.json !== false });
  const tokenFile = values['token-file'] as string | undefined;
  const token = tokenFile ? readFileSync(tokenFile, 'utf8').trim() : env.FLEET_PROVISIONING_TOKEN || undefined;
  const real = createAgentExecutor();
  const executor: Executor = values['dry-run']
    ? {
        target: 'dry-run',
        async run(command, args, options) {
          // Reads (lan print, mc info) run for real; anything that changes the BMC is only logged, masked.
          const reads = args[0] === 'mc' || (args[0] === 'lan' && args[1] === 'print');
          if (command === 'ipmitool' && !reads) {
            logger.info('dry-run: would run', { command: describeCommand(command, args, options?.secrets) });
            return { code: 0, stdout: '', stderr: '', durationMs: 0 };
          }
          return await real.run(command, args, options);
        },
      }
    : real;
  const inventoryFile = values['inventory-file'] as string | undefined;
  const controller = new AbortController();
  const stop = (signal: string) => {
    logger.info('agent stopping', { signal });
    controller.abort();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  const client = createMachineDbClient({ baseUrl: server, ...(token ? { token } : {}) });
  try {
    const result = await runAgent({
      client,
      executor,
      signal: controller.signal,
      logger,
      ...(inventoryFile ? { inventory: async () => JSON.parse(readFileSync(inventoryFile, 'utf8')) as Inventory } : {}),
      ...(values['max-poll-ms'] ? { maxPollMs: Number(values['max-poll-ms']) } : {}),
    });
    logger.info('agent finished', { outcome: result.outcome, nodeId: result.nodeId, state: result.state });
    return 0;
  } catch (error) {
    logger.error('agent failed', { error: describeError(error) });
    return 1;
  } finally {
    await client.close();
  }
}

runFleetAgent(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fleet-agent: ${describeError(error)}\n`);
    process.exit(1);
  },
);
