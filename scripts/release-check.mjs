#!/usr/bin/env node
// The release dry run: build, publint and @arethetypeswrong/cli on every public package, `pnpm pack` each,
// install the tarballs into a scratch project and import every public entry (ESM run + type-check).
// Then each package alone: every bare import in its packed JavaScript must be a builtin or one of its own
// `dependencies`/`peerDependencies`/`optionalDependencies` (a devDependency imported at runtime fails here),
// and its tarball is installed into an empty project with only its own dependency tree and imported there.
// Publishes nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(new URL('..', import.meta.url).pathname);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({ dir: join(root, 'packages', dir), pkg: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) }))
  .filter(({ pkg }) => !pkg.private);

if (!process.argv.includes('--no-build')) run('pnpm', ['build']);
const scratch = mkdtempSync(join(tmpdir(), 'fleet-release-'));
if (!process.argv.includes('--keep')) process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
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

// Each package on its own: what its packed code imports must be what its packed package.json installs.
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const specifierPattern =
  /^\s*(?:import|export)\b[^;'"]*?\bfrom\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]|\b(?:import|require\d*)\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const jsFiles = (dir) =>
  readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return entry === 'node_modules' ? [] : jsFiles(path);
    return /\.(?:c|m)?js$/.test(entry) ? [path] : [];
  });
const problems = [];
for (const [name, file] of Object.entries(files)) {
  const unpacked = join(scratch, 'unpacked', name);
  mkdirSync(unpacked, { recursive: true });
  execFileSync('tar', ['-xzf', file, '-C', unpacked]);
  const pkgDir = join(unpacked, 'package');
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const allowed = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  for (const path of jsFiles(pkgDir)) {
    for (const match of readFileSync(path, 'utf8').matchAll(specifierPattern)) {
      const spec = match[1] ?? match[2] ?? match[3];
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtins.has(spec) || builtins.has(spec.split('/')[0])) continue;
      const dep = packageOf(spec);
      if (allowed.has(dep)) continue;
      const kind = manifest.devDependencies?.[dep] ? 'a devDependency' : 'not declared';
      problems.push(`${name}: ${path.slice(pkgDir.length + 1)} imports '${spec}' at runtime, but ${dep} is ${kind}`);
    }
  }
}
if (problems.length > 0) {
  console.error(`\nrelease-check: runtime imports missing from dependencies:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
for (const [name, file] of Object.entries(files)) {
  const alone = join(scratch, 'alone', name.replace('/', '+'));
  mkdirSync(alone, { recursive: true });
  writeFileSync(join(alone, 'package.json'), JSON.stringify({ name: 'fleet-release-alone', private: true, type: 'module', dependencies: { [name]: `file:${file}` }, overrides: deps }, null, 2));
  writeFileSync(join(alone, 'index.mjs'), `const mod = await import('${name}');\nif (Object.keys(mod).length === 0) throw new Error('${name} exports nothing');\n`);
  console.log(`\n# ${name} alone`);
  // --ignore-scripts: native builds (better-sqlite3) were proven by the install above; here only what gets
  // installed matters, and an import that needs a missing package fails all the same.
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], { cwd: alone });
  run('node', ['index.mjs'], { cwd: alone });
  const installed = readdirSync(join(alone, 'node_modules', '@fleet')).map((d) => `@fleet/${d}`);
  console.log(`  installed with only ${installed.join(', ')}; imported`);
}
console.log(`\nrelease-check: ${names.length} packages packed, installed, imported and type-checked, each also alone with only its dependencies`);
