// Lean misbehaving: 20 % of API calls answer 500, another 20 % answer 429, and every call takes 2 s.
// Every page must end in its data or a plain message, and every action must end in success or a plain
// message with its button usable again: nothing may stay loading.
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

const STILL_LOADING = /Loading|Asking Lean|Drawing the last|Please wait/;

async function sandbox(method: string, path: string, body?: unknown) {
  const res = await fetch(`${app.sandboxUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.ok, `${method} ${path}`).toBe(true);
}

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/// The page settles: nothing says it is still loading, and it shows content or says what went wrong.
async function settles(page: Page, what: string) {
  await expect(page.locator('main'), `${what} still loading`).not.toContainText(STILL_LOADING, { timeout: 90_000 });
  const text = (await page.locator('main').innerText()).trim();
  expect(text.length, `${what} is empty`).toBeGreaterThan(20);
}

test('with 500s, 429s and 2 s latency from Lean, every page and action ends in data or a plain message', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto(`${app.url}/signup`);
  await hydrated(page);
  await page.getByLabel('Email').fill(`faults+${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByRole('button', { name: 'Allow' }).click();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('entity-card')).toHaveCount(1);
  const bankHref = await page.getByTestId('view-bank').getAttribute('href');

  // The first matching rule that fires wins, so the error rules come first and latency catches the rest.
  await sandbox('POST', '/sandbox/scenarios/faults', { status: 500, rate: 0.2, latency_ms: 2000 });
  await sandbox('POST', '/sandbox/scenarios/faults', { status: 429, rate: 0.25, latency_ms: 2000 });
  await sandbox('POST', '/sandbox/scenarios/faults', { latency_ms: 2000, rate: 1 });
  try {
    for (const path of ['/dashboard', bankHref!, '/payments', '/consents']) {
      await page.goto(`${app.url}${path}`, { timeout: 120_000 });
      await hydrated(page);
      await settles(page, path);
    }

    // An action that Lean must not repeat on its own (a new destination): each try ends, in the
    // destination or in words, and the button works again; a few tries get it through.
    await page.goto(`${app.url}/payments`, { timeout: 120_000 });
    await hydrated(page);
    await settles(page, '/payments');
    const add = page.getByTestId('add-destination');
    let added = false;
    for (let attempt = 0; attempt < 8 && !added; attempt++) {
      await page.getByLabel("Account holder's name").fill('Acme Trading LLC');
      await page.getByLabel('Display name (optional)').fill('Acme Store');
      await page.getByLabel('IBAN').fill('AE07 0331 2345 6789 0123 456');
      await add.click();
      // Each try ends: in the new destination, or in words saying why not.
      const row = page.getByTestId('destination-row');
      const alert = page.locator('main [role="alert"]:not(:empty)').first();
      await expect(row.or(alert).first()).toBeVisible({ timeout: 60_000 });
      await expect(add).toBeEnabled({ timeout: 60_000 });
      added = (await row.count()) > 0;
      if (!added) {
        // Plain words, not codes or stack traces.
        await expect(alert).not.toContainText(/panicked|Transport|\{"/);
      }
    }
    expect(added, 'a destination got through within 8 tries').toBe(true);
    await settles(page, '/payments after adding');
  } finally {
    await sandbox('DELETE', '/sandbox/scenarios/faults');
  }
});
