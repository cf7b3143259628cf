import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { configError } from './errors.js';

/** The CLI's settings: `~/.config/fleet/config.json` (or --config), then FLEET_URL / FLEET_TOKEN, then flags. */
export interface CliConfig {
  url: string;
  token: string | undefined;
  /** Defaults for commands that reach nodes over SSH. */
  ssh: { user?: string; identity?: string; knownHosts?: string; port?: number };
  /** Consul agent for rollouts (`http://127.0.0.1:8500`); unset = local state directory. */
  consulUrl: string | undefined;
  /** Where a rollout keeps progress without Consul. */
  rolloutStateDir: string | undefined;
  /** The file that was read, if any. */
  file: string | undefined;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';
const KNOWN = ['url', 'token', 'ssh', 'consulUrl', 'rolloutStateDir'];

export function defaultConfigPath(env: Record<string, string | undefined>): string | undefined {
  const base = env.XDG_CONFIG_HOME ?? (env.HOME ? join(env.HOME, '.config') : undefined);
  return base ? join(base, 'fleet', 'config.json') : undefined;
}

/** Reads and checks the configuration; an unreadable or malformed file is a config error (exit 4). */
export function loadCliConfig(
  env: Record<string, string | undefined>,
  cwd: string,
  flags: { config?: string; url?: string; token?: string },
): CliConfig {
  const explicit = flags.config ?? env.FLEET_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : defaultConfigPath(env);
  let file: Record<string, unknown> = {};
  let used: string | undefined;
  if (path && (explicit || existsSync(path))) {
    if (!existsSync(path)) throw configError(`config file ${path} does not exist: create it or drop --config`);
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw configError(`config file ${path} is not valid JSON (${(error as Error).message})`);
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file))
      throw configError(`config file ${path} must hold a JSON object`);
    for (const key of Object.keys(file)) {
      if (!KNOWN.includes(key))
        throw configError(`config file ${path}: unknown key ${JSON.stringify(key)} (known: ${KNOWN.join(', ')})`);
    }
    used = path;
  }
  const str = (key: string): string | undefined => {
    const v = file[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw configError(`config file ${used}: ${key} must be a string`);
    return v;
  };
  const url = flags.url ?? env.FLEET_URL ?? str('url') ?? DEFAULT_URL;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw configError(`server URL ${JSON.stringify(url)} is not an http(s) URL: set FLEET_URL=http://host:8080`);
  }
  const ssh = (file.ssh ?? {}) as CliConfig['ssh'];
  if (typeof ssh !== 'object' || ssh === null) throw configError(`config file ${used}: ssh must be an object`);
  return {
    url,
    token: flags.token ?? env.FLEET_TOKEN ?? str('token'),
    ssh,
    consulUrl: env.FLEET_CONSUL_URL ?? str('consulUrl'),
    rolloutStateDir: str('rolloutStateDir'),
    file: used,
  };
}
