// Attacks a browser can make, tried in a real one: a page on another site posting the sign-in form
// (login CSRF) and a sign-out; and quick navigation across every page, hundreds of times, checking that
// each page arrives with its own Content-Security-Policy (never the API fallback that blocks it).
import { expect, Page, test } from '@playwright/test';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { RunningApp, startApp } from './server';

let app: RunningApp;
let attacker: http.Server;
let attackerUrl = '';

// The attacker's site: a page whose form posts to the app as soon as it loads.
function attackerPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
    .join('');
  return `<!doctype html><title>Win a prize</title><form id="f" method="post" action="${action}">${inputs}</form>
<script>document.getElementById('f').submit()</script>`;
}

test.beforeAll(async () => {
  app = await startApp();
  attacker = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const target = `${app.url}/api/${url.pathname.slice(1)}`;
    const fields = Object.fromEntries(url.searchParams.entries());
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(attackerPage(target, fields));
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  // `localhost`, not 127.0.0.1: another site altogether for the browser.
  attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await app?.stop();
  await new Promise((r) => attacker?.close(r));
});
test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) console.log(app.logs().slice(-4000));
});

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

async function signUp(page: Page, email: string) {
  await page.goto(`${app.url}/signup`);
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}

test('a page on another site cannot sign the visitor into another account, nor sign them out', async ({ browser }) => {
  // The attacker has an account of their own.
  const attackerEmail = `attacker-${Date.now()}@example.com`;
  const theirs = await browser.newContext();
  await signUp(await theirs.newPage(), attackerEmail);
  await theirs.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  const victim = `victim-${Date.now()}@example.com`;
  await signUp(page, victim);

  // Login CSRF: the attacker's page posts the sign-in form with the attacker's credentials.
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/sign_in'));
  const query = new URLSearchParams({ email: attackerEmail, password: 'correct horse battery' });
  await page.goto(`${attackerUrl}/sign_in?${query}`);
  const res = await refused;
  expect(res.status()).toBe(403);
  await expect(page.locator('body')).toContainText('another website');

  // Sign-out from another site is refused the same way.
  const signOut = page.waitForResponse((r) => r.url().endsWith('/api/sign_out'));
  await page.goto(`${attackerUrl}/sign_out`);
  expect((await signOut).status()).toBe(403);

  // Back on the app: still the victim, still signed in.
  await page.goto(`${app.url}/dashboard`);
  await expect(page).toHaveURL(/\/dashboard$/);
  const me = await page.evaluate(async () => {
    const r = await fetch('/api/current_user', { method: 'POST' });
    return r.json();
  });
  expect(me.email).toBe(victim);

  // The app's own forms still work: sign out from the header, then sign in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(new RegExp(`${app.url}/?$`));
  await page.goto(`${app.url}/signin`);
  await hydrated(page);
  await page.getByLabel('Email').fill(victim);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await context.close();
});

test('every page keeps its own policy through hundreds of quick navigations', async ({ page }) => {
  test.setTimeout(240_000);
  await signUp(page, `nav-${Date.now()}@example.com`);
  const pages = ['/dashboard', '/payments', '/consents', '/console', '/sandbox', '/diagnostics', '/', '/dashboard?x=1'];
  const wrong: string[] = [];
  let seen = 0;
  page.on('response', (r) => {
    if (!r.request().isNavigationRequest() || r.request().frame() !== page.mainFrame()) return;
    if (r.status() >= 300 && r.status() < 400) return;
    seen += 1;
    const csp = r.headers()['content-security-policy'] ?? '';
    if (!csp.includes("script-src 'self' 'nonce-") || !csp.includes(app.sandboxUrl)) {
      wrong.push(`${r.status()} ${r.url()}: ${csp}`);
    }
  });
  const rounds = 40;
  for (let round = 0; round < rounds; round++) {
    for (const p of pages) {
      // The next navigation starts as soon as the previous one has its response, long before that page
      // has finished loading its styles, wasm and the Lean loader.
      await page.goto(`${app.url}${p}`, { waitUntil: 'commit' }).catch(() => undefined);
    }
  }
  await page.goto(`${app.url}/dashboard`);
  await hydrated(page);
  expect(seen).toBeGreaterThan(rounds * pages.length * 0.9);
  expect(wrong).toEqual([]);
});
