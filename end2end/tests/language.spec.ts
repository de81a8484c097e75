// English and Arabic: the switch, right-to-left rendering, the remembered choice, the browser's own
// preference, and the Link SDK launched in the reader's language with the app's customisation.
import { expect, Page, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningApp, startApp } from './server';

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

async function expectLang(page: Page, lang: 'en' | 'ar') {
  await expect(page.locator('html')).toHaveAttribute('lang', lang);
  await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
}

test('the switch renders the same page in Arabic, right to left, and back', async ({ page }) => {
  await page.goto(`${app.url}/signin?next=1`);
  await hydrated(page);
  await expectLang(page, 'en');
  await expect(page.getByTestId('lang-switch')).toHaveText('العربية');

  await page.getByTestId('lang-switch').click();
  await expect(page).toHaveURL(/\/signin\?next=1$/);
  await expectLang(page, 'ar');
  await hydrated(page);
  // The frame around every page is in Arabic: the footer, the skip link and the navigation.
  await expect(page.locator('footer')).toContainText('تطبيق مرجعي');
  await expect(page.locator('.skip-link')).toHaveText('انتقل إلى المحتوى');
  await expect(page.getByRole('link', { name: 'إنشاء حساب' })).toBeVisible();
  // The header's start is on the right in RTL.
  const brand = await page.locator('.brand').boundingBox();
  const width = page.viewportSize()!.width;
  expect(brand!.x).toBeGreaterThan(width / 2);
  await page.screenshot({ path: path.join(SHOTS, 'signin-header-ar.png') });

  // The choice is remembered.
  await page.goto(`${app.url}/`);
  await expectLang(page, 'ar');

  await page.getByTestId('lang-switch').click();
  await expect(page).toHaveURL(new RegExp(`^${app.url}/$`));
  await expectLang(page, 'en');
});

test('the browser language is used until the reader chooses', async ({ browser }) => {
  const ctx = await browser.newContext({ locale: 'ar-SA' });
  const page = await ctx.newPage();
  await page.goto(app.url);
  await expectLang(page, 'ar');
  await page.getByTestId('lang-switch').click();
  await expectLang(page, 'en');
  await ctx.close();
});

test('the switch only sends readers back to this site', async ({ request }) => {
  for (const back of ['//evil.example/', 'https://evil.example/', '/\\evil.example']) {
    const res = await request.get(`${app.url}/lang/ar?back=${encodeURIComponent(back)}`, { maxRedirects: 0 });
    expect(res.status()).toBe(303);
    expect(res.headers()['location']).toBe('/');
    expect(res.headers()['set-cookie']).toContain('lang=ar');
  }
  const unknown = await request.get(`${app.url}/lang/fr`, { maxRedirects: 0 });
  expect(unknown.status()).toBe(404);
});

test('the Link SDK opens in Arabic with the app colours', async ({ page }) => {
  await page.goto(`${app.url}/lang/ar?back=/signup`);
  await hydrated(page);
  await expectLang(page, 'ar');
  await page.locator('input[name=email]').fill(`lina+${Date.now()}@example.com`);
  await page.locator('input[name=password]').fill('correct horse battery');
  await page.locator('main button[type=submit]').click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await hydrated(page);
  await expectLang(page, 'ar');

  await page.getByTestId('connect-bank').click();
  const frame = page.locator('#lean-link-frame');
  await expect(frame).toBeVisible();
  const src = (await frame.getAttribute('src'))!;
  const query = new URL(src).searchParams;
  expect(query.get('language')).toBe('ar');
  // Lean's scheme is `customization=key+value` with a literal '+', so read the raw query.
  expect(src).toContain('customization=theme_color+%230b6e4f');
  // The sandbox's Link UI follows: Arabic, right to left.
  const link = page.frameLocator('#lean-link-frame');
  await expect(link.locator('html')).toHaveAttribute('dir', 'rtl');
  await page.screenshot({ path: path.join(SHOTS, 'link-connect-ar.png') });
});
