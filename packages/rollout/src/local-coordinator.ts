import { existsSync, type FSWatcher, mkdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RolloutLockedError } from './errors.js';
import type { HaltInfo, RolloutCoordinator } from './options.js';

interface LockFile {
  holder: string;
  pid: number;
  host: string;
  at: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Lock and red button for a single orchestrator host, without Consul: a lock file (stale when its
 * process is gone) and a halt file watched with fs.watch (a 250 ms poll backs it up).
 */
export function createLocalCoordinator(stateDir: string): RolloutCoordinator {
  const haltFile = (cluster: string) => join(stateDir, `${cluster}.halt`);
  const readHaltSync = (cluster: string): HaltInfo | undefined => {
    try {
      const text = readFileSync(haltFile(cluster), 'utf8');
      try {
        return JSON.parse(text) as HaltInfo;
      } catch {
        return { reason: text.trim() };
      }
    } catch {
      return undefined;
    }
  };
  return {
    async lock(cluster, holder) {
      mkdirSync(stateDir, { recursive: true });
      const file = join(stateDir, `${cluster}.lock`);
      const body: LockFile = { holder, pid: process.pid, host: hostname(), at: new Date().toISOString() };
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          writeFileSync(file, JSON.stringify(body), { flag: 'wx' });
          return {
            async release() {
              rmSync(file, { force: true });
            },
          };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          let held: LockFile | undefined;
          try {
            held = JSON.parse(readFileSync(file, 'utf8')) as LockFile;
          } catch {
            held = undefined;
          }
          // A lock left by a crashed orchestrator on this host is stale: take it over.
          if (held && held.host === hostname() && !alive(held.pid)) {
            rmSync(file, { force: true });
            continue;
          }
          throw new RolloutLockedError(
            cluster,
            held ? `${held.holder} since ${held.at}` : `unreadable lock file ${file}`,
          );
        }
      }
      throw new RolloutLockedError(cluster, `lock file ${file}`);
    },
    async readHalt(cluster) {
      return readHaltSync(cluster);
    },
    watchHalt(cluster, onHalt) {
      mkdirSync(stateDir, { recursive: true });
      let fired = false;
      const check = () => {
        if (fired || !existsSync(haltFile(cluster))) return;
        fired = true;
        onHalt(readHaltSync(cluster) ?? {});
      };
      let watcher: FSWatcher | undefined;
      try {
        watcher = watch(stateDir, check);
      } catch {
        watcher = undefined;
      }
      const timer = setInterval(check, 250);
      timer.unref();
      check();
      return {
        stop() {
          clearInterval(timer);
          watcher?.close();
        },
      };
    },
    async setHalt(cluster, info = {}) {
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(haltFile(cluster), JSON.stringify({ at: new Date().toISOString(), ...info }));
    },
    async clearHalt(cluster) {
      rmSync(haltFile(cluster), { force: true });
    },
  };
}
