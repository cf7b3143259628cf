import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ConsulClient, ConsulEndpoint } from '@fleet/consul';
import { type Executor, formatTable } from '@fleet/core';
import type {
  Argv,
  BatchSize,
  ProgressStore,
  RolloutCoordinator,
  RolloutEvent,
  RolloutNode,
  RolloutOptions,
  RolloutPlan,
} from '@fleet/rollout';
import { machineDb } from '../api.js';
import { type Command, type CommandContext, printJson, readJsonFile, str, type Values } from '../command.js';
import { CliError, configError, usageError } from '../errors.js';
import { intFlag, listFlag, requireFlag, requirePositional } from '../flags.js';

const PORTS_OPTIONS = {
  consul: {
    type: 'string',
    arg: 'ADDR',
    description:
      'Consul agent (host:port or http(s)://host:port, as CONSUL_HTTP_ADDR) for the lock, red button and progress (env FLEET_CONSUL_URL; default: none)',
  },
  'state-dir': {
    type: 'string',
    arg: 'DIR',
    description: 'local lock and progress without Consul (default: config rolloutStateDir, else ./.fleet-rollout)',
  },
} as const;

interface Ports {
  coordinator: RolloutCoordinator;
  store: ProgressStore;
  consul: ConsulClient | undefined;
  stateDir: string;
}

/** Consul when configured (shared lock, red button and progress), else a local state directory. */
async function portsFor(ctx: CommandContext): Promise<Ports> {
  const {
    DEFAULT_STATE_DIR,
    createConsulCoordinator,
    createConsulProgressStore,
    createDefaultProgressStore,
    createLocalCoordinator,
  } = await import('@fleet/rollout');
  const config = ctx.config();
  const consulUrl = str(ctx.values, 'consul') ?? config.consulUrl;
  const stateDir = resolve(ctx.io.cwd, str(ctx.values, 'state-dir') ?? config.rolloutStateDir ?? DEFAULT_STATE_DIR);
  if (consulUrl) {
    const { closeConsul, createConsul, resolveConsulEndpoint } = await import('@fleet/consul');
    let endpoint: ConsulEndpoint;
    try {
      endpoint = resolveConsulEndpoint({ address: consulUrl, field: 'Consul address' }, ctx.io.env);
    } catch (error) {
      throw configError(`${(error as Error).message} (--consul, FLEET_CONSUL_URL or consulUrl)`);
    }
    const consul = createConsul({
      host: endpoint.host,
      port: endpoint.port,
      secure: endpoint.secure,
      ...(endpoint.token ? { token: endpoint.token } : {}),
    });
    const store = createConsulProgressStore(consul);
    ctx.onClose(async () => {
      await store.close();
      closeConsul(consul);
    });
    return { coordinator: createConsulCoordinator(consul), store, consul, stateDir };
  }
  const store = createDefaultProgressStore(stateDir);
  ctx.onClose(() => store.close());
  return { coordinator: createLocalCoordinator(stateDir), store, consul: undefined, stateDir };
}

async function targetsFor(ctx: CommandContext, cluster: string): Promise<RolloutNode[]> {
  const file = str(ctx.values, 'targets');
  if (file) {
    const value = readJsonFile(ctx.io.cwd, file, 'targets file');
    if (!Array.isArray(value))
      throw configError(`targets file ${file} must hold a JSON array of { name, host?, rack? }`);
    return value as RolloutNode[];
  }
  // From MachineDB: deployed nodes of the cluster, filtered further by role/group.
  const role = str(ctx.values, 'role');
  const group = str(ctx.values, 'group');
  const nodes: RolloutNode[] = [];
  for await (const n of (await machineDb(ctx)).iterateNodes({
    cluster,
    state: 'deployed',
    ...(role ? { role } : {}),
    ...(group ? { group } : {}),
  })) {
    const host = n.addresses.find((a) => a.purpose === 'primary')?.address ?? n.fqdn ?? n.hostname ?? n.id;
    nodes.push({
      name: n.hostname ?? n.id,
      host,
      cluster,
      ...(n.location ? { rack: n.location.rack } : {}),
      ...(n.roles[0] ? { role: n.roles[0] } : {}),
      groups: n.groups,
      tags: n.tags,
    });
  }
  return nodes;
}

function batchesFrom(ctx: CommandContext): BatchSize[] | undefined {
  const list = listFlag(ctx.values, 'batches');
  if (!list) return undefined;
  return list.map((b) => {
    if (/^\d+%$/.test(b)) return b as `${number}%`;
    const n = Number(b);
    if (!Number.isInteger(n) || n < 1) throw usageError(`--batches takes sizes like 1,5,20%, got ${JSON.stringify(b)}`);
    return n;
  });
}

/**
 * `--update CMD` (repeatable): each CMD is split on spaces and tabs into a program and its arguments, never
 * run through a shell. Empty commands and control characters (newline, NUL, escape …) are usage errors.
 */
function updateCommandsFrom(values: Values): Argv[] | undefined {
  const raw = values.update;
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : [String(raw)];
  return list.map((cmd, i) => {
    const bad = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/.exec(cmd);
    if (bad)
      throw usageError(
        `--update #${i + 1} contains a control character (U+${(bad[0].codePointAt(0) ?? 0).toString(16).padStart(4, '0').toUpperCase()}): give one command per --update, no newlines`,
      );
    const argv = cmd.split(/[ \t]+/).filter((a) => a.length > 0);
    const [program, ...args] = argv;
    if (program === undefined)
      throw usageError(`--update #${i + 1} is empty: give a command such as --update "apt-get update"`);
    return [program, ...args];
  });
}

function rebootRequiredPathFrom(values: Values): string | undefined {
  const path = str(values, 'reboot-required-path');
  if (path === undefined) return undefined;
  if (!/^\/[A-Za-z0-9_./{}-]+$/.test(path) || path.split('/').includes('..'))
    throw usageError(
      `--reboot-required-path must be an absolute path of letters, digits and _./{}-, got ${JSON.stringify(path)}`,
    );
  return path;
}

interface RunFlags {
  batches: BatchSize[] | undefined;
  update: Argv[] | undefined;
  rebootRequiredPath: string | undefined;
  maxPerRack: number | undefined;
  maxFailures: number | undefined;
  quorumGroups: string[] | undefined;
}

/** Every flag of start/resume checked before anything is read, connected or released. */
function runFlagsFrom(ctx: CommandContext): RunFlags {
  return {
    batches: batchesFrom(ctx),
    update: updateCommandsFrom(ctx.values),
    rebootRequiredPath: rebootRequiredPathFrom(ctx.values),
    maxPerRack: intFlag(ctx.values, 'max-per-rack', 1, 10_000),
    maxFailures: intFlag(ctx.values, 'max-failures', 0, 10_000),
    quorumGroups: listFlag(ctx.values, 'quorum-groups'),
  };
}

async function requireTargets(ctx: CommandContext, cluster: string): Promise<RolloutNode[]> {
  const targets = await targetsFor(ctx, cluster);
  if (targets.length === 0)
    throw new CliError(
      'ROLLOUT_NO_TARGETS',
      `no targets for cluster ${cluster}: pass --targets FILE or check MachineDB`,
      { input: 'file' },
    );
  return targets;
}

/**
 * The plan as a person checks it before starting: each batch with its nodes and racks (the failure
 * domains), why a batch is smaller than asked, and where each quorum group's members go.
 */
export function renderPlan(
  cluster: string,
  targets: readonly RolloutNode[],
  plan: RolloutPlan,
  maxPerRack: number,
): string {
  const rackOf = new Map(targets.map((t) => [t.name, t.rack]));
  const lines = [
    `rollout plan for ${cluster}: ${plan.order.length} nodes in ${plan.batches.length} batches, at most ${maxPerRack} per rack, one member of each quorum group per batch (nothing was touched)`,
  ];
  // The planner takes nodes in target order; a node passed over while its batch still had room waited
  // for its rack or a quorum group: say which.
  let remaining = targets.map((t) => t.name);
  const rows = plan.batches.map((b) => {
    const inBatch = new Set(b.nodes);
    const last = Math.max(...b.nodes.map((n) => remaining.indexOf(n)));
    const considered = b.nodes.length < b.size ? remaining : remaining.slice(0, last + 1);
    // Walked in order, as the planner did: the racks and quorum groups taken so far explain each wait.
    const racksSoFar = new Map<string, number>();
    const groupsSoFar = new Set<string>();
    const held: string[] = [];
    for (const n of considered) {
      const rack = rackOf.get(n);
      const groups = plan.quorum[n] ?? [];
      if (inBatch.has(n)) {
        if (rack !== undefined) racksSoFar.set(rack, (racksSoFar.get(rack) ?? 0) + 1);
        for (const g of groups) groupsSoFar.add(g);
        continue;
      }
      const group = groups.find((g) => groupsSoFar.has(g));
      if (rack !== undefined && (racksSoFar.get(rack) ?? 0) >= maxPerRack) held.push(`${n} (rack ${rack})`);
      else held.push(`${n} (${group ? `quorum ${group}` : 'limit'})`);
    }
    remaining = remaining.filter((n) => !inBatch.has(n));
    const racks = [...new Set(b.nodes.map((n) => rackOf.get(n) ?? '-'))].sort();
    return [
      String(b.index + 1),
      `${b.nodes.length}${b.nodes.length < b.size ? `/${b.size}` : ''}`,
      racks.join(','),
      b.nodes.join(' '),
      held.length > 0 ? `waits: ${held.join(', ')}` : '',
    ];
  });
  lines.push(formatTable(['BATCH', 'NODES', 'RACKS', 'HOSTS', 'NOTE'], rows));
  const groups = new Map<string, string[]>();
  for (const [node, names] of Object.entries(plan.quorum))
    for (const g of names) groups.set(g, [...(groups.get(g) ?? []), node]);
  const batchOf = new Map(plan.batches.flatMap((b) => b.nodes.map((n) => [n, b.index + 1] as const)));
  if (groups.size === 0) lines.push('quorum: no quorum groups among the targets');
  for (const [g, members] of [...groups].sort(([a], [b]) => a.localeCompare(b)))
    lines.push(
      `quorum ${g}: ${members
        .sort((a, b) => (batchOf.get(a) ?? 0) - (batchOf.get(b) ?? 0))
        .map((m) => `${m} in batch ${batchOf.get(m)}`)
        .join(', ')}`,
    );
  return lines.join('\n');
}

async function printPlan(ctx: CommandContext, cluster: string, flags: RunFlags): Promise<number> {
  const targets = await requireTargets(ctx, cluster);
  const { planRollout } = await import('@fleet/rollout');
  const maxPerRack = flags.maxPerRack ?? 1;
  const plan = planRollout(targets, {
    maxPerRack,
    ...(flags.batches ? { batches: flags.batches } : {}),
    ...(flags.quorumGroups ? { quorumGroups: flags.quorumGroups } : {}),
  });
  if (ctx.json) printJson(ctx.io, { cluster, dryRun: true, maxPerRack, ...plan });
  else ctx.io.out(renderPlan(cluster, targets, plan, maxPerRack));
  return 0;
}

/**
 * What the terminal shows while a rollout runs: one line per batch ("n of N done") and whatever stops or
 * worries it; every event, with its time, goes to the log file.
 */
function progressReporter(
  ctx: CommandContext,
  logFile: string,
  formatEvent: (e: RolloutEvent) => string,
  doneBefore: number,
) {
  mkdirSync(dirname(logFile), { recursive: true });
  let total = 0;
  let batches = 0;
  let done = doneBefore;
  let failed = 0;
  let batchStart = 0;
  return (event: RolloutEvent): void => {
    appendFileSync(logFile, `${new Date(event.at).toISOString()} ${formatEvent(event)}\n`);
    switch (event.type) {
      case 'rollout-started':
        total = event.nodes;
        batches = event.batches;
        ctx.io.err(
          `rollout ${event.id} of ${event.cluster} ${event.resumed ? 'resumed' : 'started'}: ${event.nodes} nodes in ${event.batches} batches; details in ${logFile}`,
        );
        break;
      case 'batch-started':
        batchStart = event.at;
        break;
      case 'node-finished':
        if (event.state === 'done') done++;
        else if (event.state === 'failed') failed++;
        break;
      case 'batch-finished':
        ctx.io.err(
          `batch ${event.batch + 1}/${batches}: ${done} of ${total} done${failed ? `, ${failed} failed` : ''} (${Math.round((event.at - batchStart) / 1000)} s)`,
        );
        break;
      case 'anomaly':
      case 'stopping':
      case 'waiting':
        ctx.io.err(formatEvent(event));
        break;
      default:
        break;
    }
  };
}

async function start(
  ctx: CommandContext,
  cluster: string,
  flags: RunFlags = runFlagsFrom(ctx),
  given?: Ports,
): Promise<number> {
  const { batches, update, rebootRequiredPath, maxPerRack, maxFailures, quorumGroups } = flags;
  const ports = given ?? (await portsFor(ctx));
  const { createConsulHealthSource, formatEvent, formatSummary, readRolloutStatus, runRollout } = await import(
    '@fleet/rollout'
  );
  // A resumed rollout counts the nodes an earlier run finished: "n of N done" is about the whole rollout.
  const before = ctx.values.fresh === true ? null : await readRolloutStatus(ports.store, cluster);
  const doneBefore = before && before.state !== 'done' ? before.counts.done : 0;
  const { createSshPool } = await import('@fleet/exec');
  const targets = await requireTargets(ctx, cluster);
  const ssh = ctx.config().ssh;
  const identity = str(ctx.values, 'identity') ?? ssh.identity;
  const knownHosts = str(ctx.values, 'known-hosts') ?? ssh.knownHosts;
  if (!identity || !knownHosts)
    throw configError(
      'rollouts reach nodes over SSH: pass --identity KEY and --known-hosts FILE (or set ssh in the config file)',
    );
  let privateKey: string;
  try {
    privateKey = readFileSync(resolve(ctx.io.cwd, identity), 'utf8');
  } catch {
    throw configError(`cannot read the SSH key ${identity}`);
  }
  const pool = createSshPool({
    username: str(ctx.values, 'ssh-user') ?? ssh.user ?? 'root',
    privateKey,
    knownHostsPath: resolve(ctx.io.cwd, knownHosts),
  });
  ctx.onClose(() => pool.close());
  const options: RolloutOptions = {
    cluster,
    targets,
    executorFor: (node): Executor =>
      pool.executor({ host: node.host ?? node.name, ...(node.port ? { port: node.port } : {}) }),
    stateDir: ports.stateDir,
    coordinator: ports.coordinator,
    store: ports.store,
    ...(ports.consul ? { health: createConsulHealthSource(ports.consul) } : {}),
    ...(batches ? { batches } : {}),
    ...(update ? { update } : {}),
    ...(rebootRequiredPath ? { rebootRequiredPath } : {}),
    ...(maxPerRack ? { maxPerRack } : {}),
    ...(maxFailures !== undefined ? { maxFailures } : {}),
    ...(quorumGroups ? { quorumGroups } : {}),
    ...(ctx.values.fresh === true ? { fresh: true } : {}),
    handleSignals: true,
    onEvent: progressReporter(
      ctx.json ? { ...ctx, io: { ...ctx.io, err: () => {} } } : ctx,
      resolve(
        ctx.io.cwd,
        str(ctx.values, 'log') ??
          join(ports.stateDir, `${cluster}-${new Date().toISOString().replace(/[:.]/g, '-')}.log`),
      ),
      formatEvent,
      doneBefore,
    ),
  };
  const result = await runRollout(options);
  if (ctx.json) printJson(ctx.io, { ...result, events: undefined });
  else ctx.io.out(formatSummary(result));
  return result.state === 'done' ? 0 : 1;
}

const START_OPTIONS = {
  ...PORTS_OPTIONS,
  targets: {
    type: 'string',
    arg: 'FILE',
    description:
      'nodes from a JSON file [{ name, host, port, rack }] (default: deployed nodes of the cluster in MachineDB)',
  },
  role: { type: 'string', arg: 'R', description: 'only MachineDB nodes with this role' },
  group: { type: 'string', arg: 'G', description: 'only MachineDB nodes in this group' },
  batches: {
    type: 'string',
    arg: 'SIZES',
    description: 'batch sizes: counts or percentages of the nodes (default: 1,5,20%)',
  },
  'max-per-rack': {
    type: 'string',
    arg: 'N',
    description: 'at most N nodes of one rack in a batch (default: no limit)',
  },
  'max-failures': { type: 'string', arg: 'N', description: 'halt once N nodes have failed (default: 1)' },
  fresh: { type: 'boolean', description: 'start over instead of resuming an unfinished rollout' },
  'quorum-groups': {
    type: 'string',
    arg: 'a,b',
    description: 'groups whose members form a quorum: one member per batch (tags quorum:NAME count too)',
  },
  'dry-run': { type: 'boolean', description: 'print the plan (fleet rollout plan) and touch nothing' },
  log: {
    type: 'string',
    arg: 'FILE',
    description: 'every event with its time (default: STATE-DIR/CLUSTER-TIME.log)',
  },
  update: {
    type: 'string',
    multiple: true,
    arg: 'CMD',
    description: 'command run on each node instead of apt-get update/dist-upgrade, split on spaces, no shell',
  },
  'reboot-required-path': {
    type: 'string',
    arg: 'PATH',
    description: 'file whose presence means reboot (default: /var/run/reboot-required)',
  },
  identity: { type: 'string', arg: 'KEY', description: 'SSH private key (default: config ssh.identity)' },
  'known-hosts': {
    type: 'string',
    arg: 'FILE',
    description: 'host keys to check against (default: config ssh.knownHosts)',
  },
  'ssh-user': { type: 'string', arg: 'USER', description: 'SSH user (default: config ssh.user, else root)' },
} as const;

export const rolloutCommands: Command[] = [
  {
    name: 'rollout start',
    summary: 'update a cluster in batches (resumes an unfinished rollout); exit 1 unless every node is done',
    usage:
      'CLUSTER [--targets FILE | --role R --group G] [--batches 1,5,20%] [--max-per-rack N] [--update CMD …] [--reboot-required-path PATH] [--identity KEY --known-hosts FILE] [--consul ADDR | --state-dir DIR]',
    options: START_OPTIONS,
    examples: [
      'fleet rollout start prod --role compute --batches 1,5,20% --identity ~/.ssh/fleet --known-hosts ~/.ssh/known_hosts',
      'fleet rollout start lab --targets lab-nodes.json --consul http://127.0.0.1:8500',
      'fleet rollout start lab --targets lab-nodes.json --update "apt-get update" --update "apt-get -y upgrade openssl"',
    ],
    async run(ctx) {
      const cluster = requirePositional(ctx.positionals, 0, 'CLUSTER (fleet rollout start prod)');
      if (ctx.values['dry-run'] === true) return await printPlan(ctx, cluster, runFlagsFrom(ctx));
      return await start(ctx, cluster);
    },
  },
  {
    name: 'rollout plan',
    summary: 'print the batches, racks and quorum decisions a rollout would make, touching no node',
    usage: 'CLUSTER [--targets FILE | --role R --group G] [--batches 1,5,20%] [--max-per-rack N] [--quorum-groups a,b]',
    options: {
      targets: START_OPTIONS.targets,
      role: START_OPTIONS.role,
      group: START_OPTIONS.group,
      batches: START_OPTIONS.batches,
      'max-per-rack': START_OPTIONS['max-per-rack'],
      'quorum-groups': START_OPTIONS['quorum-groups'],
    },
    examples: [
      'fleet rollout plan prod --role compute --batches 1,5,20%',
      'fleet rollout plan lab --targets lab-nodes.json --quorum-groups galera,rabbitmq --json',
    ],
    async run(ctx) {
      const cluster = requirePositional(ctx.positionals, 0, 'CLUSTER (fleet rollout plan prod)');
      return await printPlan(ctx, cluster, runFlagsFrom(ctx));
    },
  },
  {
    name: 'rollout halt',
    summary: 'press the red button: no new node starts (takes effect in under a second)',
    usage: 'CLUSTER --reason TEXT [--consul ADDR | --state-dir DIR]',
    options: {
      ...PORTS_OPTIONS,
      reason: { type: 'string', arg: 'TEXT', description: 'why (required), shown to whoever looks' },
      by: { type: 'string', arg: 'NAME', description: 'who pressed it (default: $USER)' },
    },
    examples: ['fleet rollout halt prod --reason "latency alarm on r07"'],
    async run(ctx) {
      const cluster = requirePositional(ctx.positionals, 0, 'CLUSTER (fleet rollout halt prod --reason TEXT)');
      const reason = requireFlag(ctx.values, 'reason', 'say why, e.g. --reason "latency alarm"');
      const by = str(ctx.values, 'by') ?? ctx.io.env.USER;
      const { haltRollout } = await import('@fleet/rollout');
      await haltRollout((await portsFor(ctx)).coordinator, cluster, { reason, ...(by ? { by } : {}) });
      if (ctx.json) printJson(ctx.io, { cluster, halted: true, reason });
      else ctx.io.out(`halted rollout of ${cluster}: ${reason}`);
      return 0;
    },
  },
  {
    name: 'rollout resume',
    summary: 'release the red button, then continue the rollout (same flags as start)',
    usage: 'CLUSTER [start flags]',
    options: START_OPTIONS,
    examples: ['fleet rollout resume prod --role compute --identity ~/.ssh/fleet --known-hosts ~/.ssh/known_hosts'],
    async run(ctx) {
      const cluster = requirePositional(ctx.positionals, 0, 'CLUSTER (fleet rollout resume prod)');
      const flags = runFlagsFrom(ctx);
      if (ctx.values['dry-run'] === true) return await printPlan(ctx, cluster, flags);
      const ports = await portsFor(ctx);
      const { clearRolloutHalt } = await import('@fleet/rollout');
      await clearRolloutHalt(ports.coordinator, cluster);
      if (!ctx.json) ctx.io.err(`released the halt of ${cluster}`);
      return await start(ctx, cluster, flags, ports);
    },
  },
  {
    name: 'rollout status',
    summary: "a cluster's rollout: state and every node's progress",
    usage: 'CLUSTER [--consul ADDR | --state-dir DIR]',
    options: PORTS_OPTIONS,
    examples: ['fleet rollout status prod', 'fleet rollout status prod --json'],
    async run(ctx) {
      const cluster = requirePositional(ctx.positionals, 0, 'CLUSTER (fleet rollout status prod)');
      const ports = await portsFor(ctx);
      const { formatSummary, readRolloutStatus } = await import('@fleet/rollout');
      const status = await readRolloutStatus(ports.store, cluster);
      if (!status)
        throw new CliError(
          'ROLLOUT_NOT_FOUND',
          `no rollout recorded for ${cluster} in ${ports.consul ? 'Consul' : ports.stateDir}`,
          { kind: 'not-found' },
        );
      const halt = await ports.coordinator.readHalt(cluster);
      if (ctx.json) printJson(ctx.io, { ...status, halt: halt ?? null });
      else {
        if (halt) ctx.io.out(`HALTED: ${halt.reason ?? ''}${halt.by ? ` (by ${halt.by})` : ''}`);
        ctx.io.out(formatSummary(status));
      }
      return status.state === 'failed' ? 1 : 0;
    },
  },
];
