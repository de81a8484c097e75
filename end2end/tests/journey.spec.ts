// The whole walking-skeleton journey, as a user does it: sign up, connect a bank through the sandbox's
// Link UI (OTP user), see the bank appear live, and find it again after a reload and a server restart.
import { expect, Page, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { portOf, RunningApp, startApp } from './server';

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

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

async function signUp(page: Page, email: string) {
  await page.goto(`${app.url}/signup`);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: 'Your banks' })).toBeVisible();
}

async function expectNoSeriousA11yIssues(page: Page) {
  const results = await new AxeBuilder({ page }).exclude('#lean-link-frame').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test('a new user connects a bank and sees it arrive live, and it survives reload and restart', async ({ page }) => {
  // The whole journey runs under the app's Content-Security-Policy: any violation fails the test.
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  await page.goto(app.url);
  await hydrated(page);
  await page.screenshot({ path: path.join(SHOTS, 'home-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  const email = `ann+${Date.now()}@example.com`;
  await signUp(page, email);
  await expect(page.getByTestId('entity-empty')).toBeVisible();
  await expect(page.getByTestId('live-status')).toHaveText(/Live/);
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-empty-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  // A marker on window proves the entity shows up without a page reload.
  await page.evaluate(() => ((window as any).__sameDocument = true));

  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill('user_otp');
  await link.getByLabel('Password').fill('pass_otp');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByLabel('One-time code').fill('1111');
  await page.screenshot({ path: path.join(SHOTS, 'link-otp-en.png') });
  await link.getByRole('button', { name: 'Verify' }).click();
  await expect(link.getByTestId('consent-permission')).toHaveCount(4);
  await page.screenshot({ path: path.join(SHOTS, 'link-consent-en.png') });
  await link.getByRole('button', { name: 'Allow' }).click();
  await expect(link.getByText('Bank connected')).toBeVisible();
  await link.getByRole('button', { name: 'Done' }).click();

  await expect(page.locator('#lean-link-frame')).toHaveCount(0);
  await expect(page.getByTestId('flow-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  const card = page.getByTestId('entity-card');
  await expect(card).toHaveCount(1);
  // The entity's webhook lists the bank before the SDK closes; this was still the first connection.
  await expect(page.getByTestId('flow-outcome')).toContainText('Bank connected');
  await expect(page.getByTestId('flow-outcome')).not.toContainText('already connected');
  // Once the bank is on the page, the notice says so rather than "in a moment".
  await expect(page.getByTestId('flow-outcome')).toHaveText('Bank connected. It is listed below.');
  await expect(card).toContainText('Lean Mockbank');
  await expect(card).toContainText('Transactions');
  await expect(card.getByTestId('entity-data-status')).toHaveText('Data ready');
  expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
  await expect(page.locator('table')).toContainText('connect');
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-connected-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId('entity-card')).toContainText('Lean Mockbank');

  // Restart on the same ports and data: the session, the customer and the entity all persist.
  const { dataDir, url, sandboxUrl } = app;
  await app.stop();
  app = await startApp({ dataDir, appPort: portOf(url), sandboxPort: portOf(sandboxUrl) });
  await page.goto(`${app.url}/dashboard`);
  await hydrated(page);
  await expect(page.getByTestId('entity-card')).toContainText('Lean Mockbank');
  await expect(page.getByTestId('live-status')).toHaveText(/Live/);
  expect(violations).toEqual([]);
});

test('closing the Link UI records a cancelled flow and connects nothing', async ({ page }) => {
  await signUp(page, `bo+${Date.now()}@example.com`);
  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await expect(link.getByTestId('bank-LEAN_MB1')).toBeVisible();
  await link.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('flow-outcome')).toHaveAttribute('data-status', 'CANCELLED');
  await expect(page.getByTestId('flow-outcome')).toContainText('Nothing was connected');
  // A support reference reads like an error: a cancel shows none (the history still keeps it).
  await expect(page.getByTestId('flow-outcome').getByTestId('correlation-id')).toHaveCount(0);
  await expect(page.getByTestId('entity-empty')).toBeVisible();
});

test('"my bank is not listed" is said plainly, and the bank the person wanted is noted, in both languages', async ({ page }) => {
  await signUp(page, `nl+${Date.now()}@example.com`);
  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-not-listed').click();
  const outcome = page.getByTestId('flow-outcome');
  await expect(outcome).toHaveAttribute('data-status', 'CANCELLED');
  await expect(outcome).toContainText('You told Lean your bank is not on its list, so nothing was connected.');
  await outcome.getByLabel('Which bank were you looking for?').fill('Gulf Example Bank');
  await outcome.getByRole('button', { name: 'Save' }).click();
  await expect(outcome.getByTestId('wanted-bank-noted')).toHaveText('Thank you: we noted that you wanted Gulf Example Bank.');
  // The history keeps it with the rest of the callback.
  const flows = await page.evaluate(async () => (await fetch('/api/recent_flows', { method: 'POST' })).json());
  expect(flows[0]).toMatchObject({ bank_is_supported: false, wanted_bank: 'Gulf Example Bank', status: 'CANCELLED' });
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-bank-not-listed-en.png'), fullPage: true });

  await page.goto(`${app.url}/lang/ar?back=/dashboard`);
  await hydrated(page);
  await page.getByTestId('connect-bank').click();
  await page.frameLocator('#lean-link-frame').getByTestId('bank-not-listed').click();
  await expect(outcome).toContainText('أخبرت Lean أن بنكك ليس في قائمتها، فلم يُربط شيء.');
  await expect(outcome.getByLabel('ما البنك الذي كنت تبحث عنه؟')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-bank-not-listed-ar.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);
  await page.goto(`${app.url}/lang/en?back=/dashboard`);
});

test('bad sign-in and sign-up input get clear errors', async ({ page }) => {
  await page.goto(`${app.url}/signin`);
  await hydrated(page);
  await page.getByLabel('Email').fill('nobody@example.com');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('form-error')).toHaveText('That email and password do not match an account.');
  await page.screenshot({ path: path.join(SHOTS, 'signin-error-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  const email = `cy+${Date.now()}@example.com`;
  await signUp(page, email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.locator('header').getByRole('link', { name: 'Sign in' })).toBeVisible();
  await page.goto(`${app.url}/signup`);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('another password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByTestId('form-error')).toContainText('already exists');

  // A signed-out visit to the dashboard goes to sign-in.
  await page.goto(`${app.url}/dashboard`);
  await expect(page).toHaveURL(/\/signin$/);
});

async function connectSimpleUser(page: Page) {
  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByRole('button', { name: 'Allow' }).click();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.locator('#lean-link-frame')).toHaveCount(0);
}

test('connecting the same bank again is explained, and disconnecting asks first', async ({ page }) => {
  await signUp(page, `di+${Date.now()}@example.com`);
  await connectSimpleUser(page);
  await expect(page.getByTestId('entity-card')).toHaveCount(1);

  await connectSimpleUser(page);
  await expect(page.getByTestId('flow-outcome')).toContainText('Lean Mockbank was already connected');
  await expect(page.getByTestId('entity-card')).toHaveCount(1);

  const card = page.getByTestId('entity-card');
  await card.getByRole('button', { name: 'Disconnect' }).click();
  await expect(card).toContainText('Disconnect Lean Mockbank?');
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-disconnect-confirm-en.png'), fullPage: true });
  await card.getByRole('button', { name: 'Keep it' }).click();
  await expect(card).toHaveCount(1);
  await card.getByRole('button', { name: 'Disconnect' }).click();
  await card.getByRole('button', { name: 'Yes, disconnect' }).click();
  await expect(page.getByTestId('entity-card')).toHaveCount(0);
  await expect(page.getByTestId('entity-empty')).toBeVisible();
});

test('a failed connect shows the bank\'s words and the correlation id to quote, in both languages', async ({ page }) => {
  await signUp(page, `lo+${Date.now()}@example.com`);
  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill('user_locked');
  await link.getByLabel('Password').fill('pass_locked');
  await link.getByRole('button', { name: 'Log in' }).click();
  await expect(link.getByTestId('error-message')).toContainText('locked');
  await link.getByRole('button', { name: 'Close' }).first().click();

  const outcome = page.getByTestId('flow-outcome');
  await expect(outcome).toHaveAttribute('data-status', 'ERROR');
  await expect(outcome).toContainText('Your online banking is locked');
  const correlation = (await outcome.getByTestId('correlation-id').textContent())?.trim() ?? '';
  expect(correlation).toMatch(/^[0-9a-f-]{36}$/);
  // The history keeps the whole callback: status, secondary status, exit point and correlation id.
  const row = page.getByTestId('flow-history').locator('tbody tr').first();
  await expect(row).toContainText('Error');
  await expect(row).toContainText(correlation);
  // The exit point in words; its code is there for a developer, in the cell's title.
  await expect(row.locator('td').nth(4)).not.toBeEmpty();
  await expect(row.locator('td').nth(4)).not.toHaveText(/^[A-Z_]+$/);
  await expect(row.locator('td').nth(4)).toHaveAttribute('title', /^[A-Z_]+$/);
  await expect(page.getByTestId('entity-empty')).toBeVisible();
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-flow-error-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  await page.goto(`${app.url}/lang/ar?back=/dashboard`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'آخر نتائج Link SDK' })).toBeVisible();
  const arRow = page.getByTestId('flow-history').locator('tbody tr').first();
  await expect(arRow).toContainText('خطأ');
  await expect(arRow).toContainText(correlation);
  await expect(arRow.locator('td').nth(4)).toHaveText(/[\u0600-\u06FF]/);
  await expect(page.getByTestId('entity-empty')).toContainText('لم تربط أي بنك بعد');
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-flow-error-ar.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);
  await page.goto(`${app.url}/lang/en?back=/dashboard`);
});
