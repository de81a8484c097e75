// Starts the standalone lean-sandbox binary on a free port for the SDK specs (sdk-*.spec.ts)
// and offers small REST helpers to set up customers, destinations, intents and consents.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, FrameLocator, Page } from '@playwright/test';

const ROOT = path.resolve(__dirname, '..', '..');

export const IBAN = 'AE070331234567890123456';

export interface Sandbox {
  base: string;
  appToken: string;
  clientSecret: string;
  stop: () => Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const bin = path.join(ROOT, 'target', 'debug', 'lean-sandbox');
  if (!fs.existsSync(bin)) throw new Error(`${bin} not found (run \`cargo build -p lean-sandbox\`)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lean-sdk-e2e-'));
  const child: ChildProcess = spawn(bin, ['--port', '0', '--state', path.join(dir, 'state.json')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => (out += d.toString()));
  child.stderr?.on('data', (d) => (out += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/client_secret:\s+\S+/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`sandbox did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const base = /listening on (\S+)/.exec(out)![1];
  const appToken = /app_token:\s+(\S+)/.exec(out)![1];
  const clientSecret = /client_secret:\s+(\S+)/.exec(out)![1];
  return {
    base,
    appToken,
    clientSecret,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.on('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function token(sb: Sandbox, scope: string): Promise<string> {
  const res = await fetch(`${sb.base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: sb.appToken, client_secret: sb.clientSecret, grant_type: 'client_credentials', scope }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).access_token;
}

export async function call(sb: Sandbox, tok: string, method: string, p: string, body?: unknown): Promise<any> {
  const res = await fetch(`${sb.base}${p}`, {
    method,
    headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

export interface Customer { id: string; token: string }

export async function customer(sb: Sandbox, api: string, name: string): Promise<Customer> {
  const c = await call(sb, api, 'POST', '/customers/v1/', {
    app_user_id: `${name}-${Date.now()}`,
    government_identifiers: [{ type: 'EMIRATES_ID', value: '784-1990-1234567-1' }],
  });
  return { id: c.customer_id, token: await token(sb, `customer.${c.customer_id}`) };
}

export async function settings(sb: Sandbox, s: { beneficiary_cool_off_ms?: number; payment_settle_ms?: number }) {
  const res = await fetch(`${sb.base}/sandbox/payments/settings`, {
    method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(s),
  });
  expect(res.status).toBe(200);
}

export async function destination(sb: Sandbox, api: string): Promise<any> {
  return call(sb, api, 'POST', '/payments/v1/destinations', {
    name: 'Acme Trading', display_name: 'Acme Store', iban: IBAN, country: 'ARE', city: 'Dubai',
    address: '1 Sheikh Zayed Rd', bank_type: 'RETAIL', government_identifier: { type: 'TRADE_LICENSE_NUMBER', value: 'TL-1' },
  });
}

export async function intent(sb: Sandbox, api: string, customerId: string, amount: number): Promise<string> {
  const i = await call(sb, api, 'POST', '/payments/v1/intents', { customer_id: customerId, amount, currency: 'AED', description: 'Order 42' });
  return i.payment_intent_id;
}

/** Opens the sandbox's test page and launches `Lean[method](config)` (callback added there). */
export async function launch(page: Page, sb: Sandbox, method: string, config: Record<string, unknown>): Promise<FrameLocator> {
  if (!page.url().startsWith(`${sb.base}/sandbox/test-page`)) await page.goto(`${sb.base}/sandbox/test-page`);
  await page.evaluate(({ m, c }) => (window as any).launchLean(m, c), {
    m: method,
    c: { app_token: sb.appToken, sandbox: true, ...config },
  });
  return page.frameLocator('#lean-link-frame');
}

export async function callbacks(page: Page): Promise<any[]> {
  return page.evaluate(() => JSON.parse(sessionStorage.getItem('leanResults') || '[]'));
}

export async function lastCallback(page: Page): Promise<any> {
  await expect.poll(async () => (await callbacks(page)).length).toBeGreaterThan(0);
  const all = await callbacks(page);
  return all[all.length - 1];
}

export async function clearCallbacks(page: Page) {
  await page.evaluate(() => sessionStorage.removeItem('leanResults'));
}

export async function bankLogin(frame: FrameLocator, user = 'user_simple', pass = 'pass_simple') {
  await expect(frame.locator('main[data-screen="LOGIN"]')).toBeVisible();
  await frame.getByLabel('Username').fill(user);
  await frame.getByLabel('Password').fill(pass);
  await frame.getByRole('button', { name: 'Log in' }).click();
}

/** Every key of Lean's CallbackData (REFERENCE §9.5): the loader sends them all, null where unused. */
export const KEYS = [
  'bank', 'exit_intent_point', 'exit_point', 'exit_survey_reason', 'last_api_response', 'lean_correlation_id',
  'message', 'open_banking_redirect_url', 'secondary_status', 'status', 'user_exit_intent',
];
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Checks the whole CallbackData: exactly Lean's keys, `expected` values (RegExp = pattern),
 * and null for every key not mentioned. `last_api_response` is a JSON string of the last call
 * the Link UI made, when `lastApi` is given.
 */
export function expectCallback(cb: any, expected: Record<string, unknown>, lastApi?: { http_status: number; status?: string | null }) {
  expect(Object.keys(cb).sort()).toEqual(KEYS);
  for (const key of KEYS) {
    if (key === 'last_api_response' && lastApi) {
      expect(typeof cb.last_api_response, key).toBe('string');
      expect(JSON.parse(cb.last_api_response), key).toMatchObject(lastApi);
      continue;
    }
    const want = key in expected ? expected[key] : null;
    if (want instanceof RegExp) expect(cb[key], key).toMatch(want);
    else expect(cb[key], key).toEqual(want);
  }
}

/** Waits for the Link UI to show `name` (its `main[data-screen]`). */
export async function screen(frame: FrameLocator, name: string) {
  await expect(frame.locator(`main[data-screen="${name}"]`)).toBeVisible();
}
