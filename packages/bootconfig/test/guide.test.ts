import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { main } from './guide.example.js';

it('the guide example renders every file of the node', () => {
  expect(main()).toEqual([
    '644 plain  grub/grub.cfg-01-3c-ec-ef-12-34-56',
    '644 plain  ipxe/3c-ec-ef-12-34-56.ipxe',
    '600 secret installer/3c-ec-ef-12-34-56/preseed.cfg',
    '644 plain  /etc/hostname',
    '644 plain  /etc/hosts',
    '600 plain  /etc/netplan/60-fleet.yaml',
    '644 plain  /etc/apt/sources.list.d/fleet.sources',
    '644 plain  /etc/ssh/sshd_config.d/60-fleet.conf',
    '600 plain  /home/fleet/.ssh/authorized_keys',
    '640 secret /etc/consul.d/fleet.json',
    '640 plain  /etc/bird/bird.conf',
  ]);
});

it('the guide block is the example file, verbatim', () => {
  const readme = readFileSync(new URL('../../../docs/packages/bootconfig.md', import.meta.url), 'utf8');
  const example = readFileSync(new URL('./guide.example.ts', import.meta.url), 'utf8');
  const block = /<!-- example: \.\.\/\.\.\/packages\/bootconfig\/test\/guide\.example\.ts -->\n```ts\n([\s\S]*?)```/.exec(readme);
  expect(block?.[1]?.trim()).toBe(example.trim());
});
