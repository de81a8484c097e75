// Open Finance Account-on-File consents: create a consent with control parameters (checked in plain
// words), authorise it through the sandbox's Link UI and back through /open-finance/success and
// `captureRedirect`, pay against it from the server (a double submission pays once), watch the
// payment and the consent move live with Lean's webhooks, revoke it in `manageConsents`; and the page
// in Arabic, right to left.
import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningApp, SECRETS, startApp } from './server';

const SHOTS = path.join(__dirname, '..', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
  // The bank's verdict only when the test asks for it (advance-payment), so every step is observable.
  const res = await fetch(`${app.sandboxUrl}/sandbox/payments/settings`, {
    method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ beneficiary_cool_off_ms: 0, payment_settle_ms: 3_600_000 }),
  });
  expect(res.status).toBe(200);
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

async function signUp(page: Page) {
  await page.goto(`${app.url}/signup`);
  await hydrated(page);
  await page.getByLabel('Email').fill(`consent+${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

/** A payment destination, through the app's own server function (the payments page has its own spec). */
async function addDestination(page: Page) {
  const res = await page.request.post(`${app.url}/api/create_destination`, {
    form: { name: 'Acme Trading LLC', display_name: 'Acme Store', iban: 'AE070331234567890123456' },
  });
  expect(res.status(), await res.text()).toBe(200);
}

async function leanConsent(id: string): Promise<any> {
  const tok = await fetch(`${app.sandboxUrl}/oauth2/token`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: SECRETS.appToken, client_secret: SECRETS.clientSecret, grant_type: 'client_credentials', scope: 'api',
    }),
  });
  const { access_token } = await tok.json();
  const res = await fetch(`${app.sandboxUrl}/consents/v1/${id}`, { headers: { authorization: `Bearer ${access_token}` } });
  expect(res.status).toBe(200);
  return res.json();
}

async function advance(paymentId: string) {
  const res = await fetch(`${app.sandboxUrl}/sandbox/scenarios/advance-payment`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payment_id: paymentId }),
  });
  expect(res.ok).toBe(true);
}

async function fillConsent(page: Page, limits: { individual: string; period: string; count: string }) {
  await page.getByTestId('consent-form').getByLabel('Reference (up to 64 characters)').fill('ACME-SUBSCRIPTION-1');
  await page.getByLabel('Most per payment').fill(limits.individual);
  await page.getByLabel('Period', { exact: true }).selectOption('Month');
  await page.getByLabel('Most per period').fill(limits.period);
  await page.getByLabel('Payments per period').fill(limits.count);
  await page.getByLabel('Emirates ID (needed the first time)').fill('784-1990-1234567-1');
}

test('create, authorise at the bank, pay once, and revoke: every status live', async ({ page }) => {
  await signUp(page);
  await addDestination(page);
  await page.goto(`${app.url}/consents`);
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Account-on-File consents', level: 1 })).toBeVisible();
  await expect(page.getByTestId('live-status')).toHaveText(/Live/);
  await expect(page.getByTestId('consents-empty')).toBeVisible();

  // Checked in plain words, next to the field; nothing is created.
  await fillConsent(page, { individual: '', period: '300', count: '5' });
  await page.getByTestId('create-consent').click();
  await expect(page.getByTestId('consent-max_individual-error')).toHaveText(/Set at least one limit/);
  await fillConsent(page, { individual: '500', period: '300', count: '5' });
  await page.getByTestId('create-consent').click();
  await expect(page.getByTestId('consent-max_individual-error')).toHaveText(/cannot be more than the most per period/);
  await expect(page.getByTestId('consents-empty')).toBeVisible();

  await fillConsent(page, { individual: '100', period: '300', count: '5' });
  await page.getByTestId('create-consent').click();
  const row = page.getByTestId('consent-row');
  await expect(row).toHaveCount(1);
  await expect(page.getByTestId('consent-created')).toContainText('ACME-SUBSCRIPTION-1');
  await expect(row.getByTestId('consent-status')).toHaveAttribute('data-status', 'AWAITING_AUTHORISATION');
  await expect(row.getByTestId('limit-individual')).toHaveText('100.00 AED');
  await expect(row.getByTestId('limit-period')).toHaveText('300.00 AED');
  const consentId = (await row.getAttribute('data-consent-id'))!;
  // Idle, the page stays quiet: reading the list tells it nothing new, so it does not refetch.
  let reads = 0;
  const count = (r: { url(): string }) => { if (r.url().includes('/api/consents_overview')) reads += 1; };
  page.on('request', count);
  await page.waitForTimeout(1500);
  page.off('request', count);
  expect(reads).toBeLessThan(3);

  // authorizeConsent: bank, login, the bank's authorisation screen, then the redirect.
  await row.getByTestId('authorize-consent').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_OF_RETAIL_UAE').click();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await expect(link.locator('main[data-screen="BANK_AUTHORISATION"]')).toBeVisible();
  await expect(link.getByTestId('consent-limit')).toContainText('100.00');
  await expect(link.getByTestId('consent-reference')).toHaveText('ACME-SUBSCRIPTION-1');
  await link.getByRole('button', { name: 'Authorise' }).click();

  // The landing page tells a consent redirect from a checkout one and hands the query to captureRedirect.
  await page.waitForURL(/\/open-finance\/success\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get('flow')).toBe('consent');
  expect(url.searchParams.get('for_consent')).toBe(consentId);
  expect(url.searchParams.get('consent_attempt_id')).toBeTruthy();
  await hydrated(page);
  await expect(link.locator('main[data-screen="SUCCESS"]')).toBeVisible();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('capture-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  await expect(page.getByTestId('capture-outcome')).toHaveText('Your bank authorised the consent.');
  await expect(page.getByTestId('consent-status')).toHaveAttribute('data-status', 'AUTHORISED');
  await expect(page.getByTestId('payment-status')).toHaveCount(0);
  await page.screenshot({ path: path.join(SHOTS, 'open-finance-consent.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  await page.getByRole('link', { name: '← Consents' }).click();
  await expect(page).toHaveURL(/\/consents$/);
  await hydrated(page);
  await expect(page.getByTestId('live-status')).toHaveText(/Live/);
  await expect(row.getByTestId('consent-status')).toHaveAttribute('data-status', 'AUTHORISED');
  await expect(row.getByTestId('limit-bank')).toHaveText('Lean Open Finance MockBank');

  // Over the per-payment limit: refused before anything is sent.
  await row.getByTestId('consent-pay-amount').fill('150');
  await row.getByTestId('consent-pay').click();
  await expect(row.getByTestId('consent-pay-error')).toHaveText(/most per payment with this consent is 100.00 AED/);
  await expect(row.getByTestId('consent-payment')).toHaveCount(0);

  // Pay now, submitted twice at once (a double click that got through): one payment at Lean.
  await page.evaluate(() => ((window as any).__noReload = true));
  await row.getByTestId('consent-pay-amount').fill('25');
  await row.getByTestId('consent-pay-form').evaluate((f) => {
    (f as HTMLFormElement).requestSubmit();
    (f as HTMLFormElement).requestSubmit();
  });
  const payment = row.getByTestId('consent-payment');
  await expect(payment).toHaveCount(1);
  await expect(payment.getByTestId('consent-payment-status')).toHaveAttribute('data-status', 'CREATED');
  await expect(payment).toContainText('25.00 AED');
  await expect.poll(async () => (await leanConsent(consentId)).payment_consumption.cumulative_number_of_payments).toBe(1);
  await page.waitForTimeout(500);
  await expect(payment).toHaveCount(1);

  // The bank's verdict arrives by webhook and shows without a reload.
  const paymentId = (await payment.getAttribute('data-payment-id'))!;
  expect(paymentId).toBeTruthy();
  await advance(paymentId);
  await expect(payment.getByTestId('consent-payment-status')).toHaveAttribute('data-status', 'PROCESSED');
  await expect(payment.getByTestId('consent-payment-status')).toHaveText('Paid');
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  await page.screenshot({ path: path.join(SHOTS, 'consents-en.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  // manageConsents: Lean's own screen revokes it; the webhook turns it REVOKED here, live.
  await page.getByTestId('manage-consents').click();
  await expect(link.locator('main[data-screen="MANAGE_CONSENTS"]')).toBeVisible();
  const item = link.locator(`li[data-testid="consent-item"][data-consent-id="${consentId}"]`);
  await expect(item.getByTestId('consent-status')).toHaveText('AUTHORISED');
  await link.getByTestId(`revoke-${consentId}`).click();
  await expect(item.getByTestId('consent-status')).toHaveText('REVOKED');
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('consent-outcome')).toHaveAttribute('data-status', 'SUCCESS');
  await expect(row.getByTestId('consent-status')).toHaveAttribute('data-status', 'REVOKED');
  await expect(row.getByTestId('consent-status')).toHaveText('Revoked');
  await expect(row.getByTestId('consent-pay')).toHaveCount(0);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);

  // It all survives a reload.
  await page.reload();
  await expect(page.getByTestId('consent-row').getByTestId('consent-status')).toHaveAttribute('data-status', 'REVOKED');
  await expect(page.getByTestId('consent-payment').getByTestId('consent-payment-status')).toHaveAttribute('data-status', 'PROCESSED');
});

test('a refused bank login is explained; then authorised and revoked from the app, asked once more first', async ({ page }) => {
  await signUp(page);
  await addDestination(page);
  await page.goto(`${app.url}/consents`);
  await hydrated(page);
  await fillConsent(page, { individual: '50', period: '', count: '' });
  await page.getByTestId('create-consent').click();
  const row = page.getByTestId('consent-row');
  await expect(row).toHaveCount(1);
  await row.getByTestId('authorize-consent').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_OF_RETAIL_UAE').click();
  await link.getByLabel('Username').fill('user_locked');
  await link.getByLabel('Password').fill('pass_locked');
  await link.getByRole('button', { name: 'Log in' }).click();
  // A bank that refuses the login sends the customer to the fail URL, explained.
  await page.waitForURL(/\/open-finance\/fail\?/);
  await expect(page.getByTestId('redirect-failure')).toContainText('EU_ACCOUNT_LOCKED');
  await expect(link.locator('main[data-screen="ERROR"]')).toBeVisible();
  await link.getByRole('button', { name: 'Close' }).last().click();
  await expect(page.getByTestId('capture-outcome')).toHaveAttribute('data-status', 'ERROR');
  await expect(page.getByTestId('consent-status')).toHaveAttribute('data-status', 'AWAITING_AUTHORISATION');

  // Try again with a bank login that works, then revoke from the app.
  await page.getByRole('link', { name: '← Consents' }).click();
  await hydrated(page);
  await row.getByTestId('authorize-consent').click();
  await link.getByTestId('bank-LEAN_OF_RETAIL_UAE').click();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByRole('button', { name: 'Authorise' }).click();
  await page.waitForURL(/\/open-finance\/success\?/);
  await hydrated(page);
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('consent-status')).toHaveAttribute('data-status', 'AUTHORISED');
  await page.getByRole('link', { name: '← Consents' }).click();
  await hydrated(page);
  await row.getByTestId('revoke-consent').click();
  await expect(row).toContainText('Revoke this consent?');
  await row.getByTestId('revoke-consent-yes').click();
  await expect(row.getByTestId('consent-status')).toHaveAttribute('data-status', 'REVOKED');
});

test('the consents page in Arabic, right to left', async ({ page }) => {
  await signUp(page);
  await addDestination(page);
  const created = await page.request.post(`${app.url}/api/create_consent`, {
    form: {
      destination_id: JSON.parse(await (await page.request.post(`${app.url}/api/consents_overview`)).text()).destinations[0].id,
      currency: 'AED', reference: 'ACME-SUBSCRIPTION-AR', purpose: 'RNT', period_type: 'Week',
      max_individual: '75.5', max_per_period: '200', max_payments_per_period: '3', max_total: '1000', max_payments: '12',
      expiry_date: '', emirates_id: '784-1990-1234567-1',
    },
  });
  expect(created.status(), await created.text()).toBe(200);

  await page.goto(`${app.url}/lang/ar?back=/consents`);
  await expect(page).toHaveURL(/\/consents$/);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ar');
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('موافقات الدفع من الحساب المحفوظ');
  await expect(page.getByTestId('live-status')).toHaveText(/مباشر/);
  const row = page.getByTestId('consent-row');
  await expect(row.getByTestId('consent-status')).toHaveText('بانتظار اعتماد بنكك');
  await expect(row.getByTestId('authorize-consent')).toHaveText('الاعتماد لدى بنكك');
  await expect(page.getByTestId('create-consent')).toHaveText('إنشاء الموافقة');
  // A check in Arabic too.
  await page.getByTestId('create-consent').click();
  await expect(page.getByTestId('consent-reference-error')).toHaveText(/أدخل مرجعًا/);
  await page.screenshot({ path: path.join(SHOTS, 'consents-ar.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);

  // The redirect landing, in Arabic: a bank that refused, explained.
  const consentId = (await row.getAttribute('data-consent-id'))!;
  await page.goto(`${app.url}/open-finance/fail?flow=consent&for_consent=${consentId}&granular_status_code=EU_ACCOUNT_LOCKED`);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('العودة من بنكك: لم تكتمل العملية');
  await expect(page.getByTestId('redirect-failure')).toContainText('لم يعتمد بنكك الموافقة.');
  await expect(page.getByTestId('redirect-failure')).toContainText('EU_ACCOUNT_LOCKED');
  await expect(page.getByTestId('consent-status')).toHaveText('بانتظار اعتماد بنكك');
  await expect(page.getByRole('link', { name: '→ الموافقات' })).toBeVisible();
  await expect(page.frameLocator('#lean-link-frame').locator('main[data-screen="ERROR"]')).toBeVisible();
  await page.evaluate(() => (window as any).Lean.close());
  await expect(page.getByTestId('capture-outcome')).toHaveAttribute('data-status', 'LINK_CLOSED_PROGRAMMATICALLY');
  await expect(page.getByTestId('capture-outcome')).toHaveText('أُغلقت شاشة التأكيد من Lean. تبقى الحالة أدناه متابعةً لرد بنكك.');
  await page.screenshot({ path: path.join(SHOTS, 'open-finance-consent-ar.png'), fullPage: true });
  await expectNoSeriousA11yIssues(page);
  await page.goto(`${app.url}/lang/en?back=/consents`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'ltr');
});

test('one view of the consents page asks Lean for each of its lists once', async ({ page }) => {
  await signUp(page);
  await addDestination(page);
  // The console's own record of this user's Lean calls (newest first, paths without queries).
  const calls = async () => page.evaluate(async () => {
    const res = await fetch('/api/console_log', { method: 'POST' });
    return ((await res.json()).calls as { method: string; path: string }[]).map((c) => `${c.method} ${c.path}`);
  });
  const before = await calls();
  await page.goto(`${app.url}/consents`);
  await hydrated(page);
  await expect(page.getByTestId('live-status')).toHaveText(/Live/);
  // Long enough for a reload on the stream's opening, had there been one, to reach Lean.
  await page.waitForTimeout(1500);
  const after = await calls();
  const added = (line: string) => after.filter((c) => c === line).length - before.filter((c) => c === line).length;
  expect(added('GET /consents/v1')).toBe(1);
  expect(after.filter((c) => c.startsWith('GET /customers/v1/') && c.endsWith('/destinations')).length
    - before.filter((c) => c.startsWith('GET /customers/v1/') && c.endsWith('/destinations')).length).toBe(1);
});

test('the consents page needs a signed-in user', async ({ page }) => {
  await page.goto(`${app.url}/consents`);
  await expect(page).toHaveURL(/\/signin$/);
});
