#!/usr/bin/env node
// Checks the Markdown docs: every relative link resolves, every ```ts/```js block is a verbatim copy of a
// file that a test runs (marked `<!-- example: path -->`, path relative to the Markdown file), and every
// `pnpm <script>` in a ```sh block names a script (or a command linked from a workspace package) that
// exists, and every package README opens with its example (checked here without running it; see
// scripts/readme-examples.mjs, which runs them). Exit 1 with one line per problem.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkExample, packageReadmes } from './readme-examples.mjs';

const PNPM_BUILTINS = new Set(['install', 'add', 'remove', 'exec', 'dlx', 'run', 'pack', 'publish', 'changeset', 'why', 'list', 'update', 'rebuild', 'store', '--filter', '-r', '--version', 'i', 'up']);

export function markdownFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name === '.git' || name === 'api' && dir.endsWith('docs')) continue;
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (name.endsWith('.md') && !name.startsWith('CHANGELOG')) out.push(full);
    }
  };
  for (const top of ['README.md', 'CONTRIBUTING.md']) if (existsSync(join(root, top))) out.push(join(root, top));
  for (const dir of ['docs', 'packages', 'examples']) if (existsSync(join(root, dir))) walk(join(root, dir));
  return out.filter((f) => !f.includes(`${join(root, '.changeset')}`));
}

function scriptNames(pkgFile) {
  try {
    const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
    const names = new Set(Object.keys(pkg.scripts ?? {}));
    // `pnpm <bin>` also runs a command the root links from a workspace package (`pnpm fleet` → examples/cli).
    const deps = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const dir of ['packages', 'examples']) {
      const base = join(dirname(pkgFile), dir);
      if (!existsSync(base)) continue;
      for (const name of readdirSync(base)) {
        const file = join(base, name, 'package.json');
        if (!existsSync(file)) continue;
        const member = JSON.parse(readFileSync(file, 'utf8'));
        if (!String(deps[member.name] ?? '').startsWith('workspace:')) continue;
        const bin = typeof member.bin === 'string' ? { [member.name]: member.bin } : (member.bin ?? {});
        for (const command of Object.keys(bin)) names.add(command);
      }
    }
    return names;
  } catch {
    return new Set();
  }
}

export function checkMarkdown(file, root) {
  const problems = [];
  const text = readFileSync(file, 'utf8');
  const where = (index) => `${relative(root, file)}:${text.slice(0, index).split('\n').length}`;
  const rootScripts = scriptNames(join(root, 'package.json'));
  // Links: [text](target) that are not URLs or pure anchors.
  for (const m of text.matchAll(/\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    const path = resolve(dirname(file), decodeURIComponent(target.split('#')[0]));
    if (!existsSync(path)) problems.push(`${where(m.index)}: dead link ${target}`);
  }
  // Code blocks.
  const fence = /(<!--\s*example:\s*(\S+)\s*-->\s*\n)?```(\w*)[^\n]*\n([\s\S]*?)```/g;
  for (const m of text.matchAll(fence)) {
    const [, , examplePath, lang, body] = m;
    if (lang === 'ts' || lang === 'js' || lang === 'typescript' || lang === 'javascript') {
      if (!examplePath) {
        problems.push(`${where(m.index)}: ${lang} block is not extracted from a tested file (add <!-- example: path -->)`);
        continue;
      }
      const source = resolve(dirname(file), examplePath);
      if (!existsSync(source)) {
        problems.push(`${where(m.index)}: example file ${examplePath} does not exist`);
      } else if (readFileSync(source, 'utf8').trim() !== body.trim()) {
        problems.push(`${where(m.index)}: stale snippet, differs from ${examplePath}`);
      }
    }
    if (lang === 'sh' || lang === 'bash' || lang === 'shell') {
      for (const sm of body.matchAll(/(?:^|&&|;|\|\|)\s*pnpm\s+([a-z][\w:-]*)/gm)) {
        const name = sm[1];
        if (PNPM_BUILTINS.has(name) || rootScripts.has(name)) continue;
        problems.push(`${where(m.index)}: pnpm ${name} is not a script in package.json`);
      }
      for (const bm of body.matchAll(/(?:^|&&|;)\s*(?:sudo\s+)?bash\s+([\w./-]+)/gm)) {
        if (!existsSync(join(root, bm[1]))) problems.push(`${where(m.index)}: bash ${bm[1]}: no such file`);
      }
    }
  }
  return problems;
}

/** Every package README opens with a marked example that imports the package and says what it prints. */
export function checkPackageExamples(root) {
  if (!existsSync(join(root, 'packages'))) return [];
  return packageReadmes(root).flatMap(({ name, dir, readme }) =>
    (readme === undefined ? ['has no README.md'] : checkExample(name, readme)).map(
      (problem) => `${relative(root, join(dir, 'README.md'))}: ${problem}`,
    ),
  );
}

export function checkDocs(root) {
  return [...markdownFiles(root).flatMap((file) => checkMarkdown(file, root)), ...checkPackageExamples(root)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const problems = checkDocs(root);
  for (const p of problems) console.error(p);
  console.log(`docs-check: ${markdownFiles(root).length} files, ${problems.length} problem(s)`);
  process.exitCode = problems.length ? 1 : 0;
}
