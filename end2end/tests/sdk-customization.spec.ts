// Config validation (sandbox true vs not), customization applied visibly (computed styles
// inside the Link iframe and on the loader's overlay), and language "ar" on the connect flow.
// Runs on the sandbox's plain test page, no merchant app.
import { expect, FrameLocator, Page, test } from '@playwright/test';
import { bankLogin, callbacks, clearCallbacks, customer, Customer, lastCallback, launch, Sandbox, startSandbox, token } from './sdk-sandbox';

let sb: Sandbox;
let api: string;
let c: Customer;

const KEYS = [
  'bank', 'exit_intent_point', 'exit_point', 'exit_survey_reason', 'last_api_response', 'lean_correlation_id',
  'message', 'open_banking_redirect_url', 'secondary_status', 'status', 'user_exit_intent',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Exactly Lean's CallbackData keys; `expected` values (RegExp = pattern), null for the rest. */
function expectCallback(cb: any, expected: Record<string, unknown>) {
  expect(Object.keys(cb).sort()).toEqual(KEYS);
  for (const key of KEYS) {
    const want = key in expected ? expected[key] : null;
    if (want instanceof RegExp) expect(cb[key], key).toMatch(want);
    else expect(cb[key], key).toEqual(want);
  }
}

async function fresh(page: Page) {
  await page.goto(`${sb.base}/sandbox/test-page`);
  await clearCallbacks(page);
}

async function connect(page: Page, extra: Record<string, unknown>): Promise<FrameLocator> {
  await fresh(page);
  const frame = await launch(page, sb, 'connect', {
    customer_id: c.id, access_token: c.token, permissions: ['identity', 'accounts'], ...extra,
  });
  await expect(frame.locator('main[data-screen="BANK_SELECTION"]')).toBeVisible();
  return frame;
}

test.beforeAll(async () => {
  sb = await startSandbox();
  api = await token(sb, 'api');
  c = await customer(sb, api, 'sdk-custom');
});

test.afterAll(async () => {
  await sb?.stop();
});

test('invalid config with sandbox true: an error screen names the field; ERROR when closed', async ({ page }) => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ permissions: ['accounts'] }, 'Invalid config: "customer_id" is required.'],
    [{ customer_id: 'c', permissions: [] }, 'Invalid config: "permissions" must be a non-empty array.'],
    [{ customer_id: 'c', permissions: ['accounts', 'bogus'] }, 'Invalid config: "permissions" contains unknown permission "bogus".'],
    [{ customer_id: 'c', permissions: ['accounts'], language: 'fr' }, 'Invalid config: "language" must be "en" or "ar".'],
    [{ customer_id: 'c', permissions: ['accounts'], customization: 'dark' }, 'Invalid config: "customization" must be an object.'],
    // The string "true" counts as sandbox mode too.
    [{ customer_id: 'c', permissions: 'accounts', sandbox: 'true' }, 'Invalid config: "permissions" must be a non-empty array.'],
  ];
  for (const [i, [config, message]] of cases.entries()) {
    await fresh(page);
    await launch(page, sb, 'connect', config);
    const box = page.getByTestId('config-error');
    await expect(box).toBeVisible();
    await expect(box).toContainText(message);
    await expect(page.locator('#lean-link-frame')).toHaveCount(0);
    // Nothing is reported while the screen is up.
    await page.waitForTimeout(100);
    expect(await callbacks(page)).toEqual([]);
    // Alternate the two ways out: the Close button and Esc.
    if (i % 2 === 0) await box.getByRole('button', { name: 'Close' }).click();
    else await page.keyboard.press('Escape');
    await expect(page.locator('#lean-link-overlay')).toHaveCount(0);
    expectCallback(await lastCallback(page), {
      status: 'ERROR', message, secondary_status: 'INVALID_CONFIG', exit_point: 'CONFIG_ERROR',
    });
  }
});

test('invalid config without sandbox: nothing is shown and the callback fires at once', async ({ page }) => {
  for (const sandbox of [false, undefined, 'false']) {
    await fresh(page);
    await launch(page, sb, 'connect', { sandbox, permissions: ['accounts'] });
    const cb = await lastCallback(page);
    await expect(page.locator('#lean-link-overlay')).toHaveCount(0);
    expectCallback(cb, {
      status: 'ERROR', message: 'Invalid config: "customer_id" is required.', secondary_status: 'INVALID_CONFIG',
    });
  }
  await fresh(page);
  await launch(page, sb, 'updatePaymentSource', { sandbox: false, customer_id: c.id });
  expectCallback(await lastCallback(page), {
    status: 'ERROR', message: 'Invalid config: "payment_destination_id" is required.', secondary_status: 'INVALID_CONFIG',
  });
  await expect(page.locator('#lean-link-overlay')).toHaveCount(0);
});

test('customization: colours, radius, link colour, overlay and contained dialog', async ({ page }) => {
  const frame = await connect(page, {
    customization: {
      theme_color: '#0a7f5a', button_text_color: 'rgb(255, 250, 200)', button_border_radius: 12,
      link_color: '#ff00aa', overlay_color: 'rgba(10, 20, 30, 0.8)', dialog_mode: 'contained',
      dialog_background_color_light: '#fafaf0',
    },
  });
  // The loader's overlay and dialog.
  await expect(page.locator('#lean-link-overlay')).toHaveCSS('background-color', 'rgba(10, 20, 30, 0.8)');
  const dialog = page.locator('#lean-link-overlay [role="dialog"]');
  await expect(dialog).toHaveAttribute('data-dialog-mode', 'contained');
  await expect(dialog).toHaveCSS('border-radius', '16px');
  const box = (await dialog.boundingBox())!;
  expect(box.width).toBe(420);
  expect(box.width).toBeLessThan(page.viewportSize()!.width);
  // Inside the iframe: link colour, background, then the primary button on the login screen.
  await expect(frame.getByTestId('bank-not-listed')).toHaveCSS('color', 'rgb(255, 0, 170)');
  await expect(frame.locator('body')).toHaveCSS('background-color', 'rgb(250, 250, 240)');
  await expect(frame.locator('html')).not.toHaveClass(/dark/);
  await frame.getByTestId('bank-LEAN_MB1').click();
  const primary = frame.getByRole('button', { name: 'Log in' });
  await expect(primary).toHaveCSS('background-color', 'rgb(10, 127, 90)');
  await expect(primary).toHaveCSS('color', 'rgb(255, 250, 200)');
  await expect(primary).toHaveCSS('border-radius', '12px');
  await page.keyboard.press('Escape');
  expectCallback(await lastCallback(page), {
    status: 'CANCELLED', message: 'User cancelled the flow.', bank: { bank_identifier: 'LEAN_MB1', is_supported: true },
    exit_point: 'LOGIN', exit_intent_point: 'LOGIN', user_exit_intent: 'ESCAPE', lean_correlation_id: UUID,
    last_api_response: /"http_status":200/,
  });
});

test('customization: button_border_radius "pill" and numeric strings; default radius and colours', async ({ page }) => {
  const radius = async (value: unknown) => {
    const frame = await connect(page, value === undefined ? {} : { customization: { button_border_radius: value } });
    await frame.getByTestId('bank-LEAN_MB1').click();
    const css = await frame.getByRole('button', { name: 'Log in' }).evaluate((b) => getComputedStyle(b).borderRadius);
    await page.evaluate(() => (window as any).Lean.close());
    return css;
  };
  expect(await radius('pill')).toBe('999px');
  expect(await radius('8')).toBe('8px');
  expect(await radius(0)).toBe('0px');
  expect(await radius(undefined)).toBe('10px');
  const frame = await connect(page, {});
  await frame.getByTestId('bank-LEAN_MB1').click();
  await expect(frame.getByRole('button', { name: 'Log in' })).toHaveCSS('background-color', 'rgb(31, 111, 235)');
  await expect(page.locator('#lean-link-overlay')).toHaveCSS('background-color', 'rgba(15, 23, 42, 0.55)');
  await page.evaluate(() => (window as any).Lean.close());
  expectCallback(await lastCallback(page), {
    status: 'LINK_CLOSED_PROGRAMMATICALLY', message: 'Link was closed by the host application.', exit_point: 'LOGIN',
  });
});

test('customization: force_appearance dark uses the *_dark variants', async ({ page }) => {
  const frame = await connect(page, {
    customization: {
      force_appearance: 'dark',
      theme_color_dark: '#22aa33', theme_color: '#111111',
      button_text_color: '#ffffff', button_text_color_dark: '#000000',
      // Light listed after dark: the dark one must still win.
      dialog_background_color_dark: '#101820', dialog_background_color_light: '#fefefe',
    },
  });
  await expect(frame.locator('html')).toHaveClass(/dark/);
  await expect(frame.locator('body')).toHaveCSS('background-color', 'rgb(16, 24, 32)');
  // Dark text on a dark background.
  await expect(frame.locator('body')).toHaveCSS('color', 'rgb(226, 232, 240)');
  await frame.getByTestId('bank-LEAN_MB1').click();
  const primary = frame.getByRole('button', { name: 'Log in' });
  await expect(primary).toHaveCSS('background-color', 'rgb(34, 170, 51)');
  await expect(primary).toHaveCSS('color', 'rgb(0, 0, 0)');

  // Dark without a dark background: the built-in dark background, not the light one.
  const frame2 = await connect(page, {
    customization: { force_appearance: 'dark', dialog_background_color_light: '#fefefe', theme_color: '#aa0000' },
  });
  await expect(frame2.locator('body')).toHaveCSS('background-color', 'rgb(11, 18, 32)');
  await frame2.getByTestId('bank-LEAN_MB1').click();
  await expect(frame2.getByRole('button', { name: 'Log in' })).toHaveCSS('background-color', 'rgb(170, 0, 0)');
});

test('language "ar": right-to-left Arabic on every connect screen', async ({ page }) => {
  const frame = await connect(page, { language: 'ar' });
  const html = frame.locator('html');
  await expect(html).toHaveAttribute('dir', 'rtl');
  await expect(html).toHaveAttribute('lang', 'ar');
  await expect(frame.locator('main')).toHaveCSS('direction', 'rtl');
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('اختر البنك');
  await expect(frame.getByTestId('bank-not-listed')).toHaveText('البنك غير موجود في القائمة');
  await expect(frame.getByRole('button', { name: 'إغلاق' })).toBeVisible();
  await frame.getByTestId('bank-LEAN_MB1').click();
  await expect(frame.locator('main[data-screen="LOGIN"]')).toBeVisible();
  await expect(html).toHaveAttribute('dir', 'rtl');
  await frame.getByLabel('اسم المستخدم').fill('user_otp');
  await frame.getByLabel('كلمة المرور').fill('pass_otp');
  await frame.getByRole('button', { name: 'تسجيل الدخول' }).click();
  await expect(frame.locator('main[data-screen="OTP"]')).toBeVisible();
  await expect(frame.getByRole('heading', { level: 1 })).toHaveText('أدخل رمز التحقق');
  await frame.getByLabel('رمز التحقق لمرة واحدة').fill('9999');
  await frame.getByRole('button', { name: 'تحقق' }).click();
  await expect(frame.getByTestId('otp-error')).toHaveText('الرمز غير صحيح. المحاولات المتبقية: 2.');
  await frame.getByLabel('رمز التحقق لمرة واحدة').fill('1111');
  await frame.getByRole('button', { name: 'تحقق' }).click();
  await expect(frame.locator('main[data-screen="CONSENT"]')).toBeVisible();
  await expect(html).toHaveAttribute('dir', 'rtl');
  await expect(frame.getByTestId('consent-permission').first()).toContainText('الهوية');
  await frame.getByRole('button', { name: 'موافقة' }).click();
  await expect(frame.locator('main[data-screen="SUCCESS"]')).toContainText('تم ربط البنك');
  await expect(html).toHaveAttribute('dir', 'rtl');
  await frame.getByRole('button', { name: 'تم', exact: true }).click();
  // CallbackData stays machine-readable (English message, codes).
  expectCallback(await lastCallback(page), {
    status: 'SUCCESS', message: 'Bank connected successfully.', secondary_status: 'OK', exit_point: 'SUCCESS',
    bank: { bank_identifier: 'LEAN_MB1', is_supported: true }, lean_correlation_id: UUID,
    last_api_response: /"http_status":200/,
  });
});
