// Payments in the merchant app: destinations (Lean's errors in plain words), payment intents checked in
// the form, `Lean.pay` through the Link UI with the status moving live from Lean's webhooks, and the
// Open Finance `checkout` round trip through /open-finance/success and `captureRedirect`; payment sources
// with a picked destination, `createBeneficiary` and its cool-off ending live; `verifyAddress` with the
// name the app keeps; and the whole page in Arabic.
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

async function sandboxSettings(settings: Record<string, number>) {
  const res = await fetch(`${app.sandboxUrl}/sandbox/payments/settings`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings),
  });
  expect(res.status).toBe(200);
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
  await page.getByTestId('payment-form').getByLabel('Amount').fill(amount);
  await page.getByTestId('payment-form').getByLabel('Currency').selectOption('AED');
  await page.getByTestId('create-payment').click();
}

/** Picks `bank` in the Link UI and logs in as one of the sandbox's test users. */
async function logInAt(link: FrameLocator, bank: string, user = 'user_simple') {
  await link.getByTestId(`bank-${bank}`).click();
  await link.getByLabel('Username').fill(user);
  await link.getByLabel('Password').fill(user.replace('user_', 'pass_'));
  await link.getByRole('button', { name: 'Log in' }).click();
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
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
  await expectNoSeriousA11yIssues(page);
  await page.screenshot({ path: path.join(SHOTS, 'payments-en.png'), fullPage: true });

  // A payment source at the payer's bank, with the destination as a recipient (no cool-off here).
  await page.getByTestId('create-payment-source').click();
  const link = page.frameLocator('#lean-link-frame');
  await logInAt(link, 'LEAN_MB1');
  await link.getByRole('button', { name: 'Allow' }).click();
  await linkDone(link);
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  // payment_source.* webhooks refresh the source and its cool-off status live.
  await expect(page.getByTestId('source-row')).toHaveCount(1);
  await expect(page.getByTestId('source-status')).toHaveAttribute('data-status', 'ACTIVE');
  // The notice says what the list says, beside the button that was pressed, in a live region.
  const sourceNotice = page.getByTestId('source-controls').getByTestId('payment-outcome');
  await expect(sourceNotice).toHaveText('Payment source added. Acme Store is ready at your bank: “Pay with bank” can pay it now.');
  await expect(sourceNotice).toBeInViewport();
  await expect(page.getByTestId('source-controls').locator('[aria-live="polite"]').getByTestId('payment-outcome')).toHaveCount(1);

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
  // The payment's outcome shows by the payments list, where the person pressed "Pay with bank".
  await expect(page.getByTestId('payment-outcome')).toBeInViewport();
  await expect(page.locator('section[aria-labelledby="payments-title"]').getByTestId('payment-outcome')).toHaveCount(1);

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
  await logInAt(link, 'LEAN_OF_RETAIL_UAE');
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

  // A reload is a revisit: the return was handled once; what was recorded is shown, nothing runs again.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('capture-revisit')).toContainText('already handled');
  await expect(page.getByTestId('capture-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  await expect(page.getByTestId('payment-status')).toHaveAttribute('data-status', 'ACCEPTED_BY_BANK');
  await expect(page.locator('#lean-link-frame')).toHaveCount(0);
  const captures = await page.evaluate(async () => {
    const res = await fetch('/api/recent_flows', { method: 'POST' });
    return ((await res.json()) as { method: string }[]).filter((f) => f.method === 'captureRedirect').length;
  });
  expect(captures).toBe(1);

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
  await logInAt(link, 'LEAN_OF_RETAIL_UAE', 'user_locked');

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

async function addSecondDestination(page: Page) {
  await page.locator('#dest-name').fill('Globex Trading LLC');
  await page.locator('#dest-display').fill('Globex');
  await page.locator('#dest-iban').fill('AE90 0331 2345 6789 0123 999');
  await page.getByTestId('add-destination').click();
  await expect(page.getByTestId('destination-row')).toHaveCount(2);
}

async function destinationId(page: Page, name: string): Promise<string> {
  const id = await page.getByTestId('destination-row').filter({ hasText: name }).getAttribute('data-id');
  expect(id).toBeTruthy();
  return id!;
}

test('payment sources: the picked destination, createBeneficiary, the cool-off visible and ending live', async ({ page }) => {
  await signUp(page);
  await openPayments(page);
  await addDestination(page);
  await addSecondDestination(page);
  const acme = await destinationId(page, 'Acme Store');
  const globex = await destinationId(page, 'Globex');

  // Until there is a source, recipients cannot be added to one.
  await expect(page.getByTestId('sources-empty')).toBeVisible();
  await expect(page.getByTestId('create-beneficiary')).toBeDisabled();

  // createPaymentSource for the picked destination (Globex), not the first one.
  await page.getByTestId('source-destination').selectOption(globex);
  await page.getByTestId('create-payment-source').click();
  const link = page.frameLocator('#lean-link-frame');
  await logInAt(link, 'LEAN_MB1');
  await link.getByRole('button', { name: 'Allow' }).click();
  await linkDone(link);
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  await expect(page.getByTestId('source-row')).toHaveCount(1);
  const recipients = page.getByTestId('beneficiary');
  await expect(recipients).toHaveCount(1);
  await expect(recipients.first()).toHaveAttribute('data-destination-id', globex);
  await expect(recipients.first()).toContainText('Globex');

  // createBeneficiary adds Acme to that source; the bank holds it in a cool-off that ends by webhook.
  await sandboxSettings({ beneficiary_cool_off_ms: 6_000 });
  await page.getByTestId('source-destination').selectOption(acme);
  await expect(page.getByTestId('create-beneficiary')).toBeEnabled();
  await page.getByTestId('create-beneficiary').click();
  await expect(link.getByTestId('beneficiary-name')).toHaveText('Acme Store');
  await link.getByRole('button', { name: 'Add beneficiary' }).click();
  await linkDone(link);
  await sandboxSettings({ beneficiary_cool_off_ms: 0 });
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  // While the list shows the cool-off, so does the notice, with its end.
  await expect(page.getByTestId('payment-outcome')).toContainText(
    /^Recipient added\. Your bank holds Acme Store in its cool-off period until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\./);

  await page.evaluate(() => ((window as any).__noReload = true));
  const added = page.locator(`[data-testid="beneficiary"][data-destination-id="${acme}"]`);
  await expect(added.getByTestId('beneficiary-status')).toHaveAttribute('data-status', /COOL_OFF/);
  await expect(added.getByTestId('beneficiary-status')).toHaveText("In the bank's cool-off period");
  await expect(added.getByTestId('beneficiary-cool-off')).toContainText(/until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
  await page.screenshot({ path: path.join(SHOTS, 'payments-cool-off.png'), fullPage: true });
  // payment_source.beneficiary.updated ends the cool-off, and the page shows it without a reload.
  await expect(added.getByTestId('beneficiary-status')).toHaveAttribute('data-status', 'ACTIVE', { timeout: 30_000 });
  await expect(added.getByTestId('beneficiary-status')).toHaveText('Ready');
  await expect(added.getByTestId('beneficiary-cool-off')).toHaveCount(0);
  await expect(page.getByTestId('payment-outcome')).toHaveText('Recipient added. Acme Store is ready at your bank: “Pay with bank” can pay it now.');
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  // Both launches are in the flow history.
  const flows = await page.evaluate(async () => (await fetch('/api/recent_flows', { method: 'POST' })).json());
  expect(flows.map((f: any) => f.method)).toEqual(expect.arrayContaining(['createPaymentSource', 'createBeneficiary']));
});

test('Lean\'s advised path: connect with the payments permission makes the payment source; the old methods are labelled', async ({ page }) => {
  await signUp(page);
  await openPayments(page);
  await addDestination(page);
  const acme = await destinationId(page, 'Acme Store');
  const deprecated = page.locator('.pay-actions.deprecated');
  await expect(deprecated).toContainText('Deprecated by Lean');
  await expect(deprecated.getByTestId('create-payment-source')).toBeVisible();
  await expect(deprecated.getByTestId('create-beneficiary')).toBeVisible();
  await expect(page.locator('.pay-actions.deprecated').getByTestId('connect-for-payments')).toHaveCount(0);

  await page.getByTestId('connect-for-payments').click();
  const frame = page.locator('#lean-link-frame');
  await expect(frame).toBeVisible();
  const sent = new URL((await frame.getAttribute('src'))!).searchParams;
  expect(sent.get('method')).toBe('connect');
  expect(sent.getAll('permissions')).toContain('payments');
  expect(sent.get('payment_destination_id')).toBe(acme);
  const link = page.frameLocator('#lean-link-frame');
  await logInAt(link, 'LEAN_MB1');
  await link.getByRole('button', { name: 'Allow' }).click();
  await linkDone(link);
  await expect(page.getByTestId('source-row')).toHaveCount(1);
  await expect(page.getByTestId('beneficiary')).toHaveAttribute('data-destination-id', acme);
  await expect(page.getByTestId('payment-outcome')).toContainText(/^Payment source added\. /);
  await page.screenshot({ path: path.join(SHOTS, 'payments-connect-for-payments.png'), fullPage: true });
});

test('a bank connected for data only gains payments: updatePaymentSource with its entity_id, in English and Arabic', async ({ page }) => {
  await signUp(page);
  // A data-only connection from the dashboard.
  await page.getByTestId('connect-bank').click();
  const connect = page.frameLocator('#lean-link-frame');
  await logInAt(connect, 'LEAN_MB1');
  await connect.getByRole('button', { name: 'Allow' }).click();
  await linkDone(connect);
  await expect(page.getByTestId('entity-card')).toHaveCount(1);
  const entityId = await page.getByTestId('entity-card').getAttribute('data-entity-id');

  await openPayments(page);
  await addDestination(page);
  const acme = await destinationId(page, 'Acme Store');
  const offer = page.getByTestId('add-payments');
  await expect(offer).toBeVisible();
  await expect(offer.getByTestId('source-bank')).toContainText('Lean Mockbank');
  await page.screenshot({ path: path.join(SHOTS, 'payments-add-payments-en.png'), fullPage: true });

  await page.getByTestId('add-payments-to-bank').click();
  const frame = page.locator('#lean-link-frame');
  await expect(frame).toBeVisible();
  const sent = new URL((await frame.getAttribute('src'))!).searchParams;
  expect(sent.get('method')).toBe('updatePaymentSource');
  expect(sent.get('payment_destination_id')).toBe(acme);
  if (entityId) expect(sent.get('entity_id')).toBe(entityId);
  else expect(sent.get('entity_id')).toMatch(/^[0-9a-f-]{36}$/);
  expect(sent.get('payment_source_id')).toBeNull();
  const link = page.frameLocator('#lean-link-frame');
  await expect(link.getByRole('heading', { level: 1 })).toHaveText('Pay from Lean Mockbank');
  await link.getByTestId('upgrade-continue').click();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await linkDone(link);
  // The new source arrives live; the bank is no longer offered; the notice says what the list says.
  await expect(page.getByTestId('source-row')).toHaveCount(1);
  await expect(page.getByTestId('beneficiary')).toHaveAttribute('data-destination-id', acme);
  await expect(page.getByTestId('add-payments')).toHaveCount(0);
  await expect(page.getByTestId('payment-outcome')).toContainText(/^Payment source added\. /);

  // In Arabic: a second data-only bank is offered in Arabic words.
  await page.goto(`${app.url}/lang/ar?back=/dashboard`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('connect-bank').click();
  const again = page.frameLocator('#lean-link-frame');
  await again.getByTestId('bank-LEAN_SME_MB1_UAE').click();
  await again.getByLabel('اسم المستخدم').fill('user_simple');
  await again.getByLabel('كلمة المرور').fill('pass_simple');
  await again.getByRole('button', { name: 'تسجيل الدخول' }).click();
  await again.getByRole('button', { name: 'موافقة' }).click();
  await expect(again.locator('main[data-screen="SUCCESS"]')).toBeVisible();
  await again.locator('main[data-screen="SUCCESS"] button.btn').click();
  await expect(page.getByTestId('entity-card')).toHaveCount(2);
  await page.goto(`${app.url}/payments`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('add-payments')).toContainText('بنك مربوط للبيانات فقط');
  await expect(page.getByTestId('add-payments-to-bank')).toHaveText('إضافة المدفوعات إلى هذا البنك');
  await page.screenshot({ path: path.join(SHOTS, 'payments-add-payments-ar.png'), fullPage: true });
  await page.getByTestId('add-payments-to-bank').click();
  const ar = page.frameLocator('#lean-link-frame');
  await expect(ar.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(ar.getByRole('heading', { level: 1 })).toContainText('الدفع من');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'CANCELLED');
});

test('payment options: the account and bank for Pay with bank, the bank and payer for Open Finance, risk details; each checked', async ({ page }) => {
  await signUp(page);
  await openPayments(page);
  await addDestination(page);
  await newPayment(page, '42');
  const row = page.getByTestId('payment-row');
  await expect(row).toHaveCount(1);

  // A payment source, so that there are accounts to choose from.
  await page.getByTestId('connect-for-payments').click();
  const link = page.frameLocator('#lean-link-frame');
  await logInAt(link, 'LEAN_MB1');
  await link.getByRole('button', { name: 'Allow' }).click();
  await linkDone(link);
  await expect(page.getByTestId('source-row')).toHaveCount(1);

  const options = page.getByTestId('pay-options');
  await options.locator('summary').click();
  const accounts = page.locator('#pay-option-account option');
  await expect(accounts).not.toHaveCount(1);
  await expect(accounts.nth(1)).toContainText('Lean Mockbank');
  const accountId = await accounts.nth(1).getAttribute('value');

  // A bank the person has no payment source at is refused before Lean is asked.
  await page.getByTestId('pay-option-bank').selectOption('LEAN_SME_MB1_UAE');
  await row.getByTestId('pay-with-bank').click();
  await expect(page.getByTestId('payment-outcome')).toHaveText(/You have no payment source at this bank/);
  await expect(page.locator('#lean-link-frame')).toHaveCount(0);

  // Account, bank and risk details: Lean skips straight to the confirmation.
  await page.getByTestId('pay-option-bank').selectOption('LEAN_MB1');
  await page.getByTestId('pay-option-account').selectOption(accountId!);
  await page.getByTestId('pay-option-risk').check();
  await page.screenshot({ path: path.join(SHOTS, 'payments-options-en.png'), fullPage: true });
  await row.getByTestId('pay-with-bank').click();
  const frame = page.locator('#lean-link-frame');
  await expect(frame).toBeVisible();
  const sent = new URL((await frame.getAttribute('src'))!).searchParams;
  expect(sent.get('method')).toBe('pay');
  expect(sent.get('account_id')).toBe(accountId);
  expect(sent.get('bank_identifier')).toBe('LEAN_MB1');
  expect(JSON.parse(sent.get('risk_details')!)).toEqual({
    transaction_indicators: { channel: 'WEB', channel_type: 'ECOMMERCE', is_customer_present: true },
  });
  expect(sent.get('customer_name')).toBeNull();
  await expect(link.locator('main[data-screen="PAYMENT_CONFIRMATION"]')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'CANCELLED');

  // Open Finance: the bank chosen in advance and the payer's name; the account stays with Pay with bank.
  await page.getByTestId('pay-option-bank').selectOption('LEAN_OF_RETAIL_UAE');
  await page.getByTestId('pay-option-name').fill('Ann Example');
  await row.getByTestId('pay-open-finance').click();
  await expect(frame).toBeVisible();
  const of = new URL((await frame.getAttribute('src'))!).searchParams;
  expect(of.get('method')).toBe('checkout');
  expect(of.get('bank_identifier')).toBe('LEAN_OF_RETAIL_UAE');
  expect(of.get('customer_name')).toBe('Ann Example');
  expect(of.get('account_id')).toBeNull();
  await expect(link.locator('main[data-screen="LOGIN"]')).toBeVisible();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await expect(link.getByTestId('payment-payer')).toHaveText('Ann Example');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'CANCELLED');

  // Too long a name is refused in plain words.
  await page.getByTestId('pay-option-name').evaluate((el: HTMLInputElement) => el.removeAttribute('maxlength'));
  await page.getByTestId('pay-option-name').fill('A'.repeat(141));
  await row.getByTestId('pay-open-finance').click();
  await expect(page.getByTestId('payment-outcome')).toHaveText(/at most 140 characters/);

  // In Arabic, the panel speaks Arabic.
  await page.goto(`${app.url}/lang/ar?back=/payments`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('pay-options').locator('summary').click();
  await expect(page.getByTestId('pay-options')).toContainText('خيارات الدفع');
  await expect(page.locator('#pay-option-bank option').first()).toHaveText('دع الدافع يختار');
  await page.screenshot({ path: path.join(SHOTS, 'payments-options-ar.png'), fullPage: true });
});

test('a bulk payment: several payments made at once, paid together with bulk_payment_intent_id, each status live', async ({ page }) => {
  await signUp(page);
  await openPayments(page);
  await addDestination(page);
  await addSecondDestination(page);
  const acme = await destinationId(page, 'Acme Store');
  const globex = await destinationId(page, 'Globex');

  // A payment source with both as ready recipients (no cool-off in this file).
  await page.getByTestId('source-destination').selectOption(acme);
  await page.getByTestId('connect-for-payments').click();
  const link = page.frameLocator('#lean-link-frame');
  await logInAt(link, 'LEAN_MB1');
  await link.getByRole('button', { name: 'Allow' }).click();
  await linkDone(link);
  await expect(page.getByTestId('source-row')).toHaveCount(1);
  await page.getByTestId('source-destination').selectOption(globex);
  await page.getByTestId('update-payment-source').click();
  await link.getByRole('button', { name: 'Add beneficiary' }).click();
  await linkDone(link);
  await expect(page.getByTestId('beneficiary')).toHaveCount(2);

  const form = page.getByTestId('bulk-payments');
  await form.locator('summary').click();
  const lines = form.getByTestId('bulk-line');
  await expect(lines).toHaveCount(2);
  // Lines come and go (two at least).
  await expect(form.getByTestId('bulk-remove-line')).toHaveCount(0);
  await form.getByTestId('bulk-add-line').click();
  await expect(lines).toHaveCount(3);
  await lines.nth(2).getByTestId('bulk-remove-line').click();
  await expect(lines).toHaveCount(2);
  await expect(form.getByTestId('bulk-add-line')).toHaveText('Add a payment');
  // A bad amount is named on its line before Lean is asked.
  await lines.nth(0).getByTestId('bulk-amount').fill('12.50');
  await lines.nth(1).getByTestId('bulk-destination').selectOption(globex);
  await lines.nth(1).getByTestId('bulk-amount').fill('7.123');
  await page.getByTestId('create-bulk').click();
  await expect(lines.nth(1).getByTestId('bulk-amount-error')).toHaveText('Use at most two decimals.');
  await lines.nth(1).getByTestId('bulk-amount').fill('7');
  await page.getByTestId('create-bulk').click();
  await expect(page.getByTestId('bulk-created')).toHaveText('Bulk payment created: 2 payments.');
  const bulkRow = page.getByTestId('bulk-row');
  await expect(bulkRow).toHaveCount(1);
  await expect(bulkRow).toContainText('2 payments, 19.50 AED in all');
  await expect(page.getByTestId('payment-row').filter({ has: page.getByTestId('bulk-badge') })).toHaveCount(2);
  await page.screenshot({ path: path.join(SHOTS, 'payments-bulk-en.png'), fullPage: true });

  // Lean.pay with the bulk's id: one account for all, then each child's status moves live.
  await bulkRow.getByTestId('pay-bulk').click();
  const frame = page.locator('#lean-link-frame');
  await expect(frame).toBeVisible();
  const sent = new URL((await frame.getAttribute('src'))!).searchParams;
  expect(sent.get('method')).toBe('pay');
  expect(sent.get('bulk_payment_intent_id')).toBe(await bulkRow.getAttribute('data-bulk-id'));
  expect(sent.get('payment_intent_id')).toBeNull();
  await expect(link.locator('main[data-screen="ACCOUNT_SELECTION"]')).toBeVisible();
  await link.locator('button[data-testid^="account-"]').first().click();
  await expect(link.getByTestId('bulk-count')).toHaveText('2');
  await link.getByRole('button', { name: 'Confirm payments' }).click();
  await linkDone(link);
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  const children = page.getByTestId('payment-row').filter({ has: page.getByTestId('bulk-badge') });
  for (const i of [0, 1]) {
    await expect(children.nth(i).getByTestId('payment-status')).toHaveAttribute('data-status', 'PENDING_WITH_BANK');
  }
  // Paid: the bulk is no longer offered.
  await expect(page.getByTestId('bulk-row')).toHaveCount(0);

  // In Arabic, the form speaks Arabic.
  await page.goto(`${app.url}/lang/ar?back=/payments`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByTestId('bulk-payments').locator('summary').click();
  await expect(page.getByTestId('bulk-payments')).toContainText('عدة دفعات معًا');
  await expect(page.getByTestId('create-bulk')).toHaveText('إنشاء الدفعة المجمّعة');
  await page.screenshot({ path: path.join(SHOTS, 'payments-bulk-ar.png'), fullPage: true });
});

test('verifyAddress: the name is asked for and kept, the outcome is shown in plain words and recorded', async ({ page }) => {
  await signUp(page);
  await openPayments(page);
  const name = page.getByLabel('Your full name');
  const verify = page.getByTestId('verify-address-button');

  // The form checks the name before anything is sent.
  await verify.click();
  await expect(page.getByTestId('verify-name-error')).toHaveText('Enter your full name.');
  await name.fill('Layla');
  await verify.click();
  await expect(page.getByTestId('verify-name-error')).toHaveText('Enter at least a first and a last name.');

  // A name that is not the bank's account holder: Lean's NAME_MISMATCH, in plain words.
  await name.fill('Layla  Al Zaabi');
  await verify.click();
  const link = page.frameLocator('#lean-link-frame');
  await logInAt(link, 'LEAN_MB1');
  await expect(link.getByTestId('error-message')).toContainText('does not match Layla Al Zaabi');
  await link.getByRole('button', { name: 'Close' }).last().click();
  const outcome = page.getByTestId('verify-outcome');
  await expect(outcome).toHaveAttribute('data-status', 'ERROR');
  await expect(outcome).toHaveAttribute('data-secondary-status', 'NAME_MISMATCH');
  await expect(page.getByTestId('verify-headline')).toHaveText(/^Not verified: the name on your bank account does not match Layla Al Zaabi\./);
  await expect(outcome.getByTestId('verify-status')).toHaveText('ERROR');
  await expect(outcome.getByTestId('verify-message')).toContainText('does not match');
  await expect(outcome.getByTestId('verify-correlation-id')).toHaveText(/\S{8,}/);

  // The name is kept on the server, and the last outcome comes back from the flow history.
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(name).toHaveValue('Layla Al Zaabi');
  await expect(outcome).toHaveAttribute('data-secondary-status', 'NAME_MISMATCH');
  await expect(outcome).toContainText('Last check:');

  // The sandbox's user_simple is Fatima Al Mansouri: that name is verified.
  await name.fill('Fatima Al Mansouri');
  await verify.click();
  await logInAt(link, 'LEAN_MB1');
  await linkDone(link);
  await expect(outcome).toHaveAttribute('data-status', 'SUCCESS');
  await expect(page.getByTestId('verify-headline')).toHaveText('Verified: your bank confirmed that Fatima Al Mansouri holds the account.');
  await expect(outcome).not.toContainText('Last check:');
  await expectNoSeriousA11yIssues(page);
  await page.screenshot({ path: path.join(SHOTS, 'payments-verify-address.png'), fullPage: true });

  const flows = await page.evaluate(async () => (await fetch('/api/recent_flows', { method: 'POST' })).json());
  expect(flows.filter((f: any) => f.method === 'verifyAddress').map((f: any) => f.status)).toEqual(['SUCCESS', 'ERROR']);

  // Six other flows later (more than the dashboard's recent list), the last check is still shown.
  await page.evaluate(async () => {
    for (let i = 0; i < 6; i++) {
      await fetch('/api/record_flow_outcome', {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'connect', data: { status: 'CANCELLED' } }),
      });
    }
  });
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(outcome).toHaveAttribute('data-status', 'SUCCESS');
  await expect(outcome).toContainText('Last check:');
});

test('the payments page in Arabic: right to left, Arabic words and errors, and the SDK in Arabic', async ({ page }) => {
  await signUp(page);
  await page.goto(`${app.url}/lang/ar?back=/payments`);
  await expect(page).toHaveURL(/\/payments$/);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('المدفوعات');
  await expect(page.getByTestId('live-status')).toHaveText(/مباشر/);

  await page.locator('#dest-name').fill('Acme Trading LLC');
  await page.locator('#dest-display').fill('Acme Store');
  await page.locator('#dest-iban').fill('AE07 0331 2345 6789 0123 457');
  await page.getByTestId('add-destination').click();
  // Lean's INVALID_IBAN, in plain Arabic.
  await expect(page.getByTestId('dest-iban-error')).toHaveText('تفيد Lean بأن رقم IBAN هذا غير صالح. راجعه مع بيانات البنك.');
  await page.locator('#dest-iban').fill('AE07 0331 2345 6789 0123 456');
  await page.getByTestId('add-destination').click();
  await expect(page.getByTestId('destination-row')).toHaveCount(1);

  await page.locator('#pay-amount').fill('12.345');
  await page.getByTestId('create-payment').click();
  await expect(page.getByTestId('pay-amount-error')).toHaveText('استخدم خانتين عشريتين كحد أقصى.');
  await page.locator('#pay-amount').fill('100000.01');
  await page.getByTestId('create-payment').click();
  await expect(page.getByTestId('pay-amount-error')).toHaveText('هذا المبلغ أعلى من أقصى دفعة يسمح بها البنك.');
  await page.locator('#pay-amount').fill('40');
  await page.getByTestId('create-payment').click();
  const row = page.getByTestId('payment-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('payment-status')).toHaveText('لم يُدفع بعد');

  await page.locator('#verify-name').fill('ليلى');
  await page.getByTestId('verify-address-button').click();
  await expect(page.getByTestId('verify-name-error')).toHaveText('أدخل الاسم الأول واسم العائلة على الأقل.');

  // Nothing in English is left on the page but brand names, codes and data.
  // Lean's method names (createPaymentSource, updatePaymentSource) are code, named as Lean spells them.
  const text = (await page.locator('main').innerText()).replace(/\b[a-z]+(?:[A-Z][a-z]+)+\b/g, '');
  for (const english of ['Payment', 'payment', 'Add ', 'Amount', 'Status', 'Verify', 'Loading', 'Live']) {
    expect(text, `"${english}" on the Arabic page`).not.toContain(english);
  }
  await expectNoSeriousA11yIssues(page);
  await page.screenshot({ path: path.join(SHOTS, 'payments-ar.png'), fullPage: true });

  // The Link SDK opens in Arabic: the loader passes `language` to the Link page, which reads it.
  await row.getByTestId('pay-open-finance').click();
  const frame = page.locator('#lean-link-frame');
  await expect(frame).toBeVisible();
  expect(new URL((await frame.getAttribute('src'))!).searchParams.get('language')).toBe('ar');
  await expect(page.frameLocator('#lean-link-frame').locator('html')).toHaveAttribute('dir', 'rtl');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('payment-outcome')).toHaveAttribute('data-status', 'CANCELLED');
  await expect(page.getByTestId('payment-outcome')).toHaveText('أغلقت نافذة Lean قبل الإتمام. لم يُدفع أي مبلغ.');
});

test('one view of the payments page asks Lean for each of its lists once', async ({ page }) => {
  await signUp(page);
  const calls = async () => page.evaluate(async () => {
    const res = await fetch('/api/console_log', { method: 'POST' });
    return ((await res.json()).calls as { method: string; path: string }[]).map((c) => `${c.method} ${c.path}`);
  });
  const count = (list: string[], end: string) => list.filter((c) => c.startsWith('GET /customers/v1/') && c.endsWith(end)).length;
  const before = await calls();
  await page.goto(`${app.url}/payments`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(page.getByTestId('live-status')).toHaveText(/Live/);
  // Long enough for a reload on the stream's opening, had there been one, to reach Lean.
  await page.waitForTimeout(1500);
  const after = await calls();
  expect(count(after, '/destinations') - count(before, '/destinations')).toBe(1);
  expect(count(after, '/payment-sources') - count(before, '/payment-sources')).toBe(1);
});

test('the payments page needs a signed-in user', async ({ page }) => {
  await page.goto(`${app.url}/payments`);
  await expect(page).toHaveURL(/\/signin$/);
});
