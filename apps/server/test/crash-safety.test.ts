import { afterAll, expect, test } from 'vitest';
import {
  createStore,
  jsonOutput,
  runCli,
  type ServerProcess,
  type Store,
  startServer,
  stopAll,
} from './support/processes.ts';

// Crash safety: a 201 means the appeal is durable. We post appeals from several clients at once,
// SIGKILL the real server process in the middle of the stream, start it again on the same data
// (PGlite: the same folder, whose lock file the dead process left behind; PostgreSQL: the same
// database) and check that every acknowledged appeal is there and that the journal still verifies.

const SLOW = 180_000;
const CLIENTS = 4;
const TRAFFIC_MS = 1500;

let store: Store | undefined;
afterAll(async () => {
  await stopAll();
  await store?.close();
});

interface Acknowledged {
  id: string;
  trackingCode: string;
}

let sent = 0;

async function submitLoop(
  server: ServerProcess,
  acknowledged: Acknowledged[],
  unexpected: string[],
  stop: () => boolean,
) {
  let failures = 0;
  while (!stop()) {
    // One phone number per appeal: the per-phone intake limit applies even on trusted networks.
    const n = sent++;
    try {
      const response = await fetch(`${server.baseUrl}/api/v1/appeals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: 'h5',
          content: `崩溃测试：小区门口路灯不亮 #${n}`,
          contact: { name: '李四', phone: `139${String(n).padStart(8, '0')}` },
        }),
      });
      const body = (await response.json()) as Acknowledged;
      if (response.status === 201) acknowledged.push({ id: body.id, trackingCode: body.trackingCode });
      else {
        unexpected.push(`${response.status}: ${JSON.stringify(body)}`);
        return;
      }
    } catch {
      // Requests in flight when the process dies fail with a socket error; those were never
      // acknowledged, so they may or may not be stored.
      failures++;
      if (failures > 50) return;
    }
  }
}

test(
  'every appeal answered with 201 survives a SIGKILL mid-stream, and the journal verifies',
  async () => {
    store = await createStore();
    const env = {
      ...store.env,
      DOORSTEP_DEMO_PASSWORD: 'Crash-Demo-Passw0rd!',
      // The intake rate limit would otherwise stop the stream after a few appeals.
      DOORSTEP_TRUSTED_NETWORKS: '127.0.0.1/32',
    };
    const first = await startServer(env);
    const acknowledged: Acknowledged[] = [];
    let killed = false;
    const unexpected: string[] = [];
    const clients = Array.from({ length: CLIENTS }, () =>
      submitLoop(first, acknowledged, unexpected, () => killed),
    );
    await new Promise((resolve) => setTimeout(resolve, TRAFFIC_MS));
    first.process.kill('SIGKILL');
    const exit = await first.waitForExit(15_000);
    killed = true;
    await Promise.all(clients);
    expect(unexpected).toEqual([]);
    expect(exit.signal).toBe('SIGKILL');
    // Enough traffic that the kill landed mid-stream rather than on an idle server.
    expect(acknowledged.length).toBeGreaterThan(CLIENTS);

    const second = await startServer(env);
    // Public tracking shows no internal id; the code is the resident's handle on the appeal.
    const missing: string[] = [];
    for (const appeal of acknowledged) {
      const response = await fetch(`${second.baseUrl}/api/v1/track/${appeal.trackingCode}`);
      if (response.status !== 200) missing.push(`${appeal.trackingCode}: ${response.status}`);
      else
        expect(((await response.json()) as { trackingCode: string }).trackingCode).toBe(appeal.trackingCode);
    }
    expect(missing).toEqual([]);
    await second.stop();

    // The CLI opens the same data (and, on PGlite, takes the lock the second server released).
    const verify = await runCli(['journal', 'verify'], env);
    expect(verify.code, verify.stderr).toBe(0);
    const report = jsonOutput(verify);
    expect(report.status).toBe('ok');
  },
  SLOW,
);
