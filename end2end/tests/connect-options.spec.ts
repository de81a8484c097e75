// /connect: every optional field of Lean.connect has a control; what the person chose reaches Lean's
// loader under Lean's names (the Link UI's address carries the config), the Link UI shows its effect,
// and bad choices are refused in plain words before Lean is asked. In English and Arabic.
import { expect, FrameLocator, Page, test } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningApp, startApp } from './server';

const SHOTS = path.join(__dirname, '..', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp({ env: { LEAN_DESTINATION_ALIAS: 'Acme Store' } });
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

async function signUp(page: Page) {
  await page.goto(`${app.url}/signup`);
  await hydrated(page);
  await page.getByLabel('Email').fill(`opts+${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

async function openConnectPage(page: Page) {
  await page.getByTestId('connect-options-link').click();
  await expect(page).toHaveURL(/\/connect$/);
  await hydrated(page);
}

/** The config Lean's loader received, as it handed it to the Link UI. */
async function launched(page: Page): Promise<URLSearchParams> {
  const frame = page.locator('#lean-link-frame');
  await expect(frame).toBeVisible();
  return new URL((await frame.getAttribute('src'))!).searchParams;
}

async function logIn(link: FrameLocator) {
  await link.getByLabel(/Username|اسم المستخدم/).fill('user_simple');
  await link.getByLabel(/Password|كلمة المرور/).fill('pass_simple');
  await link.getByRole('button', { name: /Log in|تسجيل الدخول/ }).click();
}

async function expectNoSeriousA11yIssues(page: Page) {
  const results = await new AxeBuilder({ page }).exclude('#lean-link-frame').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test('every connect option reaches Lean, and the person sees its effect', async ({ page }) => {
  await signUp(page);
  await openConnectPage(page);
  await expect(page.getByTestId('connect-brand')).toContainText('Acme Store');
  await page.getByTestId('connect-option-bank').selectOption('LEAN_MB1');
  await page.getByTestId('connect-option-account-type').selectOption('PERSONAL');
  await page.getByTestId('connect-option-access-from').fill('2026-01-01');
  await page.getByTestId('connect-option-access-to').fill('2026-12-31');
  await page.getByTestId('connect-option-explain').check();
  await page.getByTestId('connect-option-end-user-id').fill('crm-4711');
  await page.getByTestId('connect-option-metadata').fill('onboarding, step 3');
  await page.screenshot({ path: path.join(SHOTS, 'connect-options-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);
  await page.getByTestId('connect-with-options').click();

  const sent = await launched(page);
  expect(sent.get('method')).toBe('connect');
  expect(sent.get('bank_identifier')).toBe('LEAN_MB1');
  expect(sent.get('account_type')).toBe('PERSONAL');
  expect(sent.get('access_from')).toBe('2026-01-01');
  expect(sent.get('access_to')).toBe('2026-12-31');
  expect(sent.get('show_consent_explanation')).toBe('true');
  expect(sent.get('end_user_id')).toBe('crm-4711');
  expect(sent.get('customer_metadata')).toBe('onboarding, step 3');
  expect(sent.get('destination_alias')).toBe('Acme Store');
  expect(sent.getAll('permissions')).toEqual(['identity', 'accounts', 'balance', 'transactions']);

  // The bank was chosen: Lean goes straight to its login; then the consent shows the brand, the longer
  // explanation and the chosen dates.
  const link = page.frameLocator('#lean-link-frame');
  await expect(link.getByLabel(/Username|اسم المستخدم/)).toBeVisible();
  await expect(link.locator('main[data-screen="BANK_SELECTION"]')).toHaveCount(0);
  await logIn(link);
  await expect(link.locator('main[data-screen="CONSENT"]')).toBeVisible();
  await expect(link.getByTestId('destination-alias')).toHaveText('Shared with Acme Store');
  await expect(link.getByTestId('consent-explanation')).toBeVisible();
  await expect(link.getByTestId('access-from')).toHaveText('1 Jan 2026');
  await expect(link.getByTestId('access-to')).toHaveText('31 Dec 2026');
  await link.getByRole('button', { name: 'Allow' }).click();
  await link.getByRole('button', { name: 'Done' }).click();

  await expect(page.getByTestId('flow-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  // No list of banks on this page: the words point to the dashboard.
  await expect(page.getByTestId('flow-outcome')).toContainText('on your dashboard');
  await page.getByTestId('connect-see-dashboard').click();
  await expect(page.getByTestId('entity-card')).toContainText('Lean Mockbank');
});

test('a business account type lists only business banks', async ({ page }) => {
  await signUp(page);
  await openConnectPage(page);
  await page.getByTestId('connect-option-account-type').selectOption('BUSINESS');
  await page.getByTestId('connect-with-options').click();
  const sent = await launched(page);
  expect(sent.get('account_type')).toBe('BUSINESS');
  expect(sent.get('bank_identifier')).toBeNull();
  expect(sent.get('show_consent_explanation')).toBeNull();
  const link = page.frameLocator('#lean-link-frame');
  await expect(link.getByTestId('bank-LEAN_SME_MB1_UAE')).toBeVisible();
  await expect(link.getByTestId('bank-LEAN_MB1')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('flow-outcome')).toHaveAttribute('data-status', 'CANCELLED');
});

test('bad choices are refused in plain words before Lean is asked, in English and Arabic', async ({ page }) => {
  await signUp(page);
  await openConnectPage(page);
  await page.getByTestId('connect-option-access-from').fill('2026-06-01');
  await page.getByTestId('connect-option-access-to').fill('2026-01-01');
  await page.getByTestId('connect-with-options').click();
  await expect(page.getByTestId('connect-access-to-error')).toHaveText('The end date is before the start date.');
  await expect(page.locator('#lean-link-frame')).toHaveCount(0);

  // A bank Lean does not list (a hand-made request: the page only offers Lean's banks).
  const refused = await page.evaluate(async () => {
    const res = await fetch('/api/launch_connect_with', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'bank_identifier=NO_SUCH_BANK',
    });
    return { status: res.status, body: await res.text() };
  });
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('Lean does not list a bank called NO_SUCH_BANK');

  await page.goto(`${app.url}/lang/ar?back=/connect`);
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('ربط بنك، مع خيارات');
  await expect(page.getByTestId('connect-option-bank').locator('option[value="LEAN_MB1"]')).toHaveText('بنك لين التجريبي');
  await page.getByTestId('connect-option-access-from').fill('2026-06-01');
  await page.getByTestId('connect-option-access-to').fill('2026-01-01');
  await page.getByTestId('connect-with-options').click();
  await expect(page.getByTestId('connect-access-to-error')).toHaveText('تاريخ النهاية قبل تاريخ البداية.');
  await page.screenshot({ path: path.join(SHOTS, 'connect-options-ar.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  // In Arabic the Link UI opens in Arabic, with the brand and the explanation in Arabic too.
  await page.getByTestId('connect-option-access-from').fill('');
  await page.getByTestId('connect-option-access-to').fill('');
  await page.getByTestId('connect-option-bank').selectOption('LEAN_MB1');
  await page.getByTestId('connect-option-explain').check();
  await page.getByTestId('connect-with-options').click();
  const sent = await launched(page);
  expect(sent.get('language')).toBe('ar');
  const link = page.frameLocator('#lean-link-frame');
  await logIn(link);
  await expect(link.getByTestId('destination-alias')).toHaveText('تتم المشاركة مع Acme Store');
  await expect(link.getByTestId('consent-explanation')).toContainText('للقراءة فقط');
  await page.keyboard.press('Escape');
  await page.goto(`${app.url}/lang/en?back=/dashboard`);
});
