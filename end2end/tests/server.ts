// Starts the real lean-merchant binary (built by `cargo leptos build`) with the embedded sandbox,
// each on a free port, with its own data folder; stops it on demand.
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

// Fixed credentials for the embedded sandbox's app registration, so tests can prove they never leak.
export const SECRETS = {
  appToken: '6f1d2c4e-0b5a-4e8e-9c1d-2a7b3c4d5e6f',
  clientSecret: 'e2e-client-secret-7c0ffee-never-in-the-browser',
  webhookSecret: 'e2e-webhook-secret-5ca1ab1e-never-in-the-browser',
};

export interface RunningApp {
  url: string;
  sandboxUrl: string;
  dataDir: string;
  logs: () => string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  dataDir?: string;
  appPort?: number;
  sandboxPort?: number;
  /** More environment for the app (settings a spec needs, e.g. LEAN_DESTINATION_ALIAS). */
  env?: Record<string, string>;
}

// E2E_BUILD_DIR holds a private copy of a build (`lean-merchant` + `site/`), so a rebuild in the
// working tree cannot pull files out from under a running suite.
const BUILD_DIR = process.env.E2E_BUILD_DIR;

function binary(): string {
  if (BUILD_DIR) return path.join(BUILD_DIR, 'lean-merchant');
  const candidates = ['target/debug/lean-merchant', 'target/server/debug/lean-merchant'].map((p) => path.join(ROOT, p));
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`lean-merchant binary not found (run \`cargo leptos build\`); looked in ${candidates.join(', ')}`);
  return found;
}

export async function startApp(opts: StartOptions = {}): Promise<RunningApp> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'lean-merchant-e2e-'));
  const child: ChildProcess = spawn(binary(), [], {
    cwd: ROOT,
    env: {
      ...process.env,
      RUST_LOG: 'info,sqlx=warn',
      LEPTOS_SITE_ADDR: `127.0.0.1:${opts.appPort ?? 0}`,
      LEPTOS_SITE_ROOT: BUILD_DIR ? path.join(BUILD_DIR, 'site') : path.join(ROOT, 'target', 'site'),
      LEPTOS_OUTPUT_NAME: 'lean-merchant',
      DATA_DIR: dataDir,
      DATABASE_URL: '',
      LEAN_ENV: 'embedded',
      LEAN_SANDBOX_ADDR: `127.0.0.1:${opts.sandboxPort ?? 0}`,
      LEAN_SANDBOX_RETRY_SCALE: '0.001',
      LEAN_APP_TOKEN: SECRETS.appToken,
      LEAN_CLIENT_SECRET: SECRETS.clientSecret,
      LEAN_WEBHOOK_SECRET: SECRETS.webhookSecret,
      ...(opts.env ?? {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const urls = await new Promise<{ url: string; sandboxUrl: string }>((resolve, reject) => {
    let url = '';
    let sandboxUrl = '';
    const timer = setTimeout(() => reject(new Error(`app did not start in time:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      sandboxUrl ||= /lean-sandbox \(embedded\) listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
      url ||= /lean-merchant listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
      if (url && sandboxUrl) {
        clearTimeout(timer);
        resolve({ url, sandboxUrl });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`app exited with ${code} before listening:\n${output}`));
    });
  });

  return {
    ...urls,
    dataDir,
    logs: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timeout = new Promise((r) => setTimeout(r, 10_000));
        await Promise.race([exited, timeout]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  };
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}
