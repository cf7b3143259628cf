#!/usr/bin/env node
// Workspace members (packages/*, examples/*) reach each other by package name only. This finds every source
// file that reaches into another member by relative path instead: an import (`from '../../server/src/x.js'`,
// `import('../../core/src')`) or a file URL (`new URL('../../server/dist/main.js', import.meta.url)`).
// `node scripts/workspace-imports.mjs` prints them and exits 1 when there is any.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const MEMBER_ROOTS = ['packages', 'examples'];
const SOURCE = /\.(?:[cm]?[jt]s|tsx)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.turbo']);
const SPECIFIERS = [
  /\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\bnew\s+URL\(\s*['"`]([^'"`]+)['"`]\s*,\s*import\.meta\.url/g,
];

/**
 * Paths one member may reach in another on purpose, each with its reason: `<file>` → `<specifier>`.
 * Keep this list short; a dependency by name is the fix for anything else.
 */
export const ALLOWED = new Map([
  [
    // The demo runs the built inventory script through real `ansible-inventory` when it is there (`pnpm demo`
    // builds it). A dependency by name would be a cycle: the inventory's tests depend on the server.
    'examples/server/src/demo.ts',
    new Set(['../../ansible-inventory/dist/inventory.js']),
  ],
]);

/** Directories of the workspace members under `root`, relative (`packages/core`, `examples/server`). */
export function workspaceMembers(root) {
  const members = [];
  for (const top of MEMBER_ROOTS) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(dir, entry.name, 'package.json')))
        members.push(`${top}/${entry.name}`);
    }
  }
  return members.sort();
}

function* sourceFiles(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) yield* sourceFiles(join(dir, entry.name));
    } else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      yield join(dir, entry.name);
    }
  }
}

/**
 * Every relative import or file URL in a member's sources that lands inside another member:
 * `{ file, specifier, target }` (paths relative to `root`, `target` the other member), allowed ones left out.
 */
export function findCrossMemberPaths(root, allowed = ALLOWED) {
  const members = workspaceMembers(root);
  const memberOf = (path) => members.find((m) => path === m || path.startsWith(`${m}/`));
  const found = [];
  for (const member of members) {
    for (const abs of sourceFiles(join(root, member))) {
      const file = relative(root, abs).split(sep).join('/');
      const text = readFileSync(abs, 'utf8');
      for (const pattern of SPECIFIERS) {
        for (const m of text.matchAll(pattern)) {
          const specifier = m[1];
          if (!specifier.startsWith('.')) continue;
          const target = relative(root, resolve(dirname(abs), specifier))
            .split(sep)
            .join('/');
          const other = memberOf(target);
          if (!other || other === member) continue;
          if (allowed.get(file)?.has(specifier)) continue;
          found.push({ file, specifier, target: other });
        }
      }
    }
  }
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const found = findCrossMemberPaths(root);
  for (const f of found) {
    console.error(`${f.file}: '${f.specifier}' reaches into ${f.target}: depend on it by name and import its entry`);
  }
  process.exit(found.length ? 1 : 0);
}
