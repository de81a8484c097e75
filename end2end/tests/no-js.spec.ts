// Forms work before (and without) hydration: with JavaScript off, sign-up and sign-in post to their
// server function endpoints and the server redirects; a refused sign-in comes back to the form.
import { expect, Page, test } from '@playwright/test';
import { RunningApp, startApp } from './server';

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

test.use({ javaScriptEnabled: false });

/** Who the browser's session belongs to, asked of the server with the page's cookies. */
async function signedInAs(page: Page): Promise<string | null> {
  const res = await page.context().request.post(`${app.url}/api/current_user`);
  expect(res.ok()).toBe(true);
  return (await res.json())?.email ?? null;
}

test('sign up, sign out and sign in with JavaScript disabled', async ({ page }) => {
  const email = `nojs+${Date.now()}@example.com`;

  await page.goto(`${app.url}/signup`);
  await expect(page.locator('body')).not.toHaveAttribute('data-hydrated', 'true');
  const form = page.locator('form').filter({ has: page.getByLabel('Email') });
  await expect(form).toHaveAttribute('method', /post/i);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // The session is the new user's. (What the page shows of it depends on streaming, which needs
  // JavaScript to swap late parts in, so ask the server.)
  expect(await signedInAs(page)).toBe(email);

  // A fresh browser (no session) signs in with the same account, still without JavaScript.
  await page.context().clearCookies();
  expect(await signedInAs(page)).toBeNull();
  await page.goto(`${app.url}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('wrong password!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  // Refused: back on the sign-in form, which says why, and no session.
  await expect(page).toHaveURL(/\/signin\?error=bad-credentials$/);
  await expect(page.getByTestId('form-error')).toHaveText('That email and password do not match an account.');
  await expect(page.getByLabel('Password')).toBeVisible();
  expect(await signedInAs(page)).toBeNull();

  await page.goto(`${app.url}/signin`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(await signedInAs(page)).toBe(email);
});

test('the Arabic sign-up form also works without JavaScript', async ({ page, context }) => {
  await context.addCookies([{ name: 'lang', value: 'ar', url: app.url }]);
  await page.goto(`${app.url}/signup`);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  const email = `nojs-ar+${Date.now()}@example.com`;
  await page.getByLabel('البريد الإلكتروني').fill(email);
  await page.getByLabel('كلمة المرور').fill('correct horse battery');
  await page.getByRole('button', { name: 'إنشاء حساب' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  expect(await signedInAs(page)).toBe(email);
});

test('the sandbox panel forms work without JavaScript', async ({ page, request }) => {
  await page.goto(`${app.url}/signup`);
  await page.getByLabel('Email').fill(`nojs-panel+${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const faults = async () => (await (await request.get(`${app.sandboxUrl}/sandbox/scenarios`)).json()).faults ?? [];

  // The panel is rendered whole on the server (async SSR), so its forms are there without hydration.
  await page.goto(`${app.url}/sandbox`);
  await page.getByTestId('fault-kind').selectOption('429');
  await page.getByLabel('Rate (0–1)').fill('0.5');
  await page.getByTestId('inject-fault').click();
  await expect(page).toHaveURL(/\/sandbox\??$/);
  await expect.poll(async () => (await faults()).length).toBe(1);

  await page.getByTestId('clear-scenarios').click();
  await expect(page).toHaveURL(/\/sandbox\??$/);
  await expect.poll(async () => (await faults()).length).toBe(0);
});
