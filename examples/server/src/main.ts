import { createLogger, describeError } from '@fleet/core';
import { loadServerConfig } from './config.js';
import { createFleetServer } from './server.js';

// The main job: `pnpm start`. Configuration errors end the start with one line and exit code 2.
async function main(): Promise<void> {
  const logger = createLogger({ level: (process.env.FLEET_LOG_LEVEL as 'info' | undefined) ?? 'info' });
  let config: ReturnType<typeof loadServerConfig>;
  try {
    config = loadServerConfig(process.env, process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`fleet-server: ${describeError(error)}\n`);
    process.exit(2);
  }
  const server = await createFleetServer(config, logger);
  const url = await server.listen();
  const where = config.database.kind === 'sqlite' ? `SQLite in ${config.dataDir}` : 'PostgreSQL';
  process.stdout.write(`fleet server listening on ${url} (${where})\n`);
  if (server.initialAdmin) {
    // Shown once on first start, on the terminal only: never written to the log.
    process.stdout.write(
      `first start: created admin account\n  user:     ${server.initialAdmin.username}\n  password: ${server.initialAdmin.password}\n` +
        `log in at ${url}/ or, from the repository: export FLEET_URL=${url}; export FLEET_TOKEN=$(pnpm fleet login ${server.initialAdmin.username})\n`,
    );
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info('shutting down', { signal });
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`fleet-server: shutdown failed: ${describeError(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`fleet-server: ${describeError(error)}\n`);
  process.exit(1);
});
