// Payments in the merchant app: destinations (Lean's errors in plain words), payment intents checked in
// the form, `Lean.pay` through the Link UI with the status moving live from Lean's webhooks, and the
// Open Finance `checkout` round trip through /open-finance/success and `captureRedirect`.
import AxeBuilder from '@axe-core/playwright';
import { expect, FrameLocator, Page, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningApp, startApp } from './server';

const SHOTS = path.join(__dirname, '..', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
  // No cool-off, and the bank's verdict only when the test asks for it (advance-payment), so the
  // pending state is observable whatever the machine's speed.
  const res = await fetch(`${app.sandboxUrl}/sandbox/payments/settings`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ beneficiary_cool_off_ms: 0, payment_settle_ms: 3_600_000 }),
  });
  expect(res.status).toBe(200);
});
test.afterAll(async () => {
  await app?.stop();
});

async function expectNoSeriousA11yIssues(page: Page) {
  const results = await new AxeBuilder({ page }).exclude('#lean-link-frame').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

async function advance(paymentId: string) {
  const res = await fetch(`${app.sandboxUrl}/sandbox/scenarios/advance-payment`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payment_id: paymentId }),
  });
  expect(res.ok).toBe(true);
}

async function signUp(page: Page) {
  await page.goto(`${app.url}/signup`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Email').fill(`pay+${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

async function openPayments(page: Page) {
  await page.getByRole('link', { name: 'Payments' }).click();
  await expect(page).toHaveURL(/\/payments$/);
  await expect(page.getByRole('heading', { name: 'Payments', level: 1 })).toBeVisible();
  await expect(page.getByTestId('live-status')).toHaveText(/Live/);
}

async function addDestination(page: Page) {
  await page.getByLabel("Account holder's name").fill('Acme Trading LLC');
  await page.getByLabel('Display name (optional)').fill('Acme Store');
  await page.getByLabel('IBAN').fill('AE07 0331 2345 6789 0123 457'); // bad check digits
  await page.getByTestId('add-destination').click();
  await expect(page.getByTestId('dest-iban-error')).toHaveText(/IBAN is not valid/);
  await expect(page.getByTestId('destinations-empty')).toBeVisible();

  await page.getByLabel('IBAN').fill('AE07 0331 2345 6789 0123 456');
  await page.getByTestId('add-destination').click();
  await expect(page.getByTestId('destination-row')).toHaveCount(1);
  await expect(page.getByTestId('destination-row')).toContainText('Acme Store');
  await expect(page.getByTestId('dest-iban-error')).toHaveText('');
}

async function newPayment(page: Page, amount: string) {
  await expect(page.locator('#pay-destination option')).toHaveCount(1);
  await page.getByLabel('Amount').fill(amount);
  await page.getByLabel('Currency').selectOption('AED');
  await page.getByTestId('create-payment').click();
}

async function linkDone(link: FrameLocator) {
  await expect(link.locator('main[data-screen="SUCCESS"]')).toBeVisible();
  await link.getByRole('button', { name: 'Done' }).click();
}

test('destinations, a checked payment, Pay with bank and the status moving live', async ({ page }) => {
  await signUp(page);
  await openPayments(page);
  await addDestination(page);

  // The form checks the amount before anything is sent.
  await newPayment(page, '12.345');
  await expect(page.getByTestId('pay-amount-error')).toHaveText('Use at most two decimals.');
  await newPayment(page, '0');
  await expect(page.getByTestId('pay-amount-error')).toHaveText('The amount must be more than zero.');
  // Lean's own limit, in plain words.
  await newPayment(page, '100000.01');
  await expect(page.getByTestId('pay-amount-error')).toHaveText(/above the largest payment/);
  await expect(page.getByTestId('payments-empty')).toBeVisible();

  await newPayment(page, '125.50');
  const row = page.getByTestId('payment-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('payment-amount')).toHaveText('125.50 AED');
  await expect(row.getByTestId('payment-status')).toHaveAttribute('data-status', 'INTENT_CREATED');
  await page.screenshot({ path: path.join(SHOTS, 'payments.png'), fullPage: true });

  // A payment source at the payer's bank, with the destination as a recipient (no cool-off here).
  await page.getByTestId('create-payment-source').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByRole('button', { name: 'Allow' }).click();
  await linkDone(link);
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  // payment_source.* webhooks refresh the source and its cool-off status live.
  await expect(page.getByTestId('source-row')).toHaveCount(1);
  await expect(page.getByTestId('source-status')).toHaveAttribute('data-status', 'ACTIVE');

  // Pay with bank: account selection, confirmation, done.
  await row.getByTestId('pay-with-bank').click();
  await expect(link.locator('main[data-screen="ACCOUNT_SELECTION"]')).toBeVisible();
  await expect(link.getByTestId('payment-amount')).toContainText('AED 125.50');
  await link.locator('button[data-testid^="account-"]').first().click();
  await expect(link.locator('main[data-screen="PAYMENT_CONFIRMATION"]')).toBeVisible();
  await link.getByRole('button', { name: 'Confirm payment' }).click();
  await expect(link.getByTestId('payment-status')).toHaveText('PENDING_WITH_BANK');
  await linkDone(link);
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'SUCCESS');

  // payment.created arrives by webhook and shows without a reload…
  await expect(row.getByTestId('payment-status')).toHaveAttribute('data-status', 'PENDING_WITH_BANK');
  await expect(row.getByTestId('pay-with-bank')).toHaveCount(0);
  const paymentId = await row.getAttribute('data-payment-id');
  expect(paymentId).toBeTruthy();
  // …and so does the bank's verdict (payment.updated).
  await page.evaluate(() => ((window as any).__noReload = true));
  await advance(paymentId!);
  await expect(row.getByTestId('payment-status')).toHaveAttribute('data-status', 'ACCEPTED_BY_BANK');
  await expect(row.getByTestId('payment-status')).toHaveText('Paid: the bank accepted it');
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  await page.screenshot({ path: path.join(SHOTS, 'payments-paid.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  // History survives a reload.
  await page.reload();
  await expect(page.getByTestId('payment-row').getByTestId('payment-status')).toHaveAttribute('data-status', 'ACCEPTED_BY_BANK');
});

test('Pay with Open Finance: checkout, back to /open-finance/success, captureRedirect, final status', async ({ page }) => {
  await signUp(page);
  await openPayments(page);
  await addDestination(page);
  await newPayment(page, '75');
  const row = page.getByTestId('payment-row');
  await expect(row).toHaveCount(1);
  const intentId = await row.getAttribute('data-intent-id');

  await row.getByTestId('pay-open-finance').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_OF_RETAIL_UAE').click();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await expect(link.locator('main[data-screen="BANK_AUTHORISATION"]')).toBeVisible();
  await expect(link.getByTestId('payment-amount')).toContainText('AED 75.00');
  await link.getByRole('button', { name: 'Authorise' }).click();

  // Lean sends the browser to the app's success URL; the landing page hands the query to captureRedirect.
  await page.waitForURL(/\/open-finance\/success\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get('intent_id')).toBe(intentId);
  expect(url.searchParams.get('consent_attempt_id')).toBeTruthy();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(link.locator('main[data-screen="SUCCESS"]')).toBeVisible();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('capture-outcome')).toHaveAttribute('data-status', 'SUCCESS');

  const status = page.getByTestId('payment-status');
  await expect(status).toHaveAttribute('data-status', 'PENDING_WITH_BANK');
  const paymentId = await status.getAttribute('data-payment-id');
  expect(paymentId).toBeTruthy();
  await advance(paymentId!);
  await expect(status).toHaveAttribute('data-status', 'ACCEPTED_BY_BANK');
  await page.screenshot({ path: path.join(SHOTS, 'open-finance-success.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  await page.getByRole('link', { name: '← Payments' }).click();
  await expect(page.getByTestId('payment-row').getByTestId('payment-status')).toHaveAttribute('data-status', 'ACCEPTED_BY_BANK');
});

test('a bank that refuses the login sends the payer to /open-finance/fail, explained in plain words', async ({ page }) => {
  await signUp(page);
  await openPayments(page);
  await addDestination(page);
  await newPayment(page, '30');
  const row = page.getByTestId('payment-row');
  await expect(row).toHaveCount(1);

  await row.getByTestId('pay-open-finance').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_OF_RETAIL_UAE').click();
  await link.getByLabel('Username').fill('user_locked');
  await link.getByLabel('Password').fill('pass_locked');
  await link.getByRole('button', { name: 'Log in' }).click();

  await page.waitForURL(/\/open-finance\/fail\?/);
  expect(new URL(page.url()).searchParams.get('granular_status_code')).toBe('EU_ACCOUNT_LOCKED');
  await expect(page.getByTestId('redirect-failure')).toContainText('locked');
  await expect(page.getByTestId('redirect-failure')).toContainText('EU_ACCOUNT_LOCKED');
  await expect(link.locator('main[data-screen="ERROR"]')).toBeVisible();
  await link.getByRole('button', { name: 'Close' }).last().click();
  await expect(page.getByTestId('capture-outcome')).toHaveAttribute('data-status', 'ERROR');
  await expect(page.getByTestId('payment-status')).toHaveAttribute('data-status', /^(INTENT_CREATED|FAILED)$/);
  await page.screenshot({ path: path.join(SHOTS, 'open-finance-fail.png'), fullPage: true });

  // Nothing was paid, so it can be paid again.
  await page.getByRole('link', { name: '← Payments' }).click();
  await expect(page.getByTestId('payment-row').getByTestId('pay-open-finance')).toBeVisible();
});

test('the payments page needs a signed-in user', async ({ page }) => {
  await page.goto(`${app.url}/payments`);
  await expect(page).toHaveURL(/\/signin$/);
});
