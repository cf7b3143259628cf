#!/usr/bin/env node
// Exported-API snapshots: each public package's built `dist/index.d.ts`, comments and blank lines stripped,
// is kept in `packages/<name>/etc/public-api.d.ts`. `--check` fails when a package's API changed and no
// pending changeset names the package; `--update` rewrites the snapshots. Run after `pnpm build`.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function normaliseDts(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\/\/# sourceMappingURL=.*$/gm, '')
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '')
    .join('\n')
    .concat('\n');
}

/** Package names that a pending changeset in `dir` bumps. */
export function packagesWithChangesets(dir) {
  if (!existsSync(dir)) return new Set();
  const names = new Set();
  for (const file of readdirSync(dir)) {
    if (!file.endsWith('.md') || file === 'README.md') continue;
    const front = readFileSync(join(dir, file), 'utf8').match(/^---\n([\s\S]*?)\n---/);
    if (!front) continue;
    for (const m of front[1].matchAll(/^["']?([^"':]+)["']?\s*:/gm)) names.add(m[1].trim());
  }
  return names;
}

/** Compares snapshots; returns { changed: [{name, covered}], missing: [name] }. */
export function compareSnapshots(root) {
  const covered = packagesWithChangesets(join(root, '.changeset'));
  const result = { changed: [], missing: [], same: [] };
  for (const dir of readdirSync(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', dir);
    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    if (pkg.private) continue;
    const dts = join(pkgDir, 'dist/index.d.ts');
    if (!existsSync(dts)) {
      result.missing.push(pkg.name);
      continue;
    }
    const current = normaliseDts(readFileSync(dts, 'utf8'));
    const snapFile = join(pkgDir, 'etc/public-api.d.ts');
    const snap = existsSync(snapFile) ? readFileSync(snapFile, 'utf8') : '';
    if (snap === current) result.same.push(pkg.name);
    else result.changed.push({ name: pkg.name, covered: covered.has(pkg.name), snapFile, current });
  }
  return result;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const update = process.argv.includes('--update');
  const { changed, missing, same } = compareSnapshots(root);
  let failed = missing.length > 0;
  for (const name of missing) console.error(`api-snapshot: ${name} has no dist/index.d.ts: run pnpm build first`);
  for (const c of changed) {
    if (update) {
      mkdirSync(dirname(c.snapFile), { recursive: true });
      writeFileSync(c.snapFile, c.current);
      console.log(`api-snapshot: updated ${c.name}`);
    } else if (c.covered) {
      console.log(`api-snapshot: ${c.name} API changed, covered by a changeset (run pnpm api:update to record it)`);
    } else {
      console.error(`api-snapshot: ${c.name} public API changed without a changeset: add one (pnpm changeset) and run pnpm api:update`);
      failed = true;
    }
  }
  console.log(`api-snapshot: ${same.length} unchanged, ${changed.length} changed`);
  process.exitCode = failed && !update ? 1 : 0;
}
