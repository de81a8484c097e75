// Lean.reconnect after an expired session, plus loader-level customization (dialog_mode,
// overlay_color) and Arabic on the Open Finance screens.
import { expect, test } from '@playwright/test';
import { bankLogin, call, customer, destination, intent, lastCallback, launch, Sandbox, startSandbox, token } from './sdk-sandbox';

let sb: Sandbox;
let api: string;

test.beforeAll(async () => {
  sb = await startSandbox();
  api = await token(sb, 'api');
  await destination(sb, api);
});

test.afterAll(async () => {
  await sb?.stop();
});

test('reconnect: login with OTP clears RECONNECT_REQUIRED', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-reconnect');
  const connected = await call(sb, c.token, 'POST', '/link/api/connect', {
    customer_id: c.id, bank_identifier: 'LEAN_MB1', username: 'user_otp', password: 'pass_otp', otp: '1111',
    permissions: ['identity', 'accounts'],
  });
  const res = await fetch(`${sb.base}/sandbox/scenarios/expire-session`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'user_otp' }),
  });
  const expired = await res.json();
  const mine = expired.entities.find((e: any) => e.entity_id === connected.entity_id);
  expect(mine?.reconnect_id).toBeTruthy();

  const frame = await launch(page, sb, 'reconnect', { reconnect_id: mine.reconnect_id, access_token: c.token });
  await bankLogin(frame, 'user_otp', 'pass_otp');
  await frame.getByLabel('One-time code').fill('1111');
  await frame.getByRole('button', { name: 'Verify' }).click();
  await expect(frame.locator('main[data-screen="SUCCESS"]')).toContainText('Bank reconnected');
  await frame.getByRole('button', { name: 'Done' }).click();
  const done = await lastCallback(page);
  expect(done.status).toBe('SUCCESS');
  expect(done.bank.bank_identifier).toBe('LEAN_MB1');

  // The same reconnect_id is no longer pending.
  const again = await launch(page, sb, 'reconnect', { reconnect_id: mine.reconnect_id, access_token: c.token });
  await expect(again.locator('main[data-screen="ERROR"]')).toBeVisible();
  await expect(again.getByTestId('error-message')).toContainText('No pending reconnect');
});

test('dialog_mode uncontained fills the viewport; Arabic checkout is right-to-left', async ({ page }) => {
  const c = await customer(sb, api, 'sdk-ar');
  const intentId = await intent(sb, api, c.id, 15);
  const frame = await launch(page, sb, 'checkout', {
    payment_intent_id: intentId, access_token: c.token, language: 'ar', bank_identifier: 'LEAN_OF_RETAIL_UAE',
    success_redirect_url: `${sb.base}/sandbox/test-page?ok=1`, fail_redirect_url: `${sb.base}/sandbox/test-page?fail=1`,
    customization: { dialog_mode: 'uncontained', overlay_color: 'rgb(1, 2, 3)', link_color: '#00aa00' },
  });
  await expect(page.locator('#lean-link-overlay')).toHaveCSS('background-color', 'rgb(1, 2, 3)');
  const dialog = page.locator('#lean-link-overlay [role="dialog"]');
  await expect(dialog).toHaveAttribute('data-dialog-mode', 'uncontained');
  const box = await dialog.boundingBox();
  expect(box!.width).toBe(page.viewportSize()!.width);
  await expect(frame.locator('main[data-screen="LOGIN"]')).toBeVisible();
  await frame.getByLabel('اسم المستخدم').fill('user_simple');
  await frame.getByLabel('كلمة المرور').fill('pass_simple');
  await frame.getByRole('button', { name: 'تسجيل الدخول' }).click();
  await expect(frame.locator('main[data-screen="BANK_AUTHORISATION"]')).toBeVisible();
  await expect(frame.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(frame.getByRole('button', { name: 'اعتماد' })).toBeVisible();
  await page.keyboard.press('Escape');
  const cancelled = await lastCallback(page);
  expect(cancelled.status).toBe('CANCELLED');
  expect(cancelled.exit_point).toBe('BANK_AUTHORISATION');
});
