import { type DriftReport, formatDriftFindings } from '@fleet/consul';
import { callServerJson } from '../api.js';
import { type Command, printJson } from '../command.js';
import { usageError } from '../errors.js';
import { requirePositional } from '../flags.js';

export const loginCommand: Command = {
  name: 'login',
  summary: 'log in and print a session token (password from FLEET_PASSWORD, a prompt, or stdin)',
  usage: 'USER',
  examples: ['export FLEET_TOKEN=$(fleet login admin)', 'pass show fleet/admin | fleet login admin'],
  async run(ctx) {
    const username = requirePositional(ctx.positionals, 0, 'user name (fleet login USER)');
    let password = ctx.io.env.FLEET_PASSWORD;
    if (password === undefined)
      password = ctx.io.promptSecret
        ? await ctx.io.promptSecret(`password for ${username}: `)
        : (await ctx.io.readStdin()).replace(/\r?\n$/, '');
    if (!password) throw usageError('no password: type it at the prompt, set FLEET_PASSWORD or pipe it on stdin');
    const config = ctx.config();
    const { createMachineDbClient } = await import('@fleet/machinedb-client');
    const client = createMachineDbClient({ baseUrl: config.url, retries: 0, userAgent: 'fleet-cli' });
    ctx.onClose(() => client.close());
    const session = await client.login({ username, password });
    if (ctx.json) printJson(ctx.io, session);
    else ctx.io.out(session.token);
    return 0;
  },
};

export const driftCommand: Command = {
  name: 'drift',
  summary: 'compare MachineDB with Consul (exit 1 when anything drifted)',
  usage: '',
  examples: ['fleet drift', 'fleet drift --json | jq ".findings[] | select(.kind==\\"absent\\")"'],
  async run(ctx) {
    const report = await callServerJson<DriftReport>(ctx, { method: 'GET', path: '/api/v1/drift' });
    if (ctx.json) printJson(ctx.io, report);
    else {
      const dcs = report.datacenters
        .map((d) => `${d.name}: ${d.reachable ? `${d.nodes} nodes` : `unreachable (${d.error ?? ''})`}`)
        .join(', ');
      ctx.io.out(
        `checked ${report.checkedAt} — ${dcs}; ${report.matching} matching, ${report.findings.length} finding(s)`,
      );
      if (report.findings.length > 0) {
        ctx.io.out(formatDriftFindings(report.findings));
      }
    }
    return report.ok && report.findings.length === 0 ? 0 : 1;
  },
};
