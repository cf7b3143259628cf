import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { NodeInput, SiteInput } from '@fleet/bootconfig';
import { formatTable } from '@fleet/core';
import { type Command, printJson, readJsonFile, str } from '../command.js';
import { requireFlag } from '../flags.js';

export const bootCommands: Command[] = [
  {
    name: 'boot render',
    summary: 'render every netboot, installer and first-boot file of a node (pure, no server)',
    usage: '--node-file NODE.json --site-file SITE.json [--out DIR]',
    options: {
      'node-file': {
        type: 'string',
        arg: 'FILE',
        description: 'the node (a bootconfig NodeInput JSON file, required)',
      },
      'site-file': {
        type: 'string',
        arg: 'FILE',
        description: 'the site (a bootconfig SiteInput JSON file, required)',
      },
      out: { type: 'string', arg: 'DIR', description: 'write the files under DIR (default: only list them)' },
    },
    examples: [
      'fleet boot render --node-file cmp-0101.json --site-file fra1.json',
      'fleet boot render --node-file cmp-0101.json --site-file fra1.json --out ./rendered',
    ],
    async run(ctx) {
      const node = readJsonFile(
        ctx.io.cwd,
        requireFlag(ctx.values, 'node-file', 'a NodeInput JSON file'),
        'node file',
      ) as NodeInput;
      const site = readJsonFile(
        ctx.io.cwd,
        requireFlag(ctx.values, 'site-file', 'a SiteInput JSON file'),
        'site file',
      ) as SiteInput;
      const { renderNodeFiles } = await import('@fleet/bootconfig');
      const files = renderNodeFiles(node, site);
      const out = str(ctx.values, 'out');
      const written: string[] = [];
      if (out) {
        // netboot files are relative to the TFTP/HTTP root; node files keep their absolute path under node/.
        const root = resolve(ctx.io.cwd, out);
        for (const f of files) {
          const target = join(root, f.scope, f.path.replace(/^\/+/, ''));
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, f.content, { mode: f.mode });
          chmodSync(target, f.mode);
          written.push(target);
        }
      }
      if (ctx.json)
        printJson(
          ctx.io,
          out
            ? files.map((f, i) => ({ scope: f.scope, path: f.path, mode: f.mode, secret: f.secret, file: written[i] }))
            : files,
        );
      else {
        ctx.io.out(
          formatTable(
            ['SCOPE', 'MODE', 'SECRET', 'PATH'],
            files.map((f, i) => [f.scope, f.mode.toString(8), f.secret ? 'yes' : 'no', written[i] ?? f.path]),
          ),
        );
        if (!out) ctx.io.out('(not written: pass --out DIR to write the files)');
      }
      return 0;
    },
  },
];
