// The developer console (live webhooks and Lean calls, replay, signed test webhooks) and the sandbox
// panel (expire a bank session on cue), in the browser against the embedded sandbox.
import AxeBuilder from '@axe-core/playwright';
import { BrowserContext, expect, Page, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningApp, SECRETS, startApp } from './server';

const SHOTS = path.join(__dirname, '..', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

// The first test is the admin's app-wide view (refused webhooks are only there); everyone else sees
// their own calls and webhooks.
const ADMIN = `console-admin+${Date.now()}@example.com`;

let app: RunningApp;
test.beforeAll(async () => {
  process.env.ADMIN_EMAILS = ADMIN;
  app = await startApp();
  delete process.env.ADMIN_EMAILS;
});
test.afterAll(async () => {
  await app?.stop();
});

async function goto(page: Page, pathname: string) {
  await page.goto(`${app.url}${pathname}`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

async function signUp(page: Page, email = `console+${Date.now()}@example.com`) {
  await goto(page, '/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** Connects Lean Mockbank as `user_otp` from the dashboard; returns the new entity's id. */
async function connectBank(page: Page): Promise<string> {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill('user_otp');
  await link.getByLabel('Password').fill('pass_otp');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByLabel('One-time code').fill('1111');
  await link.getByRole('button', { name: 'Verify' }).click();
  await link.getByRole('button', { name: 'Allow' }).click();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('entity-card')).toHaveCount(1);
  const id = await page.getByTestId('entity-card').getAttribute('data-entity-id');
  expect(id).toBeTruthy();
  return id!;
}

/** Console log fetches the page made: one when its live stream opens, none while rows arrive. */
const logFetches: string[] = [];

async function openConsole(context: BrowserContext): Promise<Page> {
  const dev = await context.newPage();
  dev.on('request', (r) => {
    if (r.url().includes('/api/console_log')) logFetches.push(r.url());
  });
  await goto(dev, '/dashboard');
  await dev.getByTestId('console-toggle').click();
  await expect(dev).toHaveURL(/\/console$/);
  await expect(dev.getByTestId('console')).toBeVisible();
  return dev;
}

test('the console shows webhooks live, replays them, and sends signed test webhooks', async ({ page, context }) => {
  await signUp(page, ADMIN);
  const dev = await openConsole(context);
  await expect(dev.getByTestId('console-scope')).toContainText('Admin view');
  await expect(dev.getByTestId('calls-table')).toContainText('/customers/v1');
  // The log is fetched when the page opens and again when its live stream connects; then never.
  await expect(dev.getByTestId('live-status')).toHaveText('Live');
  await expect.poll(() => logFetches.length).toBeGreaterThan(0);
  await dev.waitForTimeout(500);
  const fetchesOnceLive = logFetches.length;

  // Connecting a bank in another tab: Lean's entity.created appears in the open dev, no reload.
  const entityId = await connectBank(page);
  const row = dev.locator('[data-testid="webhook-row"][data-event-type="entity.created"]').first();
  await expect(row).toHaveAttribute('data-status', 'processed');
  await expect(row.getByTestId('verdict')).toHaveText('Valid signature');
  await row.locator('summary').click();
  await expect(row.getByTestId('payload')).toContainText(entityId);

  // Replay: applied again through the worker, with the same result.
  const eventId = await row.getAttribute('data-event-id');
  await row.getByTestId('replay').click();
  await expect(dev.getByTestId('replay-result')).toContainText('Replaying');
  const replayed = dev.locator(`[data-testid="webhook-row"][data-event-id="${eventId}"]`);
  await expect(replayed).toHaveAttribute('data-status', 'processed');
  await goto(page, '/dashboard');
  await expect(page.getByTestId('entity-card')).toHaveCount(1);

  // A signed test webhook goes through the app's own endpoint and shows up verified.
  await dev.getByTestId('test-webhook-type').selectOption('results.ready');
  await dev.getByTestId('send-test-webhook').click();
  const result = dev.getByTestId('test-webhook-result');
  await expect(result).toContainText('verified the signature and accepted it');
  const sentId = /\(([0-9a-f-]{36})\)/.exec((await result.textContent()) ?? '')?.[1];
  expect(sentId).toBeTruthy();
  const sent = dev.locator(`[data-testid="webhook-row"][data-event-id="${sentId}"]`);
  await expect(sent).toHaveAttribute('data-status', 'processed');
  await expect(sent).toHaveAttribute('data-event-type', 'results.ready');

  // A forged webhook is refused and shown as such, with nothing of it kept.
  const forged = await fetch(`${app.url}/webhooks/lean`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'lean-signature': 'sha512=00' },
    body: JSON.stringify({ type: 'entity.created', event_id: 'forged-event', payload: {} }),
  });
  expect(forged.status).toBe(401);
  const refused = dev.locator('[data-testid="webhook-row"][data-event-id="forged-event"]');
  await expect(refused).toHaveAttribute('data-status', 'rejected');
  await expect(refused.getByTestId('verdict')).toContainText('Rejected');

  // Everything above arrived on the live stream: no fetch of the log since the stream opened.
  expect(logFetches.length).toBe(fetchesOnceLive);
  await expect(dev.getByTestId('live-status')).toHaveText('Live');

  const html = await dev.content();
  for (const secret of [SECRETS.clientSecret, SECRETS.webhookSecret, 'sha512=']) {
    expect(html).not.toContain(secret);
  }
  await dev.screenshot({ path: path.join(SHOTS, 'console-en.png'), fullPage: true });
  await expectAccessible(dev);

  // The toggle goes back.
  await dev.getByTestId('console-toggle').click();
  await expect(dev).toHaveURL(/\/dashboard$/);
});

test('sandbox panel: expiring the bank session makes the bank page ask to reconnect', async ({ page }) => {
  await signUp(page);
  const entityId = await connectBank(page);
  // Someone who is not an admin sees their own console: their bank's webhook, nobody else's.
  await goto(page, '/console');
  await expect(page.getByTestId('console-scope')).toContainText('You see your own calls and webhooks');
  const own = page.locator('[data-testid="webhook-row"][data-event-type="entity.created"]');
  await expect(own).toHaveCount(1);
  await own.locator('summary').click();
  await expect(own.getByTestId('payload')).toContainText(entityId);
  await expect(page.locator('[data-testid="webhook-row"][data-status="rejected"]')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'console-own-en.png'), fullPage: true });
  await page.getByRole('link', { name: 'Sandbox', exact: true }).click();
  await expect(page).toHaveURL(/\/sandbox$/);
  await expect(page.getByTestId('test-user')).toHaveCount(5);
  await expect(page.getByTestId('otp')).toHaveText('1111');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');

  // The dashboard, open in another tab, learns of it live: no reload, no visit to the bank's page.
  const dashboard = await page.context().newPage();
  await goto(dashboard, '/dashboard');
  await expect(dashboard.getByTestId('live-status')).toHaveText(/Live/);
  await expect(dashboard.getByTestId('entity-status')).toHaveAttribute('data-status', 'active');

  await page.getByTestId('expire-user').selectOption('user_otp');
  await page.getByTestId('expire-session').click();
  // Other tests' accounts connect user_otp too: the answer counts this person's banks only.
  await expect(page.getByTestId('expire-result')).toContainText(
    'The bank logged user_otp out: your bank connected with user_otp now asks you to log in again');
  await expect(dashboard.getByTestId('entity-status')).toHaveAttribute('data-status', 'reconnect_required');
  await expect(dashboard.getByTestId('entity-data-status')).toHaveText('Log in to your bank again to see new data.');
  await expect(dashboard.getByTestId('view-bank')).toHaveText('Reconnect');
  await dashboard.screenshot({ path: path.join(SHOTS, 'dashboard-reconnect-en.png'), fullPage: true });
  await dashboard.close();
  await page.screenshot({ path: path.join(SHOTS, 'sandbox-panel-en.png'), fullPage: true });
  await expectAccessible(page);

  await goto(page, `/banks/${entityId}`);
  await expect(page.getByTestId('data-state')).toHaveAttribute('data-state', 'RECONNECT_REQUIRED');

  // Back to normal for whoever presents next.
  await goto(page, '/sandbox');
  await page.getByTestId('clear-scenarios').click();
  await expect(page.getByTestId('clear-result')).toContainText('All scenarios are cleared');
});

test('the console shows a page at a time, and filters each table', async ({ page }) => {
  await signUp(page);
  // 21 signed test webhooks through the app's own endpoint: one more than a page holds.
  await goto(page, '/console');
  const sent = await page.evaluate(async () => {
    let ok = 0;
    for (let i = 0; i < 21; i++) {
      const kind = i % 3 === 0 ? 'results.ready' : 'entity.data.refresh.updated';
      const res = await fetch('/api/send_test_webhook', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `event_type=${kind}`,
      });
      if (res.ok) ok++;
    }
    return ok;
  });
  expect(sent).toBe(21);
  await goto(page, '/console');
  const rows = page.getByTestId('webhook-row');
  const pager = page.getByTestId('webhooks-pager');
  await expect(rows).toHaveCount(20);
  await expect(pager.getByTestId('newest')).toBeDisabled();
  await pager.getByTestId('older').click();
  await expect(rows).toHaveCount(1);
  await expect(pager.getByTestId('older')).toBeDisabled();
  await pager.getByTestId('newest').click();
  await expect(rows).toHaveCount(20);

  // By type: the seven results.ready; by state: none was refused.
  await page.getByTestId('webhook-type-filter').selectOption('results.ready');
  await expect(rows).toHaveCount(7);
  await expect(page.locator('[data-testid="webhook-row"]:not([data-event-type="results.ready"])')).toHaveCount(0);
  await page.getByTestId('webhook-status-filter').selectOption('rejected');
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('no-webhooks')).toHaveText('No webhooks match this selection.');
  await page.screenshot({ path: path.join(SHOTS, 'console-filtered-en.png'), fullPage: true });
  await expectAccessible(page);

  // Failed calls only: sign-up's lookup of a customer that did not exist yet (404), nothing that worked.
  await page.getByTestId('failed-calls-only').check();
  await expect(page.locator('[data-testid="call-row"][data-status="404"]')).not.toHaveCount(0);
  await expect(page.locator('[data-testid="call-row"][data-status^="2"]')).toHaveCount(0);
});
