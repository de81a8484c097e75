// Secrets stay on the server: nothing the browser can fetch (pages, scripts, wasm, styles, server
// function answers) contains the client secret, the webhook secret, or a Lean `api` token.
import { expect, test } from '@playwright/test';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SECRETS, startApp } from './server';

test('no secret reaches HTML, JS, CSS or wasm', async ({ page, request }) => {
  // An admin, whose console also lists the refused (forged) webhook checked below.
  const admin = `sec+${Date.now()}@example.com`;
  process.env.ADMIN_EMAILS = admin;
  const app = await startApp();
  delete process.env.ADMIN_EMAILS;
  try {
    const seen: string[] = [];
    page.on('response', async (res) => {
      try {
        seen.push(Buffer.from(await res.body()).toString('latin1'));
      } catch {
        /* redirects and aborted responses have no body */
      }
    });
    await page.goto(`${app.url}/signup`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await page.getByLabel('Email').fill(admin);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.getByTestId('connect-bank').click();
    await expect(page.frameLocator('#lean-link-frame').getByTestId('bank-LEAN_MB1')).toBeVisible();

    // The developer console, with its rows as they arrived live (Lean calls and a refused webhook).
    await page.goto(`${app.url}/console`);
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await expect(page.getByTestId('live-status')).toHaveText('Live');
    const forged = await request.post(`${app.url}/webhooks/lean`, {
      headers: { 'content-type': 'application/json', 'lean-signature': 'sha512=00' },
      data: { type: 'entity.created', event_id: 'secrets-forged', payload: {} },
    });
    expect(forged.status()).toBe(401);
    await expect(page.locator('[data-testid="webhook-row"][data-event-id="secrets-forged"]')).toHaveCount(1);
    await expect(page.getByTestId('call-row').first()).toBeVisible();
    const consoleHtml = await page.content();
    expect(consoleHtml, 'a refused signature value is never shown').not.toContain('sha512=00');
    seen.push(consoleHtml);

    // The live stream itself (an EventSource body never ends, so the response hook above cannot see
    // it): read the console stream for a while, during a signed webhook and the Lean calls a Link SDK
    // launch makes (token minting included).
    const streamed = page.evaluate(async (ms) => {
      const res = await fetch('/live?console=1');
      // The server subscribes before it answers, so from here on nothing published is missed.
      (window as unknown as { streamOpen: boolean }).streamOpen = true;
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      const until = Date.now() + ms;
      let text = '';
      for (;;) {
        const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), Math.max(0, until - Date.now())));
        const chunk = await Promise.race([reader.read(), timeout]);
        if (!chunk || chunk.done) break;
        text += decoder.decode(chunk.value);
      }
      await reader.cancel();
      return text;
    }, 10000);
    await page.waitForFunction(() => (window as unknown as { streamOpen?: boolean }).streamOpen === true);
    const launcher = await page.context().newPage();
    await launcher.goto(`${app.url}/dashboard`);
    await expect(launcher.locator('body')).toHaveAttribute('data-hydrated', 'true');
    await launcher.getByTestId('connect-bank').click();
    await expect(launcher.frameLocator('#lean-link-frame').getByTestId('bank-LEAN_MB1')).toBeVisible();
    const body = JSON.stringify({ type: 'entity.data.refresh.updated', event_id: 'secrets-signed', payload: { entity_id: 'none', status: 'DONE' } });
    const signature = 'sha512=' + crypto.createHmac('sha512', SECRETS.webhookSecret).update(body).digest('hex');
    const signed = await request.post(`${app.url}/webhooks/lean`, {
      headers: { 'content-type': 'application/json', 'lean-signature': signature },
      data: body,
    });
    expect(signed.status()).toBe(200);
    const sse = await streamed;
    expect(sse, 'the stream carried the signed webhook').toContain('secrets-signed');
    expect(sse, 'the stream carried Lean calls').toMatch(/oauth2\/token|customers/);
    seen.push(sse);

    // Every built asset, fetched through the server as a browser would.
    // The build under test: E2E_BUILD_DIR's snapshot when set (see server.ts), else the working tree's.
    const pkg = process.env.E2E_BUILD_DIR
      ? path.join(process.env.E2E_BUILD_DIR, 'site', 'pkg')
      : path.resolve(__dirname, '..', '..', 'target', 'site', 'pkg');
    // Recursive: wasm-bindgen's JS snippets sit in a folder of their own.
    const assets = (fs.readdirSync(pkg, { recursive: true }) as string[])
      .filter((f) => fs.statSync(path.join(pkg, f)).isFile());
    expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
    expect(assets.some((f) => f.startsWith('snippets/'))).toBe(true);
    for (const file of assets) {
      const res = await request.get(`${app.url}/pkg/${file}`);
      expect(res.ok()).toBe(true);
      seen.push(Buffer.from(await res.body()).toString('latin1'));
    }
    for (const p of ['/', '/signin', '/signup', '/dashboard', '/console', '/no-such-page']) {
      seen.push(await (await request.get(`${app.url}${p}`)).text());
    }
    // Each language's messages for the islands, as the pages name them.
    for (const lang of ['en', 'ar']) {
      const html = await (await request.get(`${app.url}/`, { headers: { 'accept-language': lang } })).text();
      const messages = html.match(/\/i18n\/[a-z]+\.[0-9a-f]+\.json/)?.[0];
      expect(messages, `${lang} page names its messages`).toBeTruthy();
      const res = await request.get(`${app.url}${messages}`);
      expect(res.ok()).toBe(true);
      seen.push(await res.text());
    }

    expect(seen.length).toBeGreaterThan(10);
    const everything = seen.join('\n');
    expect(everything).not.toContain(SECRETS.clientSecret);
    expect(everything).not.toContain(SECRETS.webhookSecret);
    // The customer token the SDK needs is allowed; an api-scoped token is not. Decode every JWT seen.
    for (const jwt of everything.match(/eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/g) ?? []) {
      const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
      const scope = Array.isArray(claims.scope) ? claims.scope.join(' ') : String(claims.scope);
      expect(scope, 'a token with backend scope reached the browser').not.toMatch(/customer\.write|data\.read|intent\.write/);
      expect(claims.customers?.length, 'every browser token is customer-scoped').toBe(1);
    }
  } finally {
    await app.stop();
  }
});
