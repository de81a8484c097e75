// A demo deployed behind one https host name, as README's "Hosting a demo" describes: a TLS proxy in
// front of the app (here Node's https server with a certificate made for the test), PUBLIC_URL naming
// it, and the embedded sandbox reached through the app's own origin. The browser knows the demo only
// by that name (`demo.test`, mapped to loopback inside Chromium); every request it makes must go
// there — none to the sandbox's own port — and a whole connection must work, live updates included.
import { expect, Page, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { portOf, RunningApp, startApp } from './server';

const SHOTS = path.join(__dirname, '..', 'screenshots');
fs.mkdirSync(SHOTS, { recursive: true });
const HOST = 'demo.test';

test.use({
  ignoreHTTPSErrors: true,
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--host-resolver-rules=MAP ${HOST} 127.0.0.1`,
    ],
  },
});

let app: RunningApp;
let proxy: https.Server;
let demoUrl = '';

/// A TLS-terminating proxy like a hosting provider's: it tells the app the request came over https.
function startProxy(cert: string, key: string, target: () => number): Promise<number> {
  proxy = https.createServer({ cert, key }, (req, res) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: target(),
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        // Headers go out at once, as a hosting proxy sends them (a live stream has no body yet).
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // A live stream the browser leaves must not stay open upstream.
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as AddressInfo).port)));
}

test.beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-hosted-e2e-'));
  const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', `/CN=${HOST}`, '-addext', `subjectAltName=DNS:${HOST}`,
  ], { stdio: 'ignore' });
  let appPort = 0;
  const port = await startProxy(fs.readFileSync(cert, 'utf8'), fs.readFileSync(key, 'utf8'), () => appPort);
  demoUrl = `https://${HOST}:${port}`;
  app = await startApp({ env: { PUBLIC_URL: demoUrl, TRUSTED_PROXIES: '127.0.0.1' } });
  appPort = portOf(app.url);
});
test.afterAll(async () => {
  await app?.stop();
  await new Promise((r) => proxy?.close(r));
});
test.afterEach(async ({}, info) => {
  if (info.status !== info.expectedStatus) console.log(app.logs().slice(-4000));
});

async function hydrated(page: Page) {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

test('a demo behind one https host name works from any browser: the sandbox comes through the app', async ({ page, context }) => {
  const elsewhere: string[] = [];
  context.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(`${demoUrl}/`) && !/^(data|blob|about):/.test(url)) elsewhere.push(url);
  });
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to|Mixed Content/.test(m.text())) violations.push(m.text());
  });

  await page.goto(`${demoUrl}/signup`);
  await hydrated(page);
  await page.getByLabel('Email').fill(`host+${Date.now()}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId('live-status')).toHaveText(/Live/);
  // Over https the session cookie is Secure.
  const session = (await context.cookies()).find((c) => c.name === 'lean_merchant_session');
  expect(session?.secure).toBe(true);

  // Lean's loader and the Link page come from the demo's own address.
  await page.getByTestId('connect-bank').click();
  const frame = page.locator('#lean-link-frame');
  await expect(frame).toHaveAttribute('src', new RegExp(`^${demoUrl.replace(/\./g, '\\.')}/link/`));
  const link = page.frameLocator('#lean-link-frame');
  // The bank list and its logos come through the demo's address too.
  const logo = link.getByTestId('bank-LEAN_MB1').locator('img');
  await expect(logo).toHaveAttribute('src', new RegExp(`^${demoUrl.replace(/\./g, '\\.')}/static/banks/`));
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await link.getByTestId('bank-LEAN_MB1').click();
  await link.getByLabel('Username').fill('user_otp');
  await link.getByLabel('Password').fill('pass_otp');
  await link.getByRole('button', { name: 'Log in' }).click();
  await link.getByLabel('One-time code').fill('1111');
  await link.getByRole('button', { name: 'Verify' }).click();
  await link.getByRole('button', { name: 'Allow' }).click();
  await expect(link.getByText('Bank connected')).toBeVisible();
  await link.getByRole('button', { name: 'Done' }).click();

  // The bank arrives live through the proxy, with its logo from the demo's address.
  const card = page.getByTestId('entity-card');
  await expect(card).toContainText('Lean Mockbank');
  await expect(card.getByTestId('entity-data-status')).toHaveText('Data ready');
  await expect(page.getByTestId('flow-outcome')).toHaveText('Bank connected. It is listed below.');
  await page.screenshot({ path: path.join(SHOTS, 'hosted-dashboard-en.png'), fullPage: true });

  // The same in Arabic.
  await page.goto(`${demoUrl}/lang/ar?back=/dashboard`);
  await hydrated(page);
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.getByTestId('entity-card')).toHaveCount(1);
  await page.screenshot({ path: path.join(SHOTS, 'hosted-dashboard-ar.png'), fullPage: true });

  expect(elsewhere).toEqual([]);
  expect(violations).toEqual([]);
});

test('the app forwards only the sandbox\'s browser paths', async ({ page }) => {
  await page.goto(`${demoUrl}/`);
  const statuses = await page.evaluate(async () => {
    const status = async (path: string, init?: RequestInit) => (await fetch(path, init)).status;
    return {
      // The loader through the app, as the sandbox serves it.
      loader: await status('/link/loader/prod/ae/latest/lean-link-loader.min.js'),
      logo: await status('/static/banks/LEAN_MB1.svg'),
      // The sandbox's API, its tokens and its control panel are not on the app's origin.
      api: await status('/customers/v1/'),
      token: await status('/oauth2/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials' }) }),
      panel: await status('/sandbox/scenarios/clear', { method: 'POST' }),
    };
  });
  expect(statuses.loader).toBe(200);
  expect(statuses.logo).toBe(200);
  expect(statuses.api).not.toBe(200);
  expect(statuses.token).not.toBe(200);
  expect(statuses.panel).not.toBe(200);
});
