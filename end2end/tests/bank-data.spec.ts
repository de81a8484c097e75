// A connected bank's data in the merchant app: accounts with balances, transactions with dates and
// paging, identity; and the states Lean can answer with, put on cue through the sandbox's controls.
import { expect, Page, test } from '@playwright/test';
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
  await expect(page.getByTestId('account-card').first()).toBeVisible();
  const accounts = await page.getByTestId('account-card').count();
  expect(accounts).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId('account-balance').first()).toHaveText(/^-?\d+\.\d{2} AED$/);
  await expect(page.getByTestId('tx-row').first()).toBeVisible();
  await expect(page.getByTestId('identity')).toContainText('Name');
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
