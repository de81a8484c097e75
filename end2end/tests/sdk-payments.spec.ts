// Drives the sandbox's Link UI payment methods through their screens from a plain host page
// (/sandbox/test-page) and checks the CallbackData each one reports.
import { expect, test } from '@playwright/test';
import {
  bankLogin, call, clearCallbacks, customer, destination, intent, lastCallback, launch, Sandbox, settings, startSandbox, token,
} from './sdk-sandbox';

let sb: Sandbox;
let api: string;

test.beforeAll(async () => {
  sb = await startSandbox();
  api = await token(sb, 'api');
  await settings(sb, { beneficiary_cool_off_ms: 0, payment_settle_ms: 300 });
  await destination(sb, api);
});

test.afterAll(async () => {
  await sb?.stop();
});

test('pay: account selection, confirmation, success; account_id skips the selection', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-pay');
  const src = await call(sb, c.token, 'POST', '/link/api/connect', {
    customer_id: c.id, bank_identifier: 'LEAN_MB1', username: 'user_simple', password: 'pass_simple', permissions: ['payments'],
  });
  expect(src.payment_source_id).toBeTruthy();
  const intentId = await intent(sb, api, c.id, 125.5);

  const frame = await launch(page, sb, 'pay', { payment_intent_id: intentId, access_token: c.token,
    customization: { theme_color: '#aa0055', button_border_radius: 'pill', button_text_color: '#ffff00' } });
  await expect(frame.locator('main[data-screen="ACCOUNT_SELECTION"]')).toBeVisible();
  await expect(frame.getByTestId('payment-amount')).toContainText('AED 125.50');
  const accounts = frame.locator('button[data-testid^="account-"]');
  await expect(accounts).toHaveCount(2);
  await accounts.first().click();

  await expect(frame.locator('main[data-screen="PAYMENT_CONFIRMATION"]')).toBeVisible();
  await expect(frame.getByTestId('payment-recipient')).toHaveText('Acme Store');
  await expect(frame.getByTestId('payment-reference')).toHaveText('Order 42');
  const confirm = frame.getByRole('button', { name: 'Confirm payment' });
  // customization is visible on the new screens too.
  await expect(confirm).toHaveCSS('background-color', 'rgb(170, 0, 85)');
  await expect(confirm).toHaveCSS('color', 'rgb(255, 255, 0)');
  await expect(confirm).toHaveCSS('border-top-left-radius', '999px');
  await confirm.click();

  await expect(frame.locator('main[data-screen="SUCCESS"]')).toBeVisible();
  await expect(frame.getByTestId('payment-status')).toHaveText('PENDING_WITH_BANK');
  await frame.getByRole('button', { name: 'Done' }).click();
  const done = await lastCallback(page);
  expect(done.status).toBe('SUCCESS');
  expect(done.secondary_status).toBe('PENDING_WITH_BANK');
  expect(done.bank).toEqual({ bank_identifier: 'LEAN_MB1', is_supported: true });
  await expect(page.locator('#lean-link-overlay')).toHaveCount(0);

  const paid = await call(sb, api, 'GET', `/payments/v1/intents/${intentId}`);
  expect(paid.payments).toHaveLength(1);
  await expect.poll(async () => (await call(sb, api, 'GET', `/payments/v1/${paid.payments[0].id}`)).status).toBe('ACCEPTED_BY_BANK');

  // account_id goes straight to the confirmation; Esc cancels there.
  await clearCallbacks(page);
  const second = await intent(sb, api, c.id, 20);
  const sources = await call(sb, api, 'GET', `/customers/v1/${c.id}/payment-sources`);
  const frame2 = await launch(page, sb, 'pay', { payment_intent_id: second, access_token: c.token, account_id: sources[0].accounts[1].id });
  await expect(frame2.locator('main[data-screen="PAYMENT_CONFIRMATION"]')).toBeVisible();
  await expect(frame2.getByTestId('payment-account')).toContainText(sources[0].accounts[1].account_name);
  await page.keyboard.press('Escape');
  const cancelled = await lastCallback(page);
  expect(cancelled.status).toBe('CANCELLED');
  expect(cancelled.exit_point).toBe('PAYMENT_CONFIRMATION');
});

test('pay in Arabic renders right-to-left', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-pay-ar');
  await call(sb, c.token, 'POST', '/link/api/connect', {
    customer_id: c.id, bank_identifier: 'LEAN_MB1', username: 'user_simple', password: 'pass_simple', permissions: ['payments'],
  });
  const intentId = await intent(sb, api, c.id, 10);
  const frame = await launch(page, sb, 'pay', { payment_intent_id: intentId, access_token: c.token, language: 'ar' });
  await expect(frame.locator('main[data-screen="ACCOUNT_SELECTION"]')).toBeVisible();
  await expect(frame.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(frame.getByRole('heading', { name: 'اختر الحساب' })).toBeVisible();
  await frame.getByRole('button', { name: 'إغلاق' }).click();
  expect((await lastCallback(page)).status).toBe('CANCELLED');
});

test('checkout: bank login, REDIRECT to success_redirect_url, captureRedirect shows SUCCESS', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-checkout');
  const intentId = await intent(sb, api, c.id, 75);
  const frame = await launch(page, sb, 'checkout', {
    payment_intent_id: intentId, access_token: c.token, bank_identifier: 'LEAN_OF_RETAIL_UAE',
    success_redirect_url: `${sb.base}/sandbox/test-page?outcome=ok`, fail_redirect_url: `${sb.base}/sandbox/test-page?outcome=fail`,
  });
  await bankLogin(frame);
  await expect(frame.locator('main[data-screen="BANK_AUTHORISATION"]')).toBeVisible();
  await expect(frame.getByTestId('payment-amount')).toContainText('AED 75.00');
  await frame.getByRole('button', { name: 'Authorise' }).click();

  await page.waitForURL(/outcome=ok/);
  const url = new URL(page.url());
  const attempt = url.searchParams.get('consent_attempt_id');
  expect(attempt).toBeTruthy();
  expect(url.searchParams.get('customer_id')).toBe(c.id);
  const redirect = await lastCallback(page);
  expect(redirect.status).toBe('REDIRECT');
  expect(redirect.open_banking_redirect_url).toBe(page.url());

  await clearCallbacks(page);
  const cap = await launch(page, sb, 'captureRedirect', { customer_id: c.id, access_token: c.token, consent_attempt_id: attempt });
  await expect(cap.locator('main[data-screen="SUCCESS"]')).toBeVisible();
  await expect(cap.getByTestId('payment-status')).toHaveText(/PENDING_WITH_BANK|ACCEPTED_BY_BANK/);
  await cap.getByRole('button', { name: 'Done' }).click();
  const done = await lastCallback(page);
  expect(done.status).toBe('SUCCESS');
  expect(done.bank.bank_identifier).toBe('LEAN_OF_RETAIL_UAE');
});

test('checkout with a locked account redirects to fail_redirect_url; captureRedirect reports ERROR', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-checkout-fail');
  const intentId = await intent(sb, api, c.id, 30);
  const frame = await launch(page, sb, 'checkout', {
    payment_intent_id: intentId, access_token: c.token,
    success_redirect_url: `${sb.base}/sandbox/test-page?outcome=ok`, fail_redirect_url: `${sb.base}/sandbox/test-page?outcome=fail`,
  });
  await expect(frame.locator('main[data-screen="BANK_SELECTION"]')).toBeVisible();
  await frame.getByTestId('bank-LEAN_OF_RETAIL_UAE').click();
  // The bank refuses the login, so Lean sends the user straight to fail_redirect_url.
  await bankLogin(frame, 'user_locked', 'pass_locked');
  await page.waitForURL(/outcome=fail/);
  const url = new URL(page.url());
  expect(url.searchParams.get('granular_status_code')).toBe('EU_ACCOUNT_LOCKED');
  expect(url.searchParams.get('status_additional_info')).toContain('locked');
  expect((await lastCallback(page)).status).toBe('REDIRECT');

  await clearCallbacks(page);
  const cap = await launch(page, sb, 'captureRedirect', {
    customer_id: c.id, access_token: c.token, consent_attempt_id: url.searchParams.get('consent_attempt_id'),
    granular_status_code: url.searchParams.get('granular_status_code'), status_additional_info: url.searchParams.get('status_additional_info'),
  });
  await expect(cap.locator('main[data-screen="ERROR"]')).toBeVisible();
  await expect(cap.getByTestId('error-message')).toContainText('locked');
  await cap.getByRole('button', { name: 'Close' }).last().click();
  const err = await lastCallback(page);
  expect(err.status).toBe('ERROR');
  expect(err.secondary_status).toBe('EU_ACCOUNT_LOCKED');
});

test('authorizeConsent with OTP, then manageConsents revokes it', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-aof');
  const dests = await call(sb, api, 'GET', '/payments/v1/destinations');
  const consent = await call(sb, api, 'POST', '/consents/v1/account-on-file', {
    customer_id: c.id, destination_account_id: dests[0].id, currency: 'AED', reference: 'SUBSCRIPTION-1', purpose: 'GDS',
    control_parameters: { type: 'VariableOnDemand', period_type: 'Month', max_individual_amount: 500 },
  });
  const frame = await launch(page, sb, 'authorizeConsent', {
    customer_id: c.id, consent_id: consent.id, access_token: c.token, bank_identifier: 'LEAN_OF_RETAIL_UAE',
    success_redirect_url: `${sb.base}/sandbox/test-page?outcome=ok`, fail_redirect_url: `${sb.base}/sandbox/test-page?outcome=fail`,
  });
  await bankLogin(frame, 'user_otp', 'pass_otp');
  await frame.getByLabel('One-time code').fill('1111');
  await frame.getByRole('button', { name: 'Verify' }).click();
  await expect(frame.locator('main[data-screen="BANK_AUTHORISATION"]')).toBeVisible();
  await expect(frame.getByTestId('consent-limit')).toContainText('AED 500.00');
  await expect(frame.getByTestId('consent-reference')).toHaveText('SUBSCRIPTION-1');
  await frame.getByRole('button', { name: 'Authorise' }).click();
  await page.waitForURL(/outcome=ok/);
  expect(new URL(page.url()).searchParams.get('consent_id')).toBe(consent.id);
  expect((await call(sb, api, 'GET', `/consents/v1/${consent.id}`)).status).toBe('AUTHORISED');

  await clearCallbacks(page);
  const mc = await launch(page, sb, 'manageConsents', { customer_id: c.id, access_token: c.token });
  await expect(mc.locator('main[data-screen="MANAGE_CONSENTS"]')).toBeVisible();
  const item = mc.locator(`li[data-testid="consent-item"][data-consent-id="${consent.id}"]`);
  await expect(item.getByTestId('consent-status')).toHaveText('AUTHORISED');
  await item.getByRole('button', { name: 'Revoke' }).click();
  await expect(item.getByTestId('consent-status')).toHaveText('REVOKED');
  await expect(item.getByRole('button', { name: 'Revoke' })).toHaveCount(0);
  await mc.getByRole('button', { name: 'Done' }).click();
  expect((await lastCallback(page)).status).toBe('SUCCESS');
  expect((await call(sb, api, 'GET', `/consents/v1/${consent.id}`)).status).toBe('REVOKED');
});

test('createBeneficiary shows the cool-off; config errors name the field', async ({ page }) => {
  await settings(sb, { beneficiary_cool_off_ms: 600_000 });
  const c = await customer(sb, api, 'sdk-benef');
  const source = await call(sb, c.token, 'POST', '/link/api/connect', {
    customer_id: c.id, bank_identifier: 'LEAN_MB1', username: 'user_simple', password: 'pass_simple', permissions: ['payments'],
  });
  const second = await call(sb, api, 'POST', '/payments/v1/destinations', {
    name: 'Second Shop', display_name: 'Second Shop', iban: 'GB82WEST12345698765432', country: 'GBR', city: 'London',
    address: '1 High St', bank_type: 'RETAIL', government_identifier: { type: 'TRADE_LICENSE_NUMBER', value: 'TL-2' },
  });
  // An alias of updatePaymentSource: one of payment_source_id or entity_id, as Lean's reference says.
  const frame = await launch(page, sb, 'createBeneficiary', {
    customer_id: c.id, access_token: c.token, payment_destination_id: second.id, payment_source_id: source.payment_source_id,
  });
  await expect(frame.locator('main[data-screen="BENEFICIARY"]')).toBeVisible();
  await expect(frame.getByTestId('beneficiary-name')).toHaveText('Second Shop');
  await frame.getByRole('button', { name: 'Add beneficiary' }).click();
  await expect(frame.locator('main[data-screen="SUCCESS"]')).toBeVisible();
  await expect(frame.getByTestId('beneficiary-status')).toHaveText('AWAITING_BENEFICIARY_COOL_OFF');
  await frame.getByRole('button', { name: 'Done' }).click();
  const done = await lastCallback(page);
  expect(done.status).toBe('SUCCESS');
  expect(done.secondary_status).toBe('PENDING_BENEFICIARY_COOL_OFF');
  await settings(sb, { beneficiary_cool_off_ms: 0 });

  await clearCallbacks(page);
  await launch(page, sb, 'checkout', { payment_intent_id: 'x', fail_redirect_url: 'https://example.com/f' });
  await expect(page.getByTestId('config-error')).toContainText('"success_redirect_url" is required');
  await page.getByRole('button', { name: 'Close' }).click();
  const err = await lastCallback(page);
  expect(err.status).toBe('ERROR');
  expect(err.secondary_status).toBe('INVALID_CONFIG');

  await clearCallbacks(page);
  await launch(page, sb, 'pay', { payment_intent_id: 'x', show_balances: 'yes' });
  await expect(page.getByTestId('config-error')).toContainText('"show_balances" must be a boolean');
  await page.keyboard.press('Escape');
  expect((await lastCallback(page)).status).toBe('ERROR');
});

test('verifyAddress reports a name mismatch as ERROR', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-verify');
  const frame = await launch(page, sb, 'verifyAddress', {
    customer_id: c.id, access_token: c.token, customer_name: 'Nobody Atall', bank_identifier: 'LEAN_MB1',
  });
  await bankLogin(frame);
  await expect(frame.locator('main[data-screen="ERROR"]')).toBeVisible();
  await expect(frame.getByTestId('error-message')).toContainText('does not match Nobody Atall');
  await frame.getByRole('button', { name: 'Close' }).last().click();
  const err = await lastCallback(page);
  expect(err.status).toBe('ERROR');
  expect(err.secondary_status).toBe('NAME_MISMATCH');

  // The identity name of the entity now created matches.
  await clearCallbacks(page);
  const entities = await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`);
  let name: string | undefined;
  await expect.poll(async () => {
    const res = await fetch(`${sb.base}/data/v2/identity?entity_id=${entities[0].id}`, { headers: { authorization: `Bearer ${api}` } });
    const body = await res.json().catch(() => ({}));
    name = body?.data?.identities?.[0]?.full_legal_name ?? body?.data?.full_legal_name;
    return typeof name === 'string';
  }, { timeout: 10_000 }).toBe(true);
  const again = await launch(page, sb, 'verifyAddress', {
    customer_id: c.id, access_token: c.token, customer_name: name, bank_identifier: 'LEAN_MB1',
  });
  await bankLogin(again);
  await expect(again.locator('main[data-screen="SUCCESS"]')).toBeVisible();
  await again.getByRole('button', { name: 'Done' }).click();
  expect((await lastCallback(page)).status).toBe('SUCCESS');
});

test('verifyAddress in Arabic: right to left, Arabic words, and the same CallbackData', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-verify-ar');
  const frame = await launch(page, sb, 'verifyAddress', {
    customer_id: c.id, access_token: c.token, customer_name: 'Nobody Atall', bank_identifier: 'LEAN_MB1', language: 'ar',
  });
  await expect(frame.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(frame.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(frame.locator('main[data-screen="LOGIN"]')).toBeVisible();
  await frame.locator('input').first().fill('user_simple');
  await frame.locator('input[type="password"]').fill('pass_simple');
  await frame.locator('main button[type="submit"], main form button').first().click();
  await expect(frame.locator('main[data-screen="ERROR"]')).toBeVisible();
  // The Link UI speaks Arabic; Lean's CallbackData stays in Lean's codes for the app to explain.
  await expect(frame.locator('main h1')).toHaveText(/[\u0600-\u06FF]/);
  await frame.locator('main button').last().click();
  const err = await lastCallback(page);
  expect(err.status).toBe('ERROR');
  expect(err.secondary_status).toBe('NAME_MISMATCH');
  expect(err.lean_correlation_id).toBeTruthy();
});
