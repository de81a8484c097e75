// What the dashboard downloads before anyone touches it, as `make bench` counts it: the main wasm, its
// JS and the page language's messages, and no lazy chunk. The code behind a click (the connect flow,
// reloading the lists) arrives with the click, and the islands speak the page's language.
import { expect, Page, test } from '@playwright/test';
import { RunningApp, startApp } from './server';

let app: RunningApp;
test.beforeAll(async () => {
  app = await startApp();
});
test.afterAll(async () => {
  await app?.stop();
});

function record(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/i18n/')) fetched.push(url.pathname);
  });
  return fetched;
}

test('the dashboard loads the main wasm and its messages only; a click brings the rest', async ({ page }) => {
  await page.goto(`${app.url}/signup`);
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await page.getByLabel('Email').fill(`first+${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  // A fresh context for the measured visit, so nothing comes from the memory cache unseen.
  const context = await page.context().browser()!.newContext({ storageState: await page.context().storageState() });
  const visit = await context.newPage();
  const fetched = record(visit);
  await visit.goto(`${app.url}/dashboard`);
  await expect(visit.locator('body')).toHaveAttribute('data-hydrated', 'true');
  await expect(visit.getByTestId('live-status')).toHaveText(/Live/);
  await visit.waitForTimeout(500);
  const wasm = fetched.filter((p) => p.endsWith('.wasm'));
  expect(wasm).toEqual(['/pkg/lean-merchant.wasm']);
  expect(fetched.filter((p) => p.startsWith('/i18n/'))).toEqual([expect.stringMatching(/^\/i18n\/en\.[0-9a-f]+\.json$/)]);
  // The islands' words come from those messages, not their ids.
  await expect(visit.getByTestId('connect-bank')).toHaveText('Connect a bank');

  // The connect flow's code is fetched with the first click.
  await visit.getByTestId('connect-bank').click();
  await expect.poll(() => fetched.filter((p) => p.endsWith('.wasm')).length).toBeGreaterThan(1);
  await expect(visit.locator('#lean-link-frame')).toBeVisible();
  await context.close();
});

test('in Arabic the islands fetch the Arabic messages and speak them', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'ar' });
  const page = await context.newPage();
  const fetched = record(page);
  await page.goto(`${app.url}/signup`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
  expect(fetched.filter((p) => p.startsWith('/i18n/'))).toEqual([expect.stringMatching(/^\/i18n\/ar\.[0-9a-f]+\.json$/)]);
  await page.locator('input[type=email]').fill(`arabic+${Date.now()}@example.com`);
  await page.locator('input[type=password]').fill('correct horse battery');
  await page.getByRole('button', { name: 'إنشاء حساب' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // The server renders "connecting"; "live" is written by the island, from the Arabic messages.
  await expect(page.getByTestId('live-status')).toHaveText('مباشر');
  await context.close();
});
