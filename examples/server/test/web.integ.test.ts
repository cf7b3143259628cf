import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoResult, runDemo } from '../src/demo.js';

const shots = fileURLToPath(new URL('../test-results/', import.meta.url));

describe('pnpm demo and the web overview in headless Chromium', () => {
  let demo: DemoResult;
  beforeAll(async () => {
    demo = await runDemo({ nodes: 6, port: 0, write: () => {} });
  }, 120_000);
  afterAll(async () => {
    await demo?.close();
  });

  it('drives every simulated node to deployed with the real agent and client', () => {
    expect(demo.deployed).toHaveLength(6);
  });

  it('shows nodes by state and rack, a node with its history, and IPAM use', async () => {
    mkdirSync(shots, { recursive: true });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${demo.url}/`);
      // The browser is sent to the login page and back.
      await page.fill('input[name=username]', demo.admin.username);
      await page.fill('input[name=password]', demo.admin.password);
      await page.click('#login');
      await page.waitForURL(`${demo.url}/`);
      await expect(page.locator('#states [data-state="deployed"] b').textContent()).resolves.toBe('6');
      expect(await page.locator('#racks tr').count()).toBeGreaterThan(2);
      await page.screenshot({ path: `${shots}overview.png`, fullPage: true });
      await page.locator('#racks td:nth-child(4) a').first().click();
      await expect(page.locator('h1').textContent()).resolves.toMatch(/cmp-\d{4}\s*deployed/);
      expect(await page.locator('#history tr').count()).toBeGreaterThan(3);
      await page.screenshot({ path: `${shots}node.png`, fullPage: true });
      await page.goto(`${demo.url}/ui/ipam`);
      await expect(page.locator('#pools').textContent()).resolves.toContain('primary');
      await page.goto(`${demo.url}/ui/drift`);
      await expect(page.locator('#drift').textContent()).resolves.toContain('No Consul datacenters');
      // Without credentials the page asks for them instead of showing anything.
      const res = await fetch(`${demo.url}/`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="fleet"');
    } finally {
      await browser.close();
    }
  });
});
