#!/usr/bin/env node
// Runs every package's benchmarks (`bench` script, files under its bench/) one after another.
// Each bench prints its figures as ratios against a baseline measured in the same process.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.slice(2);
execFileSync('pnpm', ['build'], { stdio: 'inherit' });
let failed = 0;
for (const group of ['packages', 'examples']) {
  for (const dir of readdirSync(group)) {
    const file = join(group, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    if (!pkg.scripts?.bench) continue;
    if (only.length && !only.includes(dir)) continue;
    console.log(`\n### ${pkg.name}`);
    try {
      execFileSync('pnpm', ['--filter', pkg.name, 'run', 'bench'], { stdio: 'inherit' });
    } catch {
      failed++;
      console.log(`bench ${pkg.name} FAILED`);
    }
  }
}
process.exitCode = failed ? 1 : 0;
