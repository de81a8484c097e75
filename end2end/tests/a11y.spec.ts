// Every page of the app, in English and in Arabic: no serious or critical axe violations, the right
// <html lang dir>, an Arabic <main> heading with no English left in it, the skip link first in the
// keyboard focus order, and a screenshot of each (end2end/screenshots/<page>-<lang>.png).
import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContextOptions, expect, Page, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunningApp, startApp } from './server';

const SHOTS = path.join(__dirname, '..', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

// The admin sees /diagnostics (ADMIN_EMAILS); with the embedded sandbox every user sees the console.
const ADMIN = `a11y-admin+${Date.now()}@example.com`;

let app: RunningApp;
let signedIn: BrowserContextOptions['storageState'];
let entityId = '';
let intentId = '';

test.setTimeout(240_000);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  process.env.ADMIN_EMAILS = ADMIN;
  app = await startApp();
  delete process.env.ADMIN_EMAILS;
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.url}/signup`);
  await hydrated(page);
  await page.getByLabel('Email').fill(ADMIN);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  entityId = await connectBank(page);
  intentId = await createPaymentIntent(page);
  signedIn = await context.storageState();
  await context.close();
});

test.afterAll(async () => {
  await app?.stop();
});

test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) console.log(app?.logs().slice(-4000));
});

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** Connects Lean Mockbank as `user_simple` from the dashboard; returns the new entity's id. */
async function connectBank(page: Page): Promise<string> {
  await hydrated(page);
  await page.getByTestId('connect-bank').click();
  const link = page.frameLocator('#lean-link-frame');
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill('user_simple');
  await link.getByLabel('Password').fill('pass_simple');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByRole('button', { name: 'Allow' }).click();
  await link.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('entity-card')).toHaveCount(1);
  const id = await page.getByTestId('entity-card').getAttribute('data-entity-id');
  expect(id).toBeTruthy();
  return id!;
}

/** A payment intent of the user, so the Open Finance landing page has something to show. */
async function createPaymentIntent(page: Page): Promise<string> {
  const api = page.context().request;
  const dest = await api.post(`${app.url}/api/create_destination`, {
    form: { name: 'Ann Example', display_name: '', iban: 'AE07 0331 2345 6789 0123 456' },
  });
  expect(dest.ok(), await dest.text()).toBe(true);
  const destination = await dest.json();
  const pay = await api.post(`${app.url}/api/create_payment`, {
    form: { destination_id: destination.id, amount: '25.00', currency: 'AED', description: 'a11y' },
  });
  expect(pay.ok(), await pay.text()).toBe(true);
  return (await pay.json()).intent_id;
}

interface PageCase {
  name: string;
  path: () => string;
  status?: number;
  /** Brings the page to the state a person looks at, after hydration. */
  settle?: (page: Page) => Promise<void>;
}

// Every route of the app (src/app/mod.rs), plus a 404.
const PAGES: PageCase[] = [
  { name: 'home', path: () => '/' },
  { name: 'signup', path: () => '/signup' },
  { name: 'signin', path: () => '/signin' },
  { name: 'dashboard', path: () => '/dashboard' },
  { name: 'connect', path: () => '/connect' },
  { name: 'bank', path: () => `/banks/${entityId}` },
  { name: 'payments', path: () => '/payments' },
  { name: 'consents', path: () => '/consents' },
  {
    name: 'open-finance-success',
    // A return is handled once (a revisit shows the record): each language's visit is a return of its own.
    path: () => `/open-finance/success?intent_id=${intentId}&visit=${Date.now()}`,
    // Lean.captureRedirect shows its final screen over the page (and takes the focus); close it as a
    // person would, then look at the page itself.
    settle: async (page) => {
      await expect(page.frameLocator('#lean-link-frame').locator('main[data-screen]')).toBeVisible();
      await page.evaluate(() => (window as any).Lean.close());
      await expect(page.getByTestId('capture-outcome')).toBeVisible();
    },
  },
  { name: 'console', path: () => '/console' },
  { name: 'sandbox', path: () => '/sandbox' },
  { name: 'diagnostics', path: () => '/diagnostics' },
  { name: 'not-found', path: () => '/no-such-page', status: 404 },
];

// Pages people reach signed out; the rest are checked signed in.
const SIGNED_OUT = new Set(['home', 'signup', 'signin']);

// Latin words an Arabic heading may keep: brand and technical names (STYLE: they stay in Latin).
const LATIN_ALLOWED = /\b(lean-merchant|Lean|Link|SDK|IBAN|webhooks?|Open Finance|API|Mockbank)\b/g;

async function contextFor(browser: Browser, lang: 'en' | 'ar', signedInState: boolean) {
  const context = await browser.newContext(signedInState ? { storageState: signedIn } : {});
  await context.addCookies([{ name: 'lang', value: lang, url: app.url }]);
  return context;
}

async function checkPage(page: Page, c: PageCase, lang: 'en' | 'ar') {
  const res = await page.goto(`${app.url}${c.path()}`);
  expect(res?.status(), `${c.name} answers`).toBe(c.status ?? 200);
  await hydrated(page);
  // Let live streams connect and their first refetch settle before looking (a live stream never lets
  // the network go idle, so wait a moment instead).
  await page.waitForTimeout(400);
  await c.settle?.(page);

  // <html lang dir> from the first byte.
  const html = page.locator('html');
  await expect(html).toHaveAttribute('lang', lang);
  await expect(html).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');

  // The <main> heading is in the page's language: Arabic letters, and no English once brand names,
  // ids and bank data (in <bdi>/<code>) are set aside.
  const heading = page.locator('main h1').first();
  await expect(heading, `${c.name} has a main heading`).toBeVisible();
  const words = await heading.evaluate((h) => {
    const copy = h.cloneNode(true) as HTMLElement;
    copy.querySelectorAll('bdi, code, .ltr').forEach((e) => e.remove());
    return (copy.textContent ?? '').trim();
  });
  if (lang === 'ar') {
    const rest = words.replace(LATIN_ALLOWED, '').trim();
    expect(rest, `${c.name}: English left in the Arabic heading`).not.toMatch(/[A-Za-z]{2,}/);
    // A heading that is only a name (the bank's, say) has no words to translate.
    if (rest.replace(/[\s\p{P}]/gu, '')) {
      expect(words, `${c.name}: the Arabic heading is Arabic`).toMatch(/[\u0600-\u06FF]/);
    }
  } else {
    expect(words, `${c.name}: the English heading is English`).not.toMatch(/[\u0600-\u06FF]/);
  }

  // Keyboard: the first Tab lands on the skip link, which leads to <main>.
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  await page.locator('body').focus().catch(() => {});
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => {
    const a = document.activeElement as HTMLAnchorElement | null;
    return { cls: a?.className ?? '', href: a?.getAttribute('href') ?? '' };
  });
  expect(first.cls, `${c.name}: the skip link comes first`).toContain('skip-link');
  expect(first.href).toBe('#main');
  await page.keyboard.press('Escape');
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

  await page.screenshot({ path: path.join(SHOTS, `${c.name}-${lang}.png`), fullPage: true });

  const results = await new AxeBuilder({ page }).exclude('#lean-link-frame').analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${c.name}-${lang} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`),
  ).toEqual([]);
}

for (const lang of ['en', 'ar'] as const) {
  test(`every page passes axe, has lang/dir and a skip link first, in ${lang}`, async ({ browser }) => {
    const failures: string[] = [];
    for (const signed of [false, true]) {
      const context = await contextFor(browser, lang, signed);
      const page = await context.newPage();
      // Islands that fail to hydrate (a mismatch or a panic in the wasm) fail the page too.
      let current = '';
      page.on('console', (m) => {
        if (m.type() === 'error' && /hydrat|panicked/i.test(m.text())) failures.push(`${current}: ${m.text().slice(0, 300)}`);
      });
      page.on('pageerror', (e) => failures.push(`${current}: ${e.message.slice(0, 300)}`));
      for (const c of PAGES.filter((p) => SIGNED_OUT.has(p.name) !== signed)) {
        current = `${c.name}-${lang}`;
        // Collect every page's problems, so one run shows them all.
        await test.step(`${c.name} (${lang})`, async () => {
          try {
            await checkPage(page, c, lang);
          } catch (e) {
            failures.push(`${c.name}-${lang}: ${(e as Error).message.split('\n').slice(0, 6).join(' ')}`);
          }
        });
      }
      await context.close();
    }
    expect(failures).toEqual([]);
  });
}
