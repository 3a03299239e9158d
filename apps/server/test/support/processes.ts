import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDb, TEST_DATABASE_URL, type TestDb } from './test-db.ts';

/**
 * Real processes for tests that must see what an operator sees: the server started by
 * `node apps/server/bin/server.mjs` and the `doorstep` CLI, each with its own environment.
 * Every child is tracked so `stopAll()` (call it in afterAll) never leaves one running.
 */

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const SERVER_BIN = path.join(REPO_ROOT, 'apps/server/bin/server.mjs');
export const CLI_BIN = path.join(REPO_ROOT, 'apps/server/bin/doorstep.mjs');

export type Env = Record<string, string | undefined>;

/** Variables of the test runner's own environment that must not leak into a child's configuration. */
const CONFIG_VARIABLES = /^(DOORSTEP_|DATABASE_URL$|PORT$|HOST$|LOG_LEVEL$|TEST_DATABASE_URL$)/;

function childEnv(env: Env): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !CONFIG_VARIABLES.test(key)) result[key] = value;
  }
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined) result[key] = value;
  }
  return result;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<Exit>;
  /** The exit, or an error naming the process and its output if it takes longer than `ms`. */
  waitForExit(ms: number): Promise<Exit>;
  isRunning(): boolean;
}

const running = new Set<Child>();

export function spawnNode(script: string, args: string[], env: Env, options: { stdin?: string } = {}): Child {
  const proc = spawn(process.execPath, [script, ...args], {
    cwd: REPO_ROOT,
    env: childEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  if (options.stdin !== undefined) proc.stdin?.end(options.stdin);
  else proc.stdin?.end();
  let done = false;
  const exited = new Promise<Exit>((resolve) => {
    // 'close' waits for stdout/stderr to be drained, so the output is complete when it resolves.
    proc.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal });
    });
    proc.on('error', (error) => {
      err += `\n[spawn error] ${error.message}`;
      done = true;
      resolve({ code: null, signal: null });
    });
  });
  const name = `${path.basename(script)} ${args.join(' ')}`.trim();
  const child: Child = {
    process: proc,
    pid: proc.pid ?? -1,
    stdout: () => out,
    stderr: () => err,
    exited,
    isRunning: () => !done,
    async waitForExit(ms) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${name} did not exit within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`)),
          ms,
        );
      });
      try {
        return await Promise.race([exited, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

/** Kills every child still running (SIGKILL: a test that wanted a clean stop has already asked for it). */
export async function stopAll(): Promise<void> {
  const children = [...running];
  for (const child of children) child.process.kill('SIGKILL');
  await Promise.all(children.map((child) => child.exited));
}

/** A port nobody listens on right now: listen on port 0, read the port, close. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export function tempDir(prefix = 'doorstep-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Where a child keeps its data: always a fresh data folder; on the PostgreSQL run also a fresh
 * database (DATABASE_URL), while the embedded run leaves DATABASE_URL unset so PGlite uses the folder.
 */
export interface Store {
  dataDir: string;
  /** The test database handle on PostgreSQL runs, null on PGlite. */
  testDb: TestDb | null;
  env: Env;
  close(): Promise<void>;
}

export async function createStore(): Promise<Store> {
  const dataDir = tempDir();
  const testDb = TEST_DATABASE_URL ? await createTestDb() : null;
  return {
    dataDir,
    testDb,
    env: { DOORSTEP_DATA_DIR: dataDir, DATABASE_URL: testDb?.url ?? undefined },
    async close() {
      await testDb?.close();
      removeDir(dataDir);
    },
  };
}

export interface ServerProcess extends Child {
  port: number;
  baseUrl: string;
  /** Sends SIGTERM and waits for the exit. */
  stop(ms?: number): Promise<Exit>;
}

/**
 * Starts `node apps/server/bin/server.mjs` and waits until GET /healthz answers 200. Fails early,
 * with the server's output, if the process exits before it is ready.
 */
export async function startServer(env: Env, options: { timeoutMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawnNode(SERVER_BIN, [], {
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ...env,
    PORT: String(port),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (!child.isRunning()) {
      const exit = await child.exited;
      throw new Error(
        `the server exited before it was ready (code ${exit.code}, signal ${exit.signal})\n` +
          `stdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.process.kill('SIGKILL');
      throw new Error(
        `the server did not answer /healthz in time\nstdout:\n${child.stdout()}\nstderr:\n${child.stderr()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return Object.assign(child, {
    port,
    baseUrl,
    async stop(ms = 15_000) {
      if (child.isRunning()) child.process.kill('SIGTERM');
      return child.waitForExit(ms);
    },
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `doorstep …` to completion. */
export async function runCli(
  args: string[],
  env: Env,
  options: { stdin?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawnNode(CLI_BIN, args, env, { stdin: options.stdin });
  const exit = await child.waitForExit(options.timeoutMs ?? 60_000);
  return { code: exit.code, stdout: child.stdout(), stderr: child.stderr() };
}

/** The last line of stdout parsed as JSON: the commands print their result as one JSON line. */
export function jsonOutput(result: CliResult): Record<string, unknown> {
  const lines = result.stdout.trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`expected JSON on stdout, got:\n${result.stdout}\nstderr:\n${result.stderr}`);
  }
}
