#!/usr/bin/env node
// The `fleet-agent` command. Committed, not built, so installing the workspace can link it before the
// package is built; it loads the bundle from dist/ when it runs.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/fleet-agent.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('fleet-agent: dist/fleet-agent.js is missing: build @fleet/machinedb-client first (pnpm build)\n');
  process.exit(2);
}
await import(bundle.href);
