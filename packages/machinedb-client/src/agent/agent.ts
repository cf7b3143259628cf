import {
  backoffDelay,
  type ErrorKind,
  type Executor,
  type Logger,
  ValidationError,
  describeError,
  runChecked,
  silentLogger,
  sleep,
} from '@fleet/core';
import ipaddr from 'ipaddr.js';
import { type MachineDbClient, retryAfterOf } from '../client.js';
import type { BmcConfig, Inventory, NodeConfig, NodeState } from '@fleet/machinedb-contract';
import { MachineDbError } from '../errors.js';
import { collectInventory } from '../inventory/collect.js';

/**
 * Answers that say the request itself is wrong (bad inventory, unknown or refused credentials, a conflict):
 * sending it again unchanged cannot help. Decided from the error's kind, as every other client decision is;
 * `unavailable` (503, 429, no answer) and `internal` are waited out with backoff.
 */
const REFUSED_KINDS: ReadonlySet<ErrorKind> = new Set([
  'invalid',
  'unauthenticated',
  'forbidden',
  'not-found',
  'conflict',
]);
const refused = (error: unknown): error is MachineDbError =>
  error instanceof MachineDbError && REFUSED_KINDS.has(error.kind);

/** What the agent did, step by step (also logged). */
export type AgentEvent =
  | { type: 'inventory-collected'; notes: string[] }
  | { type: 'inventory-submitted'; nodeId: string; created: boolean; state: NodeState }
  | { type: 'waiting'; nodeId: string; state: NodeState; retryInMs: number }
  | { type: 'bmc-applied'; nodeId: string; address: string; user: string }
  | { type: 'reported'; nodeId: string; event: 'bmc-configured' | 'failed'; state: NodeState }
  | { type: 'retrying'; step: string; error: string; retryInMs: number }
  | { type: 'done'; outcome: AgentOutcome; nodeId?: string };

export type AgentOutcome = 'bmc-configured' | 'already-configured' | 'decommissioned' | 'aborted';

export interface AgentResult {
  outcome: AgentOutcome;
  nodeId?: string;
  state?: NodeState;
}

export interface RunAgentOptions {
  /** A client for the MachineDB (with the provisioning secret as token, or none when enrolment is open). */
  client: MachineDbClient;
  /** Runs ipmitool (and the inventory tools unless `inventory` is given). */
  executor: Executor;
  /** Abort (SIGTERM) to stop cleanly: a BMC step already started is finished first. */
  signal?: AbortSignal;
  /** Collects the inventory; default `collectInventory({ executor })`. */
  inventory?: () => Promise<Inventory>;
  logger?: Logger;
  onEvent?: (event: AgentEvent) => void;
  /** Longest wait between config polls (the server suggests one). Default 60 000 ms. */
  maxPollMs?: number;
  /** Backoff after errors: first delay and cap, in ms. Default 500 and 30 000. */
  backoffMinMs?: number;
  backoffMaxMs?: number;
}

const DONE_STATES: readonly NodeState[] = ['bmc-configured', 'installing', 'deployed'];

function netmaskOf(prefixLength: number): string {
  return ipaddr.IPv4.subnetMaskFromPrefixLength(prefixLength).toString();
}

/** Strict dotted decimal: ipaddr.js alone would also take `10.1` or octal, which ipmitool reads differently. */
function isIpv4(text: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(text);
}

/** The ipmitool commands that apply a BMC config, validated first. The password is an argument: pass it as a secret. */
export function planBmcCommands(bmc: BmcConfig): string[][] {
  if (!isIpv4(bmc.address))
    throw new ValidationError(
      'bmc.address',
      `BMC address ${JSON.stringify(bmc.address)} is not IPv4 (ipmitool lan set needs IPv4)`,
    );
  if (bmc.gateway !== null && !isIpv4(bmc.gateway))
    throw new ValidationError('bmc.gateway', `BMC gateway ${JSON.stringify(bmc.gateway)} is not IPv4`);
  if (!Number.isInteger(bmc.prefixLength) || bmc.prefixLength < 1 || bmc.prefixLength > 32) {
    throw new ValidationError('bmc.prefixLength', `BMC prefix length ${bmc.prefixLength} must be 1-32`);
  }
  if (!/^[A-Za-z][A-Za-z0-9_.-]{0,15}$/.test(bmc.user))
    throw new ValidationError('bmc.user', 'BMC user must be 1-16 letters, digits, _ . -');
  if (!/^[\x21-\x7e]{8,20}$/.test(bmc.password)) {
    // IPMI 2.0 passwords are at most 20 bytes; never echo the value.
    throw new ValidationError('bmc.password', 'BMC password must be 8-20 printable ASCII characters without spaces');
  }
  const ch = String(bmc.channel);
  const id = String(bmc.userId);
  return [
    ['lan', 'set', ch, 'ipsrc', 'static'],
    ['lan', 'set', ch, 'ipaddr', bmc.address],
    ['lan', 'set', ch, 'netmask', netmaskOf(bmc.prefixLength)],
    ...(bmc.gateway ? [['lan', 'set', ch, 'defgw', 'ipaddr', bmc.gateway]] : []),
    ['user', 'set', 'name', id, bmc.user],
    ['user', 'set', 'password', id, bmc.password],
    ['user', 'priv', id, '4', ch],
    ['channel', 'setaccess', ch, id, 'link=on', 'ipmi=on', 'callin=on', 'privilege=4'],
    ['user', 'enable', id],
    ['lan', 'set', ch, 'access', 'on'],
  ];
}

/**
 * The node agent: submits the inventory, polls its config until the admin has placed the node, applies
 * the BMC settings with ipmitool and reports `bmc-configured`. Survives server restarts and network errors
 * (jittered backoff; re-enrols when the server forgot its token or node; when the server knows the node under
 * a token it no longer holds, it retries until an admin resets the node's identity); returns when the node is
 * configured, or cleanly when `signal` aborts.
 */
export async function runAgent(options: RunAgentOptions): Promise<AgentResult> {
  const logger = options.logger ?? silentLogger;
  const signal = options.signal;
  const maxPollMs = options.maxPollMs ?? 60_000;
  const minBackoff = options.backoffMinMs ?? 500;
  const maxBackoff = options.backoffMaxMs ?? 30_000;
  const emit = (event: AgentEvent) => {
    const { type, ...fields } = event;
    logger.info(`agent ${type}`, fields);
    options.onEvent?.(event);
  };
  const collect = options.inventory ?? (() => collectInventory({ executor: options.executor }));

  let failures = 0;
  const backoff = async (step: string, error: unknown) => {
    failures += 1;
    // A 503 names how long the server needs (its database is away): wait at least that.
    const retryInMs = Math.round(
      Math.max(backoffDelay(failures, { minMs: minBackoff, maxMs: maxBackoff }), retryAfterOf(error)),
    );
    emit({ type: 'retrying', step, error: describeError(error), retryInMs });
    await sleep(retryInMs, signal);
  };
  const finish = (result: AgentResult): AgentResult => {
    emit({ type: 'done', outcome: result.outcome, ...(result.nodeId ? { nodeId: result.nodeId } : {}) });
    return result;
  };

  let inventory: Inventory | undefined;
  let nodeId: string | undefined;
  let nodeClient: MachineDbClient | undefined;
  let lastState: NodeState | undefined;

  while (!signal?.aborted) {
    // 1. Enrol: collect once, submit until the server answers.
    if (!nodeId || !nodeClient) {
      try {
        if (!inventory) {
          inventory = await collect();
          emit({ type: 'inventory-collected', notes: inventory.notes ?? [] });
        }
        const res = await options.client.submitInventory(inventory);
        nodeId = res.nodeId;
        nodeClient = res.token ? options.client.withToken(res.token) : options.client;
        lastState = res.state;
        failures = 0;
        emit({ type: 'inventory-submitted', nodeId, created: res.created, state: res.state });
      } catch (error) {
        if (error instanceof MachineDbError && error.code === 'NODE_IDENTITY_CLAIMED') {
          // The server knows this machine under a token we no longer hold (a wiped disk, a database restored
          // from before our last enrolment). Only an admin can vouch for us: wait until they reset the identity.
          const server = error.details.server as { nodeId?: unknown } | undefined;
          logger.warn('agent waiting for an identity reset', { nodeId: server?.nodeId });
          await backoff('submit inventory', error);
          continue;
        }
        if (refused(error)) throw error; // the server refuses this inventory or our secret: retrying will not help
        await backoff('submit inventory', error);
        continue;
      }
    }

    // 2. Poll config.
    let config: NodeConfig;
    try {
      config = await nodeClient.getNodeConfig(nodeId);
      failures = 0;
    } catch (error) {
      if (error instanceof MachineDbError && (error.kind === 'unauthenticated' || error.kind === 'not-found')) {
        // The server lost our token or node (restored database): enrol again.
        logger.warn('agent re-enrolling', { nodeId, code: error.code });
        nodeId = undefined;
        nodeClient = undefined;
        await backoff('poll config', error);
        continue;
      }
      await backoff('poll config', error);
      continue;
    }
    lastState = config.state;
    if (DONE_STATES.includes(config.state)) {
      return finish({ outcome: 'already-configured', nodeId, state: config.state });
    }
    if (config.state === 'decommissioned') return finish({ outcome: 'decommissioned', nodeId, state: config.state });

    // 3. Apply the BMC settings once they are there; finish the step even if SIGTERM arrives meanwhile.
    if (config.state === 'ready-for-bmc' && config.bmc) {
      const bmc = config.bmc;
      let applied = false;
      try {
        for (const args of planBmcCommands(bmc)) {
          await runChecked(options.executor, 'ipmitool', args, { secrets: [bmc.password], timeoutMs: 60_000 });
        }
        applied = true;
        emit({ type: 'bmc-applied', nodeId, address: bmc.address, user: bmc.user });
      } catch (error) {
        const reason = describeError(error).split(bmc.password).join('***').slice(0, 480);
        logger.error('agent BMC configuration failed', { nodeId, reason });
        try {
          const res = await nodeClient.reportNodeEvent(nodeId, { type: 'failed', reason: `BMC: ${reason}` });
          emit({ type: 'reported', nodeId, event: 'failed', state: res.state });
        } catch (reportError) {
          await backoff('report failure', reportError);
        }
        continue;
      }
      if (applied) {
        for (;;) {
          try {
            const res = await nodeClient.reportNodeEvent(nodeId, { type: 'bmc-configured' });
            emit({ type: 'reported', nodeId, event: 'bmc-configured', state: res.state });
            return finish({ outcome: 'bmc-configured', nodeId, state: res.state });
          } catch (error) {
            // Reporting is idempotent: keep trying through a server restart, even while stopping.
            if (refused(error)) throw error;
            if (signal?.aborted) return finish({ outcome: 'aborted', nodeId, state: lastState });
            await backoff('report bmc-configured', error);
          }
        }
      }
    }
    const retryInMs = Math.min(maxPollMs, config.pollAfterSeconds * 1000);
    emit({ type: 'waiting', nodeId, state: config.state, retryInMs });
    await sleep(retryInMs, signal);
  }
  return finish({ outcome: 'aborted', ...(nodeId ? { nodeId } : {}), ...(lastState ? { state: lastState } : {}) });
}
