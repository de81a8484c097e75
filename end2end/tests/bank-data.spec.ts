// A connected bank's data in the merchant app: accounts with balances, transactions with dates and
// paging, identity; and the states Lean can answer with, put on cue through the sandbox's controls.
import { expect, Page, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningApp, startApp } from './server';

const SHOTS = path.join(__dirname, '..', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});
test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) console.log(app.logs().slice(-4000));
});

async function expectNoSeriousA11yIssues(page: Page) {
  const results = await new AxeBuilder({ page }).exclude('#lean-link-frame').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)).toEqual([]);
}

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/// Where the balance chart's first date sits against its last: 'left' or 'right' of it. Asked again
/// until both are on screen: the bank page loads its data again once the live stream opens, and the
/// chart is redrawn with it.
async function firstDateSide(page: Page) {
  let side = '';
  await expect(async () => {
    const first = await page.getByTestId('chart-first-date').boundingBox();
    const last = await page.getByTestId('chart-last-date').boundingBox();
    expect(first && last).toBeTruthy();
    side = first!.x < last!.x ? 'left' : 'right';
  }).toPass();
  return side;
}

/// The Link UI's steps for the sandbox user who logs straight in (the bank is already chosen when the
/// flow renews a connection).
async function linkLogin(page: Page, user: string, pass: string) {
  const link = page.frameLocator('#lean-link-frame');
  const bank = link.getByTestId('bank-LEAN_MB1');
  const username = link.getByLabel('Username');
  await expect(bank.or(username).first()).toBeVisible();
  if (await bank.isVisible()) await bank.click();
  await username.fill(user);
  await link.getByLabel('Password').fill(pass);
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByRole('button', { name: 'Allow' }).click();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('#lean-link-frame')).toHaveCount(0);
}

async function scenario(pathname: string, body: unknown) {
  const res = await fetch(`${app.sandboxUrl}/sandbox/scenarios/${pathname}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  expect(res.ok).toBe(true);
  return res.json();
}

async function signUpAndConnect(page: Page, user: string, pass: string) {
  await page.goto(`${app.url}/signup`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Email').fill(`data+${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill(user);
  await link.getByLabel('Password').fill(pass);
  await link.getByRole('button', { name: 'Log in' }).click();
  if (user === 'user_otp') {
    await link.getByLabel('One-time code').fill('1111');
    await link.getByRole('button', { name: 'Verify' }).click();
  }
  await link.getByRole('button', { name: 'Allow' }).click();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('entity-card')).toHaveCount(1);
}

test('accounts, balances, transactions and identity; reconnect after the bank session expires', async ({ page }) => {
  await signUpAndConnect(page, 'user_otp', 'pass_otp');
  await page.getByTestId('view-bank').click();
  await expect(page.getByTestId('bank-title')).toHaveText('Lean Mockbank');
  await hydrated(page);
  await expect(page.getByTestId('account-card').first()).toBeVisible();
  const accounts = await page.getByTestId('account-card').count();
  expect(accounts).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('account-balance').first()).toHaveText(/^-?\d{1,3}(,\d{3})*\.\d{2} AED$/);
  await expect(page.getByTestId('tx-row').first()).toBeVisible();
  await expect(page.getByTestId('identity')).toContainText('Name');
  // Every amount is grouped by thousands, as the charts are: no run of four digits before the point.
  for (const amount of await page.locator('[data-testid=account-balance], [data-testid=tx-row] td.num').allTextContents()) {
    expect(amount).toMatch(/^-?\d{1,3}(,\d{3})*\.\d{2} AED$/);
  }
  await expect(page.getByTestId('spending-chart')).toHaveAttribute('aria-label', /Spending by category: \w/);
  await expect(page.getByTestId('balance-chart')).toHaveAttribute('aria-label', /Balance from \d{4}-\d{2}-\d{2}/);
  await page.screenshot({ path: path.join(SHOTS, 'bank-data-en.png'), fullPage: true });

  // Refresh: Lean fetches again, and the status follows its webhooks live.
  await page.getByTestId('refresh-data').click();
  await expect(page.getByTestId('refresh-status')).toHaveText(/fetching fresh data|up to date/);
  await expect(page.getByTestId('refresh-status')).toHaveText('Data is up to date.', { timeout: 20_000 });

  // Paging and a narrower date range.
  await expect(page.getByTestId('tx-page')).toHaveText(/Page 1 of \d+/);
  const firstPage = await page.getByTestId('tx-table').locator('tbody').textContent();
  await page.getByRole('button', { name: 'Older' }).click();
  await expect(page.getByTestId('tx-page')).toHaveText(/Page 2 of/);
  await expect(page.getByTestId('tx-table').locator('tbody')).not.toHaveText(firstPage ?? '');
  await page.getByTestId('tx-from').fill('2000-01-01');
  await page.getByTestId('tx-from').dispatchEvent('change');
  await page.getByTestId('tx-to').fill('2000-01-31');
  await page.getByTestId('tx-to').dispatchEvent('change');
  await expect(page.getByTestId('tx-empty')).toBeVisible();

  // The bank logs the user out: Lean answers RECONNECT_REQUIRED, the app offers Reconnect.
  await scenario('expire-session', { username: 'user_otp' });
  await page.reload();
  await expect(page.getByTestId('data-state')).toHaveAttribute('data-state', 'RECONNECT_REQUIRED');
  await page.screenshot({ path: path.join(SHOTS, 'bank-reconnect-en.png'), fullPage: true });
  await page.evaluate(() => ((window as any).__sameDocument = true));
  await page.getByTestId('reconnect').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByLabel('Username').fill('user_otp');
  await link.getByLabel('Password').fill('pass_otp');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByLabel('One-time code').fill('1111');
  await link.getByRole('button', { name: 'Verify' }).click();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('account-card').first()).toBeVisible();
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
});

test('a bank failure is shown in plain words', async ({ page }) => {
  await signUpAndConnect(page, 'user_simple', 'pass_simple');
  const entityId = await page.getByTestId('entity-card').getAttribute('data-entity-id');
  // Each scripted answer applies to one call and they queue; the page asks more than once (first load,
  // then again when its live stream connects), so the bank stays down for a few calls.
  for (let i = 0; i < 4; i++) {
    await scenario('next-data-call', {
      entity_id: entityId, status: 'FAILED', granular_status_code: 'BANK_MAINTENANCE',
      status_additional_info: 'The bank is down for scheduled maintenance',
    });
  }
  await page.getByTestId('view-bank').click();
  await expect(page.getByTestId('data-state')).toHaveAttribute('data-state', 'FAILED');
  await expect(page.getByTestId('data-state')).toContainText('The bank is down for scheduled maintenance');
  await expect(page.getByTestId('data-state')).toContainText('BANK_MAINTENANCE');
});

test('a PENDING answer: the data appears live when Lean sends results.ready', async ({ page }) => {
  await signUpAndConnect(page, 'user_simple', 'pass_simple');
  const entityId = await page.getByTestId('entity-card').getAttribute('data-entity-id');
  // Lean answers the next data call with PENDING and a results_id; its results.ready follows.
  await scenario('next-data-call', { entity_id: entityId, status: 'PENDING' });
  // The bank page is a page of its own: the server renders it with Lean's PENDING answer.
  await page.getByTestId('view-bank').click();
  await expect(page.getByTestId('data-state')).toHaveAttribute('data-state', 'PENDING');
  await hydrated(page);
  // From here on, record every data state the page shows, and prove there is no reload in between.
  await page.evaluate(() => {
    const w = window as any;
    w.__sameDocument = true;
    w.__states = [];
    const record = () => {
      document.querySelectorAll('[data-testid=data-state]').forEach((el) => {
        const state = el.getAttribute('data-state');
        if (w.__states[w.__states.length - 1] !== state) w.__states.push(state);
      });
    };
    record();
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true });
  });
  await expect(page.getByTestId('account-card').first()).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('account-balance').first()).toHaveText(/^-?\d{1,3}(,\d{3})*\.\d{2} AED$/);
  await expect(page.getByTestId('tx-row').first()).toBeVisible();
  // Nothing but PENDING was shown before the data (results.ready may land before the recording starts).
  const seen: string[] = await page.evaluate(() => (window as any).__states);
  expect(seen.filter((s) => s !== 'PENDING')).toEqual([]);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(page.getByTestId('data-state')).toHaveCount(0);
});

test('an expired consent offers Connect again, and the data comes back live', async ({ page }) => {
  await signUpAndConnect(page, 'user_simple', 'pass_simple');
  const entityId = await page.getByTestId('entity-card').getAttribute('data-entity-id');
  await scenario('next-data-call', { entity_id: entityId, status: 'CONSENT_EXPIRED' });
  await page.getByTestId('view-bank').click();
  const notice = page.getByTestId('data-state');
  await expect(notice).toHaveAttribute('data-state', 'CONSENT_EXPIRED');
  await expect(notice).toContainText('consent to share Lean Mockbank data has expired');
  // Reload only once the island is live: a reload while it was still fetching its wasm chunk once left
  // the reloaded page unhydrated for 15 s in CI (probably Chromium's reload waiting on the cache entry
  // the aborted fetch was writing).
  await hydrated(page);
  // The app remembers it: Lean is not asked again (the scripted answer was for one call only).
  await page.reload();
  await hydrated(page);
  await expect(notice).toHaveAttribute('data-state', 'CONSENT_EXPIRED');
  await page.goto(`${app.url}/dashboard`);
  await expect(page.getByTestId('entity-status')).toHaveAttribute('data-status', 'consent_expired');
  await expect(page.getByTestId('view-bank')).toHaveText('Connect again');
  await page.getByTestId('view-bank').click();
  await expect(notice).toHaveAttribute('data-state', 'CONSENT_EXPIRED');
  await page.screenshot({ path: path.join(SHOTS, 'bank-consent-expired-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  await page.evaluate(() => ((window as any).__sameDocument = true));
  await page.getByTestId('connect-again').click();
  await linkLogin(page, 'user_simple', 'pass_simple');
  await expect(page.getByTestId('flow-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  await expect(page.getByTestId('account-card').first()).toBeVisible({ timeout: 15_000 });
  await expect(notice).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await page.goto(`${app.url}/dashboard`);
  await expect(page.getByTestId('entity-status')).toHaveAttribute('data-status', 'active');
});

test('the dashboard and the bank page in English and in Arabic, right to left', async ({ page }) => {
  await signUpAndConnect(page, 'user_simple', 'pass_simple');
  await expect(page.getByTestId('entity-data-status')).toHaveText('Data ready');
  await expect(page.getByTestId('flow-history')).toContainText('connect');
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);
  await page.getByTestId('view-bank').click();
  await expect(page.getByTestId('account-card').first()).toBeVisible();
  await expect(page.getByTestId('balance-chart')).toBeVisible();
  await expect(page.getByTestId('tx-row').first()).toBeVisible();
  expect(await firstDateSide(page)).toBe('left');
  await page.screenshot({ path: path.join(SHOTS, 'bank-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);
  const bankPath = new URL(page.url()).pathname;

  await page.goto(`${app.url}/lang/ar?back=/dashboard`);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('بنوكك');
  await expect(page.getByRole('heading', { name: 'آخر نتائج Link SDK' })).toBeVisible();
  await expect(page.getByTestId('entity-status')).toHaveText('نشط');
  await expect(page.locator('.bank-name')).toHaveText('بنك لين التجريبي');
  await expect(page.getByTestId('entity-data-status')).toHaveText('البيانات جاهزة');
  await expect(page.getByTestId('view-bank')).toHaveText('الحسابات والمعاملات');
  await expect(page.getByTestId('live-status')).toHaveText(/مباشر/);
  await expect(page.getByTestId('flow-history')).toContainText('نجاح');
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-ar.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  await page.getByTestId('view-bank').click();
  await expect(page).toHaveURL(new RegExp(`${bankPath}$`));
  await expect(page.getByRole('heading', { name: 'الحسابات', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'صاحب الحساب' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^المعاملات/ })).toBeVisible();
  await expect(page.getByTestId('refresh-data')).toHaveText('تحديث البيانات');
  await expect(page.getByTestId('tx-page')).toHaveText(/^الصفحة 1 من \d+$/);
  await expect(page.getByTestId('identity')).toContainText('الاسم');
  for (const amount of await page.locator('[data-testid=account-balance], [data-testid=tx-row] td.num').allTextContents()) {
    expect(amount).toMatch(/^-?\d{1,3}(,\d{3})*\.\d{2} AED$/);
  }
  await expect(page.getByTestId('spending-chart')).toHaveAttribute('aria-label', /^الإنفاق حسب الفئة: /);
  await expect(page.getByTestId('balance-chart')).toHaveAttribute('aria-label', /^الرصيد من \d{4}-\d{2}-\d{2}/);
  // Categories Lean sends as codes are shown in Arabic, in the chart and in the table.
  await expect(page.getByTestId('spending-chart')).toHaveAttribute('aria-label', /البقالة/);
  await expect(page.getByTestId('spending-chart')).not.toHaveAttribute('aria-label', /[A-Za-z]{4,}:/);
  await expect(page.getByTestId('tx-table').locator('tbody')).toContainText('البقالة');
  // Time runs right to left in Arabic: the oldest date is on the right.
  expect(await firstDateSide(page)).toBe('right');
  // The bank is named as Lean's Arabic bank list names it, and no English heading is left.
  await expect(page.getByTestId('bank-title')).toHaveText('بنك لين التجريبي');
  for (const heading of await page.locator('main h1, main h2, main h3').allTextContents()) {
    expect(heading).toMatch(/[\u0600-\u06FF]/);
  }
  await page.screenshot({ path: path.join(SHOTS, 'bank-ar.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);
  // Back to English for the other tests in this browser context.
  await page.goto(`${app.url}/lang/en?back=/dashboard`);
});
