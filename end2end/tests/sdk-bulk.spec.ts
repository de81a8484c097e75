// Lean.pay({bulk_payment_intent_id}) on the sandbox's plain test page: the bulk's screens
// (total, each recipient and amount, one account for all), the payments it makes, its
// all-or-nothing refusals, in English and Arabic. Every callback is checked in full: all
// CallbackData keys present (REFERENCE §9.5), null where they don't apply.
import { expect, FrameLocator, Page, test } from '@playwright/test';
import {
  call, clearCallbacks, customer, Customer, destination, lastCallback, launch, Sandbox, settings, startSandbox, token,
  expectCallback, screen, UUID,
} from './sdk-sandbox';

let sb: Sandbox;
let api: string;
let acme: string;
let beta: string;

const MB1 = { bank_identifier: 'LEAN_MB1', is_supported: true };

async function fresh(page: Page) {
  await page.goto(`${sb.base}/sandbox/test-page`);
  await clearCallbacks(page);
}

async function overlayGone(page: Page) {
  await expect(page.locator('#lean-link-overlay')).toHaveCount(0);
}

/** A customer with a LEAN_MB1 payment source whose beneficiaries are `dests`, all ACTIVE. */
async function payer(name: string, dests: string[]): Promise<{ c: Customer; source: any }> {
  const c = await customer(sb, api, name);
  const src = await call(sb, c.token, 'POST', '/link/api/connect', {
    customer_id: c.id, bank_identifier: 'LEAN_MB1', username: 'user_simple', password: 'pass_simple',
    permissions: ['payments'], payment_destination_id: dests[0],
  });
  for (const d of dests.slice(1)) {
    await call(sb, c.token, 'POST', '/link/api/beneficiary', { payment_source_id: src.payment_source_id, payment_destination_id: d });
  }
  const path = `/customers/v1/${c.id}/payment-sources/${src.payment_source_id}`;
  await expect.poll(async () => (await call(sb, api, 'GET', path)).beneficiaries.every((b: any) => b.status === 'ACTIVE')).toBe(true);
  return { c, source: await call(sb, api, 'GET', path) };
}

async function bulk(c: Customer, items: { amount: number; payment_destination_id: string; description: string }[]) {
  return call(sb, api, 'POST', '/bulk-payments/v1/intents', { customer_id: c.id, currency: 'AED', intents: items });
}

/** The payments of each child intent of the bulk, in the bulk's order. */
async function childPayments(bulkId: string): Promise<any[][]> {
  const b = await call(sb, api, 'GET', `/bulk-payments/v1/intents/${bulkId}`);
  return b.payment_intents.map((i: any) => i.payments);
}

test.beforeAll(async () => {
  sb = await startSandbox();
  api = await token(sb, 'api');
  await settings(sb, { beneficiary_cool_off_ms: 0, payment_settle_ms: 300 });
  acme = (await destination(sb, api)).id;
  beta = (await call(sb, api, 'POST', '/payments/v1/destinations', {
    name: 'Beta Supplies', display_name: 'Beta Supplies', iban: 'GB82WEST12345698765432', country: 'ARE', city: 'Dubai',
    address: '2 Al Wasl Rd', bank_type: 'RETAIL', government_identifier: { type: 'TRADE_LICENSE_NUMBER', value: 'TL-2' },
  })).id;
});

test.afterAll(async () => {
  await sb?.stop();
});

test('bulk pay: the bulk and its accounts, confirmation, one payment per child, SUCCESS', async ({ page }) => {
  const { c, source } = await payer('sdk-bulk', [acme, beta]);
  const b = await bulk(c, [
    { amount: 100, payment_destination_id: acme, description: 'Salary A' },
    { amount: 50.25, payment_destination_id: beta, description: 'Salary B' },
  ]);
  await fresh(page);
  const frame = await launch(page, sb, 'pay', { bulk_payment_intent_id: b.bulk_payment_intent_id, access_token: c.token, show_balances: true });

  await screen(frame, 'ACCOUNT_SELECTION');
  await expect(frame.getByRole('heading', { name: 'Choose an account' })).toBeVisible();
  await expect(frame.getByTestId('payment-amount')).toHaveText('AED 150.25');
  await expect(frame.getByText('Payments in this request')).toBeVisible();
  const items = frame.getByTestId('bulk-payment');
  await expect(items).toHaveCount(2);
  await expect(items.nth(0)).toHaveAttribute('data-payment-intent-id', b.payment_intents[0].payment_intent_id);
  await expect(items.nth(0).getByTestId('bulk-payment-recipient')).toHaveText('Acme Store');
  await expect(items.nth(0).getByTestId('bulk-payment-amount')).toHaveText('AED 100.00');
  await expect(items.nth(0).getByTestId('bulk-payment-reference')).toHaveText('Salary A');
  await expect(items.nth(1).getByTestId('bulk-payment-recipient')).toHaveText('Beta Supplies');
  await expect(items.nth(1).getByTestId('bulk-payment-amount')).toHaveText('AED 50.25');
  const accounts = frame.locator('button[data-testid^="account-"]');
  await expect(accounts).toHaveCount(source.accounts.length);
  // show_balances: each account shows its balance after the masked IBAN.
  await expect(accounts.first()).toContainText(/•••• \d{4} · AED -?[\d,]+\.\d{2}/);
  await frame.getByTestId(`account-${source.accounts[1].id}`).click();

  await screen(frame, 'PAYMENT_CONFIRMATION');
  await expect(frame.getByRole('heading', { name: 'Confirm your payments' })).toBeVisible();
  await expect(frame.getByTestId('payment-amount')).toHaveText('AED 150.25');
  await expect(frame.getByTestId('bulk-count')).toHaveText('2');
  await expect(frame.getByTestId('payment-account')).toContainText(source.accounts[1].account_name);
  await expect(frame.getByTestId('bulk-payment-recipient')).toHaveText(['Acme Store', 'Beta Supplies']);
  // Back returns to the accounts; nothing was paid.
  await frame.locator('#back').click();
  await screen(frame, 'ACCOUNT_SELECTION');
  expect(await childPayments(b.bulk_payment_intent_id)).toEqual([[], []]);
  await frame.getByTestId(`account-${source.accounts[1].id}`).click();
  await frame.getByRole('button', { name: 'Confirm payments' }).click();

  await screen(frame, 'SUCCESS');
  await expect(frame.getByRole('heading', { name: 'Payments submitted' })).toBeVisible();
  await expect(frame.getByTestId('payment-status')).toHaveText('PENDING_WITH_BANK');
  await expect(frame.getByTestId('payment-amount')).toHaveText('AED 150.25');
  await expect(frame.getByTestId('bulk-count')).toHaveText('2');
  await frame.getByRole('button', { name: 'Done' }).click();
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'SUCCESS', message: 'Payments submitted.', secondary_status: 'PENDING_WITH_BANK', exit_point: 'SUCCESS',
    bank: MB1, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });

  // One payment per child, from the chosen account, each with the bank's verdict.
  const paid = await childPayments(b.bulk_payment_intent_id);
  expect(paid.map((p) => p.length)).toEqual([1, 1]);
  for (const [p] of paid) {
    expect(p.sender_details.iban).toBe(source.accounts[1].iban);
    await expect.poll(async () => (await call(sb, api, 'GET', `/payments/v1/${p.id}`)).status).toBe('ACCEPTED_BY_BANK');
  }
  expect(paid.map(([p]) => p.amount)).toEqual([100, 50.25]);
});

test('bulk pay refuses the whole bulk when one child cannot be paid, and pays nothing', async ({ page }) => {
  // Beta Supplies is no beneficiary of this payer's source.
  const { c, source } = await payer('sdk-bulk-refused', [acme]);
  const b = await bulk(c, [
    { amount: 10, payment_destination_id: acme, description: 'Fine' },
    { amount: 20, payment_destination_id: beta, description: 'Not a beneficiary' },
  ]);
  await fresh(page);
  // account_id goes straight to the confirmation.
  const frame = await launch(page, sb, 'pay', {
    bulk_payment_intent_id: b.bulk_payment_intent_id, access_token: c.token, account_id: source.accounts[0].id,
  });
  await screen(frame, 'PAYMENT_CONFIRMATION');
  await expect(frame.locator('#back')).toBeHidden();
  await expect(frame.getByTestId('payment-amount')).toHaveText('AED 30.00');
  await frame.getByRole('button', { name: 'Confirm payments' }).click();

  await screen(frame, 'ERROR');
  const refused = b.payment_intents[1].payment_intent_id;
  await expect(frame.getByTestId('error-message')).toContainText(`Payment intent ${refused} cannot be paid, so none was`);
  await expect(frame.getByTestId('error-message')).toContainText('not a beneficiary');
  await frame.getByRole('button', { name: 'Close' }).last().click();
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'ERROR', secondary_status: 'BENEFICIARY_NOT_FOUND', exit_point: 'PAYMENT_CONFIRMATION', bank: MB1,
    message: new RegExp(`^Payment intent ${refused} cannot be paid, so none was: `), lean_correlation_id: UUID,
  }, { http_status: 200, status: 'BENEFICIARY_NOT_FOUND' });
  expect(await childPayments(b.bulk_payment_intent_id)).toEqual([[], []]);
});

test('bulk pay: another customer\'s bulk is unknown; without access_token the bulk\'s customer pays', async ({ page }) => {
  const { c } = await payer('sdk-bulk-owner', [acme]);
  const other = await customer(sb, api, 'sdk-bulk-other');
  const b = await bulk(c, [{ amount: 12, payment_destination_id: acme, description: 'Mine' }]);
  await fresh(page);
  const frame = await launch(page, sb, 'pay', { bulk_payment_intent_id: b.bulk_payment_intent_id, access_token: other.token });
  await screen(frame, 'ERROR');
  await expect(frame.getByTestId('error-message')).toHaveText('No payment intent was found for the identifier you have provided.');
  await frame.getByRole('button', { name: 'Close' }).last().click();
  expectCallback(await lastCallback(page), {
    status: 'ERROR', secondary_status: 'UNKNOWN_PAYMENT_INTENT', exit_point: 'INITIALIZATION',
    message: 'No payment intent was found for the identifier you have provided.', lean_correlation_id: UUID,
  }, { http_status: 404, status: 'UNKNOWN_PAYMENT_INTENT' });

  // No access_token: the session is the bulk intent's customer's; Esc cancels on the accounts.
  await fresh(page);
  const own = await launch(page, sb, 'pay', { bulk_payment_intent_id: b.bulk_payment_intent_id });
  await screen(own, 'ACCOUNT_SELECTION');
  await expect(own.getByTestId('bulk-payment-recipient')).toHaveText(['Acme Store']);
  await page.keyboard.press('Escape');
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'CANCELLED', message: 'User cancelled the flow.', exit_point: 'ACCOUNT_SELECTION',
    exit_intent_point: 'ACCOUNT_SELECTION', user_exit_intent: 'ESCAPE', bank: { bank_identifier: null, is_supported: true },
    lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });
  expect(await childPayments(b.bulk_payment_intent_id)).toEqual([[]]);
});

test('bulk pay in Arabic: right-to-left screens, SUCCESS, then ERROR once paid', async ({ page }) => {
  const { c, source } = await payer('sdk-bulk-ar', [acme, beta]);
  const b = await bulk(c, [
    { amount: 40, payment_destination_id: beta, description: 'Rent' },
    { amount: 60, payment_destination_id: acme, description: 'Fees' },
  ]);
  await fresh(page);
  const frame = await launch(page, sb, 'pay', { bulk_payment_intent_id: b.bulk_payment_intent_id, access_token: c.token, language: 'ar' });
  await screen(frame, 'ACCOUNT_SELECTION');
  await expect(frame.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(frame.locator('html')).toHaveAttribute('lang', 'ar');
  await expect(frame.getByRole('heading', { name: 'اختر الحساب' })).toBeVisible();
  await expect(frame.getByRole('heading', { name: 'الدفعات في هذا الطلب' })).toBeVisible();
  await expect(frame.getByTestId('bulk-payment-recipient')).toHaveText(['Beta Supplies', 'Acme Store']);
  await expect(frame.getByTestId('payment-amount')).toContainText('AED');
  await frame.getByTestId(`account-${source.accounts[0].id}`).click();

  await screen(frame, 'PAYMENT_CONFIRMATION');
  await expect(frame.getByRole('heading', { name: 'تأكيد الدفعات' })).toBeVisible();
  await expect(frame.getByText('المبلغ الإجمالي')).toBeVisible();
  await expect(frame.getByText('عدد الدفعات')).toBeVisible();
  await frame.getByRole('button', { name: 'تأكيد الدفعات' }).click();

  await screen(frame, 'SUCCESS');
  await expect(frame.getByRole('heading', { name: 'تم إرسال الدفعات' })).toBeVisible();
  await expect(frame.getByText('يقوم البنك بمعالجة الدفعات.')).toBeVisible();
  await expect(frame.getByTestId('payment-status')).toHaveText('PENDING_WITH_BANK');
  await frame.getByRole('button', { name: 'تم' }).click();
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'SUCCESS', message: 'Payments submitted.', secondary_status: 'PENDING_WITH_BANK', exit_point: 'SUCCESS',
    bank: MB1, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'OK' });
  const paid = await childPayments(b.bulk_payment_intent_id);
  expect(paid.map((p) => p.length)).toEqual([1, 1]);
  for (const [p] of paid) {
    await expect.poll(async () => (await call(sb, api, 'GET', `/payments/v1/${p.id}`)).status).toBe('ACCEPTED_BY_BANK');
  }

  // Paid: the same bulk is refused, in Arabic, and nothing more is paid.
  await fresh(page);
  const again = await launch(page, sb, 'pay', {
    bulk_payment_intent_id: b.bulk_payment_intent_id, access_token: c.token, language: 'ar', account_id: source.accounts[0].id,
  });
  await screen(again, 'PAYMENT_CONFIRMATION');
  await again.getByRole('button', { name: 'تأكيد الدفعات' }).click();
  await screen(again, 'ERROR');
  await expect(again.getByRole('heading', { name: 'حدث خطأ ما' })).toBeVisible();
  await expect(again.locator('html')).toHaveAttribute('dir', 'rtl');
  await again.getByRole('button', { name: 'إغلاق' }).last().click();
  await overlayGone(page);
  expectCallback(await lastCallback(page), {
    status: 'ERROR', secondary_status: 'PAYMENT_INTENT_ALREADY_PAID', exit_point: 'PAYMENT_CONFIRMATION', bank: MB1,
    message: /cannot be paid, so none was: This payment intent has already been paid\.$/, lean_correlation_id: UUID,
  }, { http_status: 200, status: 'PAYMENT_INTENT_ALREADY_PAID' });
  expect((await childPayments(b.bulk_payment_intent_id)).map((p) => p.length)).toEqual([1, 1]);
});
