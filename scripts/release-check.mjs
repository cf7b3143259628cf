#!/usr/bin/env node
// The release dry run: build, publint and @arethetypeswrong/cli on every public package, `pnpm pack` each,
// install the tarballs into a scratch project and import every public entry (ESM run + type-check).
// Publishes nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

if (!process.argv.includes('--no-build')) run('pnpm', ['build']);
const scratch = mkdtempSync(join(tmpdir(), 'fleet-release-'));
const tarballs = join(scratch, 'tarballs');
mkdirSync(tarballs);
const files = {};
for (const { dir, pkg } of packages) {
  console.log(`\n# ${pkg.name}`);
  run('npx', ['publint', '--strict', dir]);
  run('npx', ['attw', '--pack', dir, '--profile', 'esm-only', '--format', 'table-flipped']);
  const out = execFileSync('pnpm', ['pack', '--pack-destination', tarballs], { cwd: dir }).toString().trim().split('\n');
  files[pkg.name] = out[out.length - 1];
}
const app = join(scratch, 'app');
mkdirSync(app);
const deps = Object.fromEntries(Object.entries(files).map(([name, file]) => [name, `file:${file}`]));
writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'fleet-release-check', private: true, type: 'module', dependencies: deps, overrides: deps }, null, 2));
const names = Object.keys(files);
writeFileSync(join(app, 'index.mjs'), `${names.map((n, i) => `import * as m${i} from '${n}';`).join('\n')}\nconst all = { ${names.map((n, i) => `'${n}': m${i}`).join(', ')} };\nfor (const [name, mod] of Object.entries(all)) { if (Object.keys(mod).length === 0) throw new Error(name + ' exports nothing'); console.log(name, Object.keys(mod).length, 'exports'); }\n`);
writeFileSync(join(app, 'index.ts'), `${names.map((n, i) => `import * as m${i} from '${n}';`).join('\n')}\nexport const all = [${names.map((_, i) => `m${i}`).join(', ')}];\n`);
writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] }, files: ['index.ts'] }));
run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `${root}/node_modules/@types/node`], { cwd: app });
run('node', ['index.mjs'], { cwd: app });
run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: app });
if (!process.argv.includes('--keep')) rmSync(scratch, { recursive: true, force: true });
console.log(`\nrelease-check: ${names.length} packages packed, installed, imported and type-checked`);
