// Lean.connect / link / createPaymentSource / updatePaymentSource and Lean.close() on the
// sandbox's plain test page (no merchant app). Every callback is checked in full: all
// CallbackData keys present (REFERENCE §9.5), null where they don't apply.
import { expect, FrameLocator, Page, test } from '@playwright/test';
import {
  bankLogin, call, callbacks, clearCallbacks, customer, Customer, destination, lastCallback, launch, Sandbox,
  settings, startSandbox, token,
  expectCallback, screen, UUID,
} from './sdk-sandbox';

let sb: Sandbox;
let api: string;

/** A fresh test page with no stored callbacks. */
async function fresh(page: Page) {
  await page.goto(`${sb.base}/sandbox/test-page`);
  await clearCallbacks(page);
}

async function overlayGone(page: Page) {
  await expect(page.locator('#lean-link-overlay')).toHaveCount(0);
}

async function connectTo(page: Page, c: Customer, bank: string, extra: Record<string, unknown> = {}) {
  await fresh(page);
  const frame = await launch(page, sb, 'connect', {
    customer_id: c.id, access_token: c.token, permissions: ['identity', 'accounts'], ...extra,
  });
  await screen(frame, 'BANK_SELECTION');
  await frame.getByTestId(`bank-${bank}`).click();
  return frame;
}

test.beforeAll(async () => {
  sb = await startSandbox();
  api = await token(sb, 'api');
  await destination(sb, api);
  // Beneficiaries stay in their cool-off for the whole run.
  await settings(sb, { beneficiary_cool_off_ms: 600_000 });
});

test.afterAll(async () => {
  await sb?.stop();
});

test('connect: simple user, bank selection → login → consent → SUCCESS creates the entity', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-connect');
  const frame = await connectTo(page, c, 'LEAN_MB1', { permissions: ['identity', 'accounts', 'transactions'] });
  await bankLogin(frame);
  await screen(frame, 'CONSENT');
  const perms = frame.getByTestId('consent-permission');
  await expect(perms).toHaveCount(3);
  await expect(perms.nth(0)).toHaveAttribute('data-permission', 'identity');
  await expect(perms.nth(2)).toContainText('Transactions');
  await frame.getByRole('button', { name: 'Allow' }).click();
  await expect(frame.locator('main[data-screen="SUCCESS"]')).toContainText('Bank connected');
  await frame.getByRole('button', { name: 'Done' }).click();
  await overlayGone(page);
  const cb = await lastCallback(page);
  expectCallback(cb, {
    status: 'SUCCESS', message: 'Bank connected successfully.', secondary_status: 'OK', exit_point: 'SUCCESS',
    bank: { bank_identifier: 'LEAN_MB1', is_supported: true }, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });
  expect(await callbacks(page)).toHaveLength(1);
  const entities = await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`);
  expect(entities).toHaveLength(1);
  expect(entities[0].bank_identifier).toBe('LEAN_MB1');
  expect(entities[0].permissions).toMatchObject({ identity: true, accounts: true, transactions: true, balance: false });
});

test('connect: OTP user, a wrong code then 1111', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-otp');
  const frame = await connectTo(page, c, 'LEAN_SME_MB1_UAE');
  await bankLogin(frame, 'user_otp', 'pass_otp');
  await screen(frame, 'OTP');
  await frame.getByLabel('One-time code').fill('0000');
  await frame.getByRole('button', { name: 'Verify' }).click();
  await expect(frame.getByTestId('otp-error')).toHaveText('That code is not right. 2 attempt(s) left.');
  await screen(frame, 'OTP');
  await frame.getByLabel('One-time code').fill('1111');
  await frame.getByRole('button', { name: 'Verify' }).click();
  await screen(frame, 'CONSENT');
  await frame.getByRole('button', { name: 'Allow' }).click();
  await screen(frame, 'SUCCESS');
  await frame.getByRole('button', { name: 'Done' }).click();
  expectCallback(await lastCallback(page), {
    status: 'SUCCESS', message: 'Bank connected successfully.', secondary_status: 'OK', exit_point: 'SUCCESS',
    bank: { bank_identifier: 'LEAN_SME_MB1_UAE', is_supported: true }, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });
  const entities = await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`);
  expect(entities.map((e: any) => e.bank_identifier)).toEqual(['LEAN_SME_MB1_UAE']);
});

test('connect: a wrong password three times ends with ERROR INVALID_CREDENTIALS', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-badpass');
  const frame = await connectTo(page, c, 'LEAN_MB1');
  await bankLogin(frame, 'user_simple', 'wrong-1');
  await expect(frame.getByTestId('login-error')).toHaveText('Invalid username or password. 2 attempt(s) left.');
  await bankLogin(frame, 'user_simple', 'wrong-2');
  await expect(frame.getByTestId('login-error')).toHaveText('Invalid username or password. 1 attempt(s) left.');
  await bankLogin(frame, 'user_simple', 'wrong-3');
  await screen(frame, 'ERROR');
  await expect(frame.getByTestId('error-message')).toHaveText('Too many failed login attempts.');
  // The error screen stays until it is closed; nothing was reported yet.
  expect(await callbacks(page)).toHaveLength(0);
  await frame.locator('main').getByRole('button', { name: 'Close' }).click();
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'ERROR', message: 'Too many failed login attempts.', secondary_status: 'INVALID_CREDENTIALS',
    exit_point: 'LOGIN', bank: { bank_identifier: 'LEAN_MB1', is_supported: true }, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'INVALID_CREDENTIALS' });
  expect(await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`)).toEqual([]);
});

test('connect: locked user and bank error end with ERROR and the bank message', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-locked');
  const cases = [
    { user: 'user_locked', pass: 'pass_locked', code: 'EU_ACCOUNT_LOCKED',
      message: 'Your online banking is locked. Please contact your bank to unlock it.' },
    { user: 'user_bank_error', pass: 'pass_bank_error', code: 'BANK_ISSUE',
      message: 'Your bank is having technical problems. Please try again later.' },
  ];
  for (const k of cases) {
    const frame = await connectTo(page, c, 'LEAN_OF_RETAIL_UAE');
    await bankLogin(frame, k.user, k.pass);
    await screen(frame, 'ERROR');
    await expect(frame.getByTestId('error-message')).toHaveText(k.message);
    // Esc on an ERROR screen reports the error, not a cancel.
    await page.keyboard.press('Escape');
    await overlayGone(page);
    expectCallback(await lastCallback(page), {
      status: 'ERROR', message: k.message, secondary_status: k.code, exit_point: 'LOGIN',
      bank: { bank_identifier: 'LEAN_OF_RETAIL_UAE', is_supported: true }, lean_correlation_id: UUID,
    }, { http_status: 200, status: k.code });
  }
  expect(await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`)).toEqual([]);
});

test('connect: "My bank is not listed" → CANCELLED with bank.is_supported false', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-notlisted');
  await fresh(page);
  const frame = await launch(page, sb, 'connect', { customer_id: c.id, access_token: c.token, permissions: ['accounts'] });
  await screen(frame, 'BANK_SELECTION');
  await frame.getByTestId('bank-not-listed').click();
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'CANCELLED', message: "User's bank is not listed.", bank: { bank_identifier: null, is_supported: false },
    exit_point: 'BANK_SELECTION', exit_intent_point: 'BANK_SELECTION', user_exit_intent: 'BANK_NOT_LISTED',
    lean_correlation_id: UUID,
  }, { http_status: 200, status: null });
});

test('connect: Esc and the close button cancel with the current screen as exit_point', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-esc');
  // Esc on the login screen.
  let frame = await connectTo(page, c, 'LEAN_MB1');
  await screen(frame, 'LOGIN');
  await page.keyboard.press('Escape');
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'CANCELLED', message: 'User cancelled the flow.', bank: { bank_identifier: 'LEAN_MB1', is_supported: true },
    exit_point: 'LOGIN', exit_intent_point: 'LOGIN', user_exit_intent: 'ESCAPE', lean_correlation_id: UUID,
  }, { http_status: 200, status: null });

  // The close button on the consent screen.
  frame = await connectTo(page, c, 'LEAN_MB1');
  await bankLogin(frame);
  await screen(frame, 'CONSENT');
  await frame.getByRole('button', { name: 'Close' }).click();
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'CANCELLED', message: 'User cancelled the flow.', bank: { bank_identifier: 'LEAN_MB1', is_supported: true },
    exit_point: 'CONSENT', exit_intent_point: 'CONSENT', user_exit_intent: 'CLOSE_BUTTON', lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });
  expect(await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`)).toEqual([]);
});

test('Lean.close() → LINK_CLOSED_PROGRAMMATICALLY', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-close');
  const frame = await connectTo(page, c, 'LEAN_MB1');
  await screen(frame, 'LOGIN');
  await page.evaluate(() => (window as any).Lean.close());
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'LINK_CLOSED_PROGRAMMATICALLY', message: 'Link was closed by the host application.', exit_point: 'LOGIN',
  });
  // Closing again with nothing open reports nothing.
  await page.evaluate(() => (window as any).Lean.close());
  await page.waitForTimeout(200);
  expect(await callbacks(page)).toHaveLength(1);
});

test('bank_identifier skips bank selection; link is the legacy connect', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-link');
  await fresh(page);
  const frame = await launch(page, sb, 'link', {
    customer_id: c.id, access_token: c.token, permissions: ['identity', 'balance'], bank_identifier: 'LEA1_SAMAOB_SAU',
  });
  await screen(frame, 'LOGIN');
  await expect(frame.locator('main')).toContainText('Mockbank 1');
  // No way back to a bank list that was never shown.
  await expect(frame.getByRole('button', { name: 'Back' })).toBeHidden();
  await bankLogin(frame);
  await screen(frame, 'CONSENT');
  await expect(frame.getByTestId('consent-permission')).toHaveCount(2);
  await frame.getByRole('button', { name: 'Allow' }).click();
  await screen(frame, 'SUCCESS');
  await frame.getByRole('button', { name: 'Done' }).click();
  expectCallback(await lastCallback(page), {
    status: 'SUCCESS', message: 'Bank connected successfully.', secondary_status: 'OK', exit_point: 'SUCCESS',
    bank: { bank_identifier: 'LEA1_SAMAOB_SAU', is_supported: true }, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });
  const entities = await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`);
  expect(entities.map((e: any) => e.bank_identifier)).toEqual(['LEA1_SAMAOB_SAU']);
  expect(entities[0].permissions).toMatchObject({ identity: true, balance: true, accounts: false });
});

test('createPaymentSource forces ["payments"]; updatePaymentSource adds a beneficiary', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-source');
  await fresh(page);
  // Data permissions passed by mistake are replaced by "payments".
  const frame = await launch(page, sb, 'createPaymentSource', {
    customer_id: c.id, access_token: c.token, bank_identifier: 'LEAN_MB1', permissions: ['identity', 'accounts'],
  });
  await bankLogin(frame);
  await screen(frame, 'CONSENT');
  const perms = frame.getByTestId('consent-permission');
  await expect(perms).toHaveCount(1);
  await expect(perms).toHaveAttribute('data-permission', 'payments');
  await frame.getByRole('button', { name: 'Allow' }).click();
  await screen(frame, 'SUCCESS');
  await frame.getByRole('button', { name: 'Done' }).click();
  expectCallback(await lastCallback(page), {
    status: 'SUCCESS', message: 'Bank connected successfully.', secondary_status: 'OK', exit_point: 'SUCCESS',
    bank: { bank_identifier: 'LEAN_MB1', is_supported: true }, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });
  const sources = await call(sb, api, 'GET', `/customers/v1/${c.id}/payment-sources`);
  expect(sources).toHaveLength(1);
  expect(sources[0].bank_identifier).toBe('LEAN_MB1');
  expect(sources[0].beneficiaries).toHaveLength(1);
  // Payments only: no data entity.
  expect(await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`)).toEqual([]);

  const second = await call(sb, api, 'POST', '/payments/v1/destinations', {
    name: 'Second Shop LLC', display_name: 'Second Shop', iban: 'AE490260001015512345678', country: 'ARE',
  });
  await fresh(page);
  const upd = await launch(page, sb, 'updatePaymentSource', {
    customer_id: c.id, access_token: c.token, payment_destination_id: second.id, payment_source_id: sources[0].id,
  });
  await screen(upd, 'BENEFICIARY');
  await expect(upd.getByTestId('beneficiary-name')).toHaveText('Second Shop');
  await expect(upd.getByTestId('beneficiary-iban')).toHaveText('AE490260001015512345678');
  await upd.getByRole('button', { name: 'Add beneficiary' }).click();
  await screen(upd, 'SUCCESS');
  await expect(upd.getByTestId('beneficiary-status')).toHaveText('AWAITING_BENEFICIARY_COOL_OFF');
  await expect(upd.getByTestId('cool-off-expiry')).not.toBeEmpty();
  await upd.getByRole('button', { name: 'Done' }).click();
  expectCallback(await lastCallback(page), {
    status: 'SUCCESS', message: 'Beneficiary added.', secondary_status: 'PENDING_BENEFICIARY_COOL_OFF',
    exit_point: 'SUCCESS', bank: { bank_identifier: 'LEAN_MB1', is_supported: true }, lean_correlation_id: UUID,
  }, { http_status: 200 });
  const after = await call(sb, api, 'GET', `/customers/v1/${c.id}/payment-sources/${sources[0].id}`);
  expect(after.beneficiaries.map((b: any) => b.payment_destination_id)).toContain(second.id);
});

test('updatePaymentSource takes one of payment_source_id or entity_id; entity_id adds payments to a data-only bank', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-upgrade');
  const dest = await call(sb, api, 'POST', '/payments/v1/destinations', {
    name: 'Upgrade Shop LLC', display_name: 'Upgrade Shop', iban: 'AE490260001015512345678', country: 'ARE',
  });
  // Neither id, or both: the loader refuses before anything opens, naming the two fields.
  for (const ids of [{}, { payment_source_id: 'a', entity_id: 'b' }]) {
    await fresh(page);
    await launch(page, sb, 'updatePaymentSource', {
      customer_id: c.id, access_token: c.token, payment_destination_id: dest.id, ...ids,
    });
    const box = page.getByTestId('config-error');
    await expect(box).toContainText('Invalid config: exactly one of "payment_source_id", "entity_id" is required.');
    await box.getByRole('button', { name: 'Close' }).click();
    expectCallback(await lastCallback(page), {
      status: 'ERROR', message: 'Invalid config: exactly one of "payment_source_id", "entity_id" is required.',
      secondary_status: 'INVALID_CONFIG', exit_point: 'CONFIG_ERROR',
    });
  }

  // A bank connected for data only.
  const connect = await connectTo(page, c, 'LEAN_MB1');
  await bankLogin(connect);
  await connect.getByRole('button', { name: 'Allow' }).click();
  await connect.getByRole('button', { name: 'Done' }).click();
  const [entity] = await call(sb, api, 'GET', `/customers/v1/${c.id}/entities`);
  expect(await call(sb, api, 'GET', `/customers/v1/${c.id}/payment-sources`)).toEqual([]);

  await fresh(page);
  const frame = await launch(page, sb, 'updatePaymentSource', {
    customer_id: c.id, access_token: c.token, payment_destination_id: dest.id, entity_id: entity.id,
  });
  await screen(frame, 'BENEFICIARY');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('Pay from Lean Mockbank');
  await expect(frame.getByTestId('beneficiary-name')).toHaveText('Upgrade Shop');
  await frame.getByTestId('upgrade-continue').click();
  await bankLogin(frame);
  await screen(frame, 'SUCCESS');
  await expect(frame.getByTestId('beneficiary-status')).toHaveText('AWAITING_BENEFICIARY_COOL_OFF');
  await frame.getByRole('button', { name: 'Done' }).click();
  expectCallback(await lastCallback(page), {
    status: 'SUCCESS', message: 'Beneficiary added.', secondary_status: 'PENDING_BENEFICIARY_COOL_OFF',
    exit_point: 'SUCCESS', bank: { bank_identifier: 'LEAN_MB1', is_supported: true }, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });
  const sources = await call(sb, api, 'GET', `/customers/v1/${c.id}/payment-sources`);
  expect(sources).toHaveLength(1);
  expect(sources[0].bank_identifier).toBe('LEAN_MB1');
  expect(sources[0].beneficiaries.map((b: any) => b.payment_destination_id)).toEqual([dest.id]);
});
