#!/usr/bin/env node
// The `fleet` command. This file is committed, not built, so `pnpm install` can link it on a fresh clone
// (root `node_modules/.bin/fleet`, run as `pnpm fleet …`); it loads the bundle from dist/ when it runs.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    'fleet: CLI_NOT_BUILT: examples/cli/dist/cli.js is missing: run "pnpm build" (or "pnpm start") in the repository\n',
  );
  process.exit(4);
}
await import(bundle.href);
