import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import { BENCH_ROOT, type BenchTarget } from '../target.ts';
import { round } from './measure.ts';
import type { Scenario } from './scenarios.ts';

const SERVER_BIN = path.resolve(BENCH_ROOT, '../apps/server/bin/server.mjs');

export interface BenchServer {
  baseUrl: string;
  /** Cookie headers of the staff sessions, by scope. */
  cookies: Record<string, string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * `node apps/server/bin/server.mjs` on the benchmark database, exactly as `npm start` runs it but
 * with loopback trusted (the per-address limits and the proof of work are for the internet, and
 * every benchmark request comes from 127.0.0.1). The per-phone limit stays on: intake varies the phone.
 */
export async function startBenchServer(
  target: BenchTarget,
  users: Record<string, string>,
  options: { profileDir?: string } = {},
): Promise<BenchServer> {
  const port = await freePort();
  const args = [SERVER_BIN];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    args.unshift('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  }
  const child: ChildProcess = spawn(process.execPath, args, {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DOORSTEP_DATA_DIR: target.dataDir,
      DOORSTEP_DEMO_PASSWORD: target.password,
      DOORSTEP_TRUSTED_NETWORKS: '127.0.0.1/32,::1/128',
      ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited before it was ready:\n${stderr}`);
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not become ready in 120 s:\n${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const cookies: Record<string, string> = {};
  for (const [scope, username] of Object.entries(users)) {
    const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ username, password: target.password }),
    });
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    if (!response.ok || !cookie)
      throw new Error(`login as ${username} failed: ${response.status} ${await response.text()}`);
    cookies[scope] = cookie;
  }
  return {
    baseUrl,
    cookies,
    async stop() {
      // SIGTERM: a clean stop, so a --cpu-prof profile is written.
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

export interface HttpResult {
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** The first few non-2xx answers, so a failing scenario says why. */
  samples: string[];
}

/** One scenario through autocannon: `connections` keep-alive connections for `durationMs`. */
export async function runHttp(
  server: BenchServer,
  scenario: Scenario,
  options: { connections: number; durationMs: number },
): Promise<HttpResult> {
  let i = 0;
  const cookie = scenario.as ? server.cookies[scenario.as] : undefined;
  const samples: string[] = [];
  const result = await autocannon({
    url: server.baseUrl,
    connections: options.connections,
    duration: options.durationMs / 1000,
    requests: [
      {
        setupRequest: (request) => {
          const next = scenario.request(i++);
          return {
            ...request,
            method: next.method,
            path: next.path,
            body: next.body,
            headers: {
              ...next.headers,
              ...(cookie ? { cookie, origin: server.baseUrl } : {}),
            },
          };
        },
        onResponse: (status, body) => {
          if ((status < 200 || status >= 300) && samples.length < 3)
            samples.push(`${status} ${String(body).slice(0, 300)}`);
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    reqPerSec: round(result.requests.average),
    p50Ms: round(result.latency.p50),
    p99Ms: round(result.latency.p99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    samples,
  };
}
