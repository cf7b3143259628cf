/// <reference lib="dom" />
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasService, serviceEnv, startConsulDouble } from '@fleet/testkit';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleFleet, consoleInventory, seedConsoleFleet } from './console-fleet.js';
import { type Running, startServer } from './setup.js';

// The operator console in real headless Chromium against the real server (SQLite), every role.
const shots = fileURLToPath(new URL('../test-results/console/', import.meta.url));
const USERS = {
  viewer: { username: 'vera', password: 'vera-password-1', role: 'viewer' },
  operator: { username: 'otto', password: 'otto-password-1', role: 'operator' },
  admin2: { username: 'ada', password: 'ada-password-12', role: 'admin' },
} as const;

// Each test drives many real page loads: on a loaded shared box one can take well over vitest's default 30 s.
describe('operator console in headless Chromium', { timeout: 150_000 }, () => {
  let running: Running;
  let fleet: ConsoleFleet;
  let browser: Browser;

  const newPage = async (): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    return { context, page: await context.newPage() };
  };
  const login = async (page: Page, who: { username: string; password: string }) => {
    await page.goto(`${running.url}/login`);
    await page.fill('input[name=username]', who.username);
    await page.fill('input[name=password]', who.password);
    await page.click('#login');
    await page.waitForURL(`${running.url}/`);
  };
  /** The page fits 1280 px: nothing scrolls sideways. */
  const noSideScroll = async (page: Page) => {
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(scroll, page.url()).toBeLessThanOrEqual(client);
  };
  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
    expect(statSync(`${shots}${name}.png`).size).toBeGreaterThan(1000);
  };
  const apiNode = async (id: string) => await running.admin.getNode(id);

  beforeAll(async () => {
    // This run's screenshots only: an earlier run's must not pass for this one's.
    rmSync(shots, { recursive: true, force: true });
    mkdirSync(shots, { recursive: true });
    running = await startServer({ FLEET_STATE_TIMEOUTS: 'installing=1', FLEET_SWEEP_INTERVAL_SECONDS: '0' });
    for (const u of Object.values(USERS)) await running.server.machineDb.createUser(u);
    fleet = await seedConsoleFleet(running.server, 32);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  it('sends a browser to the login page, refuses a wrong password, and logs in and out', async () => {
    const { context, page } = await newPage();
    await page.goto(`${running.url}/ui/nodes?state=deployed`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=username]', USERS.viewer.username);
    await page.fill('input[name=password]', 'wrong-password');
    await page.click('#login');
    await expect(page.locator('#login-error').textContent()).resolves.toContain('wrong username or password');
    await shot(page, 'login-refused');
    await page.fill('input[name=username]', USERS.viewer.username);
    await page.fill('input[name=password]', USERS.viewer.password);
    await page.click('#login');
    // Back where the browser wanted to go.
    await page.waitForURL(/\/ui\/nodes\?state=deployed$/);
    const cookie = (await context.cookies()).find((c) => c.name === 'fleet_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    // The cookie is a MachineDB session: the API accepts it as a bearer token until logout revokes it.
    const bearer = { authorization: `Bearer ${cookie?.value}` };
    expect((await fetch(`${running.url}/api/v1/auth/whoami`, { headers: bearer })).status).toBe(200);
    await page.click('header button:has-text("Log out")');
    await page.waitForURL(`${running.url}/login`);
    await expect(page.locator('#flash').textContent()).resolves.toBe('Logged out.');
    expect((await fetch(`${running.url}/api/v1/auth/whoami`, { headers: bearer })).status).toBe(401);
    await page.goto(`${running.url}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    // Scripts without a browser still get the API's 401, and Basic auth still reads.
    const plain = await fetch(`${running.url}/`);
    expect(plain.status).toBe(401);
    const basic = Buffer.from(`${USERS.viewer.username}:${USERS.viewer.password}`).toString('base64');
    expect((await fetch(`${running.url}/`, { headers: { authorization: `Basic ${basic}` } })).status).toBe(200);
    await context.close();
  });

  it('viewer: overview puts the stuck node first with its reason, then failures; every page fits 1280 px', async () => {
    const { context, page } = await newPage();
    await login(page, USERS.viewer);
    // The stuck node: installing longer than the 1 s timeout given to this server (bounded wait).
    const deadline = Date.now() + 10_000;
    while (!(await page.locator('table#stuck').count()) && Date.now() < deadline) await page.reload();
    const stuck = page.locator('table#stuck');
    await expect(stuck.textContent()).resolves.toMatch(
      /web-001.*installing.*timed out: installing for \d+ s \(limit 1 s\)/s,
    );
    // Stuck comes before the state cards' details further down: it is the first table on the page.
    await expect(page.locator('main table').first().getAttribute('id')).resolves.toBe('stuck');
    await expect(page.locator('#states [data-state="deployed"] b').textContent()).resolves.toBe(
      String(fleet.deployed.length),
    );
    await expect(page.locator('#failed').textContent()).resolves.toContain('disk sda: I/O errors during install');
    await expect(page.locator('#failures').textContent()).resolves.toMatch(/web-002.*node:.*disk sda: I\/O errors/s);
    await expect(page.locator('#racks').textContent()).resolves.toContain('dc1/r01');
    await noSideScroll(page);
    await shot(page, 'viewer-overview');

    // Node list: filter by state and rack through the form, and the URL carries the filters.
    await page.click('header a:has-text("Nodes")');
    await page.selectOption('select[name=state]', 'deployed');
    await page.fill('input[name=site]', 'dc1');
    await page.fill('input[name=rack]', 'r02');
    await page.click('form.filters button[type=submit]');
    const url = new URL(page.url());
    expect(Object.fromEntries(url.searchParams)).toMatchObject({ state: 'deployed', site: 'dc1', rack: 'r02' });
    const expected = [];
    for (const id of fleet.deployed) {
      const n = await apiNode(id);
      if (n.location?.site === 'dc1' && n.location.rack === 'r02') expected.push(n.hostname);
    }
    const names = await page.locator('#nodes tr[data-node] td:first-child').allTextContents();
    expect(names.sort()).toEqual(expected.sort());
    await noSideScroll(page);
    await shot(page, 'viewer-nodes-filtered');

    // Search by MAC, by serial, by IP.
    const third = await apiNode(fleet.deployed[0] ?? '');
    const ip = third.addresses.find((a) => a.purpose === 'primary')?.address ?? '';
    expect(ip).not.toBe('');
    for (const q of [third.macs[1] ?? '', third.serial ?? '', ip]) {
      await page.goto(`${running.url}/ui/nodes?q=${encodeURIComponent(q)}`);
      await expect(page.locator('#nodes tr[data-node] td:first-child').allTextContents(), q).resolves.toEqual([
        third.hostname,
      ]);
    }
    // Sort by memory descending, then by hostname descending; paging with 25 per page.
    await page.goto(`${running.url}/ui/nodes?per=25`);
    await expect(page.locator('#page-info').textContent()).resolves.toBe('page 1 of 2 · 32 nodes');
    await page.locator('a[rel=next]').first().click();
    await expect(page.locator('#nodes tr[data-node]').count()).resolves.toBe(7);
    await page.goto(`${running.url}/ui/nodes?sort=memory&dir=desc`);
    const memory = await page.locator('#nodes tr[data-node] td:nth-child(9)').allTextContents();
    expect(memory.slice(0, 3)).toEqual(['412 GB', '412 GB', '412 GB']);
    await page.click('#nodes th a:has-text("node")');
    expect(new URL(page.url()).searchParams.get('dir')).toBeNull();
    await page.click('#nodes th a:has-text("node")');
    const desc = await page.locator('#nodes tr[data-node] td:first-child').allTextContents();
    expect(desc.slice(0, 2)).toEqual(['web-030', 'web-029']);

    // A node page: readable location and disk, no actions for a viewer, and actions are refused.
    await page.goto(`${running.url}/ui/nodes/${third.id}`);
    await expect(page.locator('#location').textContent()).resolves.toMatch(/^site dc\d · rack r\d+ · unit U\d+$/);
    await expect(page.locator('#system-disk').textContent()).resolves.toContain('→ nvme0n1, 960 GB');
    await expect(page.locator('#boot-target').textContent()).resolves.toBe('local');
    await expect(page.locator('#nics').textContent()).resolves.toContain('tor-a-r');
    await expect(page.locator('#history').textContent()).resolves.toContain('user:admin');
    expect(await page.locator('#actions').count()).toBe(0);
    await noSideScroll(page);
    await shot(page, 'viewer-node');
    const act = await page.goto(`${running.url}/ui/nodes/${third.id}/act?action=maintenance`);
    expect(act?.status()).toBe(403);
    const admin = await page.goto(`${running.url}/ui/admin`);
    expect(admin?.status()).toBe(403);
    for (const path of ['/ui/ipam', '/ui/drift']) {
      await page.goto(`${running.url}${path}`);
      await noSideScroll(page);
      await shot(page, `viewer-${path.slice(4)}`);
    }
    await context.close();
  });

  it('operator: every action asks for confirmation, goes through the API and lands in the history', async () => {
    const { context, page } = await newPage();
    await login(page, USERS.operator);
    const id = fleet.deployed[1] ?? '';
    const act = async (action: string, reason: string) => {
      await page.goto(`${running.url}/ui/nodes/${id}`);
      await page.click(`#actions a[data-action=${action}]`);
      await expect(page.locator('#confirm-what').textContent()).resolves.toContain('→');
      await page.fill('input[name=reason]', reason);
      await page.click('#confirm');
      await page.waitForURL(`${running.url}/ui/nodes/${id}`);
      return await page.locator('#flash').textContent();
    };
    await expect(act('maintenance', 'fan swap')).resolves.toContain('now maintenance, next boot local');
    await shot(page, 'operator-node-maintenance');
    expect((await apiNode(id)).state).toBe('maintenance');
    await expect(act('deploy', 'fan replaced')).resolves.toContain('now deployed');
    await expect(act('reinstall', 'new image')).resolves.toContain('now bmc-configured, next boot install');
    await expect(page.locator('#boot-target').textContent()).resolves.toBe('install');
    await expect(act('fail', 'PSU dead')).resolves.toContain('now failed, next boot live');
    await expect(act('release', 'PSU replaced')).resolves.toContain('now inventoried');
    const history = await running.admin.listNodeHistory(id);
    expect(history.items.slice(0, 5).map((h) => [h.actor.name, h.reason])).toEqual([
      ['otto', 'PSU replaced'],
      ['otto', 'PSU dead'],
      ['otto', 'new image'],
      ['otto', 'fan replaced'],
      ['otto', 'fan swap'],
    ]);
    await expect(page.locator('#history').textContent()).resolves.toContain('user:otto');

    // Set boot target: local for a reinstalling node means maintenance (the only transition that gives it).
    const other = fleet.deployed[2] ?? '';
    await page.goto(`${running.url}/ui/nodes/${other}/act?action=reinstall`);
    await page.fill('input[name=reason]', 'reimage');
    await page.click('#confirm');
    await page.waitForURL(`${running.url}/ui/nodes/${other}`);
    await page.selectOption('select[name=target]', 'local');
    await page.click('button:has-text("Set boot target")');
    await expect(page.locator('#confirm-what').textContent()).resolves.toMatch(/bmc-configured\s*→\s*maintenance/);
    await page.fill('input[name=reason]', 'keep it on disk');
    await page.click('#confirm');
    await page.waitForURL(`${running.url}/ui/nodes/${other}`);
    expect(await apiNode(other)).toMatchObject({ state: 'maintenance', bootTarget: 'local' });
    // The list, cached between changes, shows the change at once.
    await page.goto(`${running.url}/ui/nodes?state=maintenance`);
    await expect(
      page.locator('#nodes tr[data-node]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node'))),
    ).resolves.toEqual([other]);
    await page.goto(`${running.url}/ui/nodes?state=inventoried`);
    await expect(page.locator(`#nodes tr[data-node="${id}"]`).count()).resolves.toBe(1);

    // Location and system disk on an unplaced node: it becomes ready for its BMC, as through the API.
    const fresh = fleet.inventoried[0] ?? '';
    await page.goto(`${running.url}/ui/nodes/${fresh}`);
    await page.click('#actions a[data-action=edit]');
    await page.fill('input[name=site]', 'dc3');
    await page.fill('input[name=rack]', 'r09');
    await page.fill('input[name=unit]', '12');
    const serial = `SA${(31).toString(16).padStart(4, '0')}`;
    await page.selectOption('select[name=disk]', `serial:${serial}`);
    await page.fill('input[name=reason]', 'racked by otto');
    await shot(page, 'operator-edit');
    await page.click('#save');
    await page.waitForURL(`${running.url}/ui/nodes/${fresh}`);
    await expect(page.locator('#location').textContent()).resolves.toBe('site dc3 · rack r09 · unit U12');
    await expect(page.locator('#system-disk').textContent()).resolves.toContain(
      // Chosen by serial; the by-id path the boot files use comes from the inventory.
      `serial ${serial}, /dev/disk/by-id/ata-MZ7KH7T6_${serial} → sda`,
    );
    expect(await apiNode(fresh)).toMatchObject({
      state: 'ready-for-bmc',
      location: { site: 'dc3', rack: 'r09', unit: 12 },
      systemDisk: { serial },
    });
    // A bad value comes back as the API's error, on the form.
    await page.goto(`${running.url}/ui/nodes/${fresh}/edit`);
    await page.fill('input[name=site]', 'Bad Site!');
    await page.click('#save');
    await expect(page.locator('#flash').textContent()).resolves.toContain('VALIDATION_FAILED');
    // A transition the table forbids is refused by MachineDB and shown, not applied.
    const failedNode = fleet.failed;
    const forbidden = await page.goto(`${running.url}/ui/nodes/${failedNode}/act?action=deploy`);
    expect(forbidden?.status()).toBe(200);
    await page.fill('input[name=reason]', 'try');
    await page.click('#confirm');
    await expect(page.locator('#flash').textContent()).resolves.toContain('ILLEGAL_TRANSITION');
    expect((await apiNode(failedNode)).state).toBe('failed');
    // Operators read every other page, none scrolling sideways at 1280 px; the admin page is not theirs.
    for (const path of ['/', '/ui/nodes', '/ui/ipam', '/ui/ipam/pools/primary', '/ui/drift']) {
      expect((await page.goto(`${running.url}${path}`))?.status(), path).toBe(200);
      await noSideScroll(page);
    }
    expect((await page.goto(`${running.url}/ui/admin`))?.status()).toBe(403);
    await context.close();
  });

  it('refuses forms without the CSRF token, with a wrong one, from another origin, and a login without its token', async () => {
    const { context, page } = await newPage();
    await login(page, USERS.operator);
    const id = fleet.deployed[3] ?? '';
    await page.goto(`${running.url}/ui/nodes/${id}/act?action=maintenance`);
    const token = await page.locator('input[name=_csrf]').first().inputValue();
    const cookie = (await context.cookies()).find((c) => c.name === 'fleet_session')?.value ?? '';
    const post = async (form: Record<string, string>, headers: Record<string, string> = {}) =>
      await fetch(`${running.url}/ui/nodes/${id}/act`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: `fleet_session=${cookie}`, 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form).toString(),
      });
    const base = { action: 'maintenance', reason: 'csrf test' };
    const missing = await post(base);
    expect(missing.status).toBe(403);
    expect(await missing.text()).toContain('csrf-refused');
    expect((await post({ ...base, _csrf: `${token.slice(0, -2)}xx` })).status).toBe(403);
    expect((await post({ ...base, _csrf: token }, { origin: 'http://evil.example' })).status).toBe(403);
    // Basic credentials (which a browser may send on its own) never carry a write.
    const basic = Buffer.from(`${USERS.operator.username}:${USERS.operator.password}`).toString('base64');
    const viaBasic = await fetch(`${running.url}/ui/nodes/${id}/act`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...base, _csrf: token }).toString(),
    });
    expect(viaBasic.status).toBe(403);
    expect((await apiNode(id)).state).toBe('deployed');
    // The right token from this origin works.
    const ok = await post({ ...base, _csrf: token }, { origin: running.url });
    expect(ok.status).toBe(303);
    expect((await apiNode(id)).state).toBe('maintenance');
    const loginPost = await fetch(`${running.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: USERS.operator.username, password: USERS.operator.password }).toString(),
    });
    expect(loginPost.status).toBe(403);
    expect(loginPost.headers.get('set-cookie') ?? '').not.toContain('fleet_session=mdbt');
    await context.close();
  });

  it('admin: creates and deletes users, issues a token shown once and revokes it', async () => {
    const { context, page } = await newPage();
    await login(page, USERS.admin2);
    await page.click('header a:has-text("Users and tokens")');
    await page.fill('form[action="/ui/admin/users"] input[name=username]', 'newop');
    await page.fill('form[action="/ui/admin/users"] input[name=password]', 'newop-password-1');
    await page.selectOption('form[action="/ui/admin/users"] select[name=role]', 'operator');
    await page.click('button:has-text("Create user")');
    await expect(page.locator('#flash').textContent()).resolves.toBe('Created operator newop.');
    await expect(page.locator('#users').textContent()).resolves.toContain('newop');
    const who = await running.server.machineDb.login('newop', 'newop-password-1');
    expect(who.principal.role).toBe('operator');

    await page.fill('form[action="/ui/admin/tokens"] input[name=name]', 'grafana');
    await page.click('button:has-text("Create token")');
    const token = (await page.locator('#issued code').textContent()) ?? '';
    expect(token).toMatch(/^mdbt\./);
    await shot(page, 'admin-token-issued');
    const whoami = async () =>
      (await fetch(`${running.url}/api/v1/auth/whoami`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await whoami()).toBe(200);
    await page.goto(`${running.url}/ui/admin`);
    expect(await page.locator('body').textContent()).not.toContain(token);
    await page.click('#tokens tr:has-text("grafana") button:has-text("Revoke")');
    await expect(page.locator('#flash').textContent()).resolves.toBe('Token revoked.');
    expect(await whoami()).toBe(401);
    await page.click('#users tr:has-text("newop") button:has-text("Delete")');
    await expect(page.locator('#flash').textContent()).resolves.toBe('Deleted newop.');
    await expect(running.server.machineDb.login('newop', 'newop-password-1')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    // Admins act too, and see every page without sideways scrolling.
    for (const path of ['/', '/ui/nodes', `/ui/nodes/${fleet.deployed[4]}`, '/ui/ipam', '/ui/drift', '/ui/admin']) {
      await page.goto(`${running.url}${path}`);
      await noSideScroll(page);
    }
    await expect(page.locator('#users').textContent()).resolves.toContain('otto');
    await shot(page, 'admin-users');
    await context.close();
  });

  it('works from the keyboard alone: log in, reach the nodes list, open a node', async () => {
    const { context, page } = await newPage();
    await page.goto(`${running.url}/login`);
    // The user field has focus on arrival; Tab moves to the password; Enter submits.
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'username');
    await page.keyboard.type(USERS.viewer.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(USERS.viewer.password);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${running.url}/`);
    // Tab walks the header links in order; Enter follows the focused one.
    const focused: string[] = [];
    for (let i = 0; i < 2; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.textContent ?? ''));
    }
    expect(focused).toEqual(['Overview', 'Nodes']);
    await page.keyboard.press('Enter');
    await page.waitForURL(`${running.url}/ui/nodes`);
    await page.focus('input[name=q]');
    await page.keyboard.type('web-007');
    await page.keyboard.press('Enter');
    await page.waitForURL(/q=web-007/);
    await page.focus('#nodes tr[data-node] a');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ui\/nodes\/n/);
    await expect(page.locator('h1').textContent()).resolves.toContain('web-007');
    await context.close();

    // An operator acts from the keyboard too: Enter on an action, the reason field has focus, Enter confirms.
    const op = await newPage();
    await login(op.page, USERS.operator);
    const id = fleet.deployed[9] ?? '';
    expect((await apiNode(id)).state).toBe('deployed');
    await op.page.goto(`${running.url}/ui/nodes/${id}`);
    await op.page.focus('#actions a[data-action=maintenance]');
    await op.page.keyboard.press('Enter');
    await op.page.waitForURL(/maintenance/);
    await op.page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'reason');
    await op.page.keyboard.type('keyboard only');
    await op.page.keyboard.press('Enter');
    await op.page.waitForURL(`${running.url}/ui/nodes/${id}`);
    await expect(op.page.locator('#flash').textContent()).resolves.toContain('now maintenance');
    const after = await apiNode(id);
    expect(after.state).toBe('maintenance');
    expect((await running.admin.listNodeHistory(id)).items[0]).toMatchObject({
      actor: { name: 'otto' },
      reason: 'keyboard only',
    });
    await op.context.close();
  });

  it('IPAM: drills from pool to prefix, shows used addresses with their node and free ranges; operators allocate and release', async () => {
    const { context, page } = await newPage();
    await login(page, USERS.viewer);
    await page.click('header a:has-text("IPAM")');
    await page.click('#pools a:has-text("primary")');
    // The pool names the address its next allocation gets; the pool keeps the network and gateway (.0, .1) free.
    const poolNext = (await page.locator('#next-free .next-free').textContent()) ?? '';
    expect(poolNext).toMatch(/^10\.20\.\d+\.\d+$/);
    expect(['10.20.0.0', '10.20.0.1']).not.toContain(poolNext);
    await noSideScroll(page);
    await shot(page, 'viewer-ipam-pool');
    await page.locator('#prefixes a').first().click();
    await expect(page.locator('h1').textContent()).resolves.toContain('10.20.0.0/22');
    // The prefix page names the same one (what "Allocate" here will get).
    await expect(page.locator('#next-free .next-free').textContent()).resolves.toBe(poolNext);
    const node = await apiNode(fleet.deployed[5] ?? '');
    const primary = node.addresses.find((a) => a.purpose === 'primary')?.address ?? '';
    const row = page.locator(`#used tr[data-prefix="${primary}/32"]`);
    await expect(row.locator('a').textContent()).resolves.toBe(node.hostname);
    await expect(page.locator('#free').textContent()).resolves.toContain('10.20.3.255');
    expect(await page.locator('#allocate').count()).toBe(0);
    await noSideScroll(page);
    await shot(page, 'viewer-ipam-prefix');
    const prefixUrl = page.url();
    await context.close();

    const op = await newPage();
    await login(op.page, USERS.operator);
    await op.page.goto(prefixUrl);
    const usedBefore = await op.page.locator('#usage').textContent();
    await op.page.fill('input[name=description]', 'rabbitmq vip');
    await op.page.fill('input[name=function]', 'vip');
    await op.page.click('#allocate');
    const flash = (await op.page.locator('#flash').textContent()) ?? '';
    const allocated = /Allocated (\S+)\./.exec(flash)?.[1] ?? '';
    // The address the page named before is the one the allocation got; the page now names the one after it.
    expect(allocated).toBe(`${poolNext}/32`);
    expect(await op.page.locator('#usage').textContent()).not.toBe(usedBefore);
    const nextAfter = (await op.page.locator('#next-free .next-free').textContent()) ?? '';
    expect(nextAfter).toMatch(/^10\.20\.\d+\.\d+$/);
    expect(nextAfter).not.toBe(poolNext);
    expect((await running.server.ipam.nextFreeAddress({ pool: 'primary' }))?.address).toBe(nextAfter);
    await expect(op.page.locator(`#used tr[data-prefix="${allocated}"]`).textContent()).resolves.toContain(
      'rabbitmq vip',
    );
    const found = await running.server.ipam.search({ function: 'vip' });
    expect(found.map((p) => [p.prefix, p.createdBy])).toEqual([[allocated, 'otto']]);
    await op.page.locator(`#used tr[data-prefix="${allocated}"] button`).click();
    await expect(op.page.locator('#flash').textContent()).resolves.toBe(`Released ${allocated}.`);
    expect(await running.server.ipam.search({ function: 'vip' })).toEqual([]);
    // Released, it is the next free address again.
    await expect(op.page.locator('#next-free .next-free').textContent()).resolves.toBe(poolNext);
    await shot(op.page, 'operator-ipam-prefix');
    // A node's own address stays: MachineDB holds it, so it is released by decommissioning the node.
    await op.page.locator(`#used tr[data-prefix="${primary}/32"] button`).click();
    await expect(op.page.locator('#flash').textContent()).resolves.toContain('decommission the node');
    expect((await running.server.ipam.lookup(primary))?.prefix).toBe(`${primary}/32`);
    await op.context.close();
  });

  it('escapes what nodes report', async () => {
    const db = running.server.machineDb;
    const inv = consoleInventory(900);
    const { nodeId } = await db.submitInventory(
      { ...inv, disks: [{ ...inv.disks[0]!, model: '<img src=x onerror=alert(1)>' }] },
      { kind: 'enrol' },
    );
    const { context, page } = await newPage();
    await login(page, USERS.viewer);
    await page.goto(`${running.url}/ui/nodes/${nodeId}`);
    await expect(page.locator('#disks').textContent()).resolves.toContain('<img src=x onerror=alert(1)>');
    expect(await page.locator('#disks img').count()).toBe(0);
    await context.close();
  });

  it('operator: one action on several selected nodes, confirmed, with the ones the table forbids skipped', async () => {
    const { context, page } = await newPage();
    await login(page, USERS.operator);
    const deployed = fleet.deployed[6] ?? '';
    const failed = fleet.failed;
    await page.goto(`${running.url}/ui/nodes?per=100`);
    await noSideScroll(page);
    await page.check(`input[name=id][value="${deployed}"]`);
    await page.check(`input[name=id][value="${failed}"]`);
    await page.selectOption('#bulk select[name=action]', 'release');
    await page.click('#bulk-apply');
    await expect(page.locator('h1').textContent()).resolves.toContain('1 of 2 selected nodes');
    await expect(page.locator(`#bulk-nodes tr[data-node="${deployed}"]`).textContent()).resolves.toContain(
      'skipped: not allowed from deployed',
    );
    await shot(page, 'operator-bulk-confirm');
    await page.fill('input[name=reason]', 'disks replaced');
    await page.click('#confirm');
    await page.waitForURL(/\/ui\/nodes\?state=inventoried$/);
    await expect(page.locator('#flash').textContent()).resolves.toContain('1 of 1 nodes now inventoried');
    await expect(page.locator(`#nodes tr[data-node="${failed}"]`).count()).resolves.toBe(1);
    expect((await apiNode(failed)).state).toBe('inventoried');
    expect((await apiNode(deployed)).state).toBe('deployed');
    const last = (await running.admin.listNodeHistory(failed)).items[0];
    expect(last).toMatchObject({ actor: { kind: 'user', name: 'otto' }, reason: 'disks replaced' });
    // Viewers get no selection boxes.
    await context.close();
    const viewer = await newPage();
    await login(viewer.page, USERS.viewer);
    await viewer.page.goto(`${running.url}/ui/nodes`);
    expect(await viewer.page.locator('input[name=id]').count()).toBe(0);
    expect((await viewer.page.goto(`${running.url}/ui/nodes/bulk?id=${failed}&action=fail`))?.status()).toBe(403);
    await viewer.context.close();
  });
});

describe('console cookies behind a TLS proxy', () => {
  it('marks the login and session cookies Secure when FLEET_SECURE_COOKIES is set', async () => {
    const s = await startServer({ FLEET_SECURE_COOKIES: 'true' });
    try {
      await s.server.machineDb.createUser(USERS.viewer);
      const form = await fetch(`${s.url}/login`);
      const loginCookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      expect(form.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
      const res = await fetch(`${s.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, ...USERS.viewer, next: '//evil.example/' }).toString(),
      });
      expect(res.status).toBe(303);
      // `next` only ever leads back into this site.
      expect(res.headers.get('location')).toBe('/');
      const session = res.headers.getSetCookie().find((c) => c.startsWith('fleet_session=mdbt.'));
      expect(session).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
    } finally {
      await s.stop();
    }
  });
});

describe.skipIf(!hasService('ldap'))('console login with LDAP users (slapd)', () => {
  it('logs in LDAP users with the role of their group and says why one without a group is refused', async () => {
    const ldap = serviceEnv().ldap;
    if (!ldap) return;
    const s = await startServer({
      FLEET_LDAP_URL: ldap.url,
      FLEET_LDAP_USERS_DN: ldap.usersDn,
      FLEET_LDAP_GROUPS_DN: ldap.groupsDn,
      FLEET_LDAP_ADMIN_GROUP: ldap.adminGroup,
      FLEET_LDAP_VIEWER_GROUP: ldap.viewerGroup,
    });
    const formLogin = async (username: string, password: string) => {
      const form = await fetch(`${s.url}/login`);
      const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
      const res = await fetch(`${s.url}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, username, password }).toString(),
      });
      const session = res.headers
        .getSetCookie()
        .find((c) => c.startsWith('fleet_session=mdbt.'))
        ?.split(';')[0];
      return { status: res.status, session, text: await res.text() };
    };
    try {
      const alice = await formLogin('alice', ldap.users.alice ?? '');
      expect(alice.status).toBe(303);
      const home = await fetch(`${s.url}/`, { headers: { cookie: alice.session ?? '' } });
      expect(await home.text()).toContain('alice (admin)');
      const bob = await formLogin('bob', ldap.users.bob ?? '');
      const bobHome = await fetch(`${s.url}/ui/admin`, { headers: { cookie: bob.session ?? '', accept: 'text/html' } });
      expect(bobHome.status).toBe(403);
      const carol = await formLogin('carol', ldap.users.carol ?? '');
      expect(carol.status).toBe(403);
      expect(carol.session).toBeUndefined();
      expect(carol.text).toMatch(/carol.*LDAP group/);
      expect((await formLogin('alice', 'wrong')).status).toBe(401);
    } finally {
      await s.stop();
    }
  });
});

describe('console drift page against two Consul datacenters (Consul HTTP API test double)', () => {
  it('summarises per datacenter, says when it checked, links the nodes and shows plain text details', async () => {
    const lab = await startConsulDouble({ datacenter: 'lab' });
    const prod = await startConsulDouble({ datacenter: 'prod' });
    const s = await startServer({ FLEET_CONSUL_DATACENTERS: `lab=${lab.url},prod=${prod.url}` });
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    });
    try {
      mkdirSync(shots, { recursive: true });
      await s.server.machineDb.createUser(USERS.viewer);
      const seeded = await seedConsoleFleet(s.server, 6);
      prod.registerNode({ node: 'stranger', address: '10.9.9.9' });
      const report = await s.server.drift();
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await page.goto(`${s.url}/login`);
      await page.fill('input[name=username]', USERS.viewer.username);
      await page.fill('input[name=password]', USERS.viewer.password);
      await page.click('#login');
      await page.waitForURL(`${s.url}/`);
      await page.goto(`${s.url}/ui/drift`);
      await expect(page.locator('#checked').textContent()).resolves.toMatch(
        /^Checked \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
      );
      for (const dc of new Set(report.findings.map((f) => f.datacenter))) {
        const count = report.findings.filter((f) => f.datacenter === dc).length;
        await expect(page.locator(`#drift-summary .card:has-text("${dc}") b`).textContent()).resolves.toBe(
          String(count),
        );
      }
      await expect(page.locator('#drift tr:has-text("stranger")').textContent()).resolves.toContain('unknown');
      // A finding about a MachineDB node links to its page.
      const deployedName = (await s.admin.getNode(seeded.deployed[0] ?? '')).hostname ?? '';
      const finding = report.findings.find((f) => f.node === deployedName);
      expect(finding).toBeDefined();
      await page.locator(`#drift a:has-text("${deployedName}")`).first().click();
      await page.waitForURL(/\/ui\/nodes\/n/);
      await page.goBack();
      expect(await page.locator('#drift').textContent()).not.toMatch(/[{}"]/);
      await shot(page, 'viewer-drift-consul');
    } finally {
      await browser.close();
      await s.stop();
      await lab.close();
      await prod.close();
    }
    async function shot(page: Page, name: string) {
      await page.screenshot({ path: `${shots}${name}.png`, fullPage: true });
    }
  });
});
