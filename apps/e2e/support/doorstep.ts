import { DEMO_TOTP_SECRET } from '../../server/test/support/demo-otp.ts';
import {
  createStore,
  type ServerProcess,
  type Store,
  startServer,
} from '../../server/test/support/processes.ts';

export const DEMO_PASSWORD = 'Demo-Passw0rd!';

export interface RunningDoorstep {
  baseUrl: string;
  server: ServerProcess;
  store: Store;
  stop(): Promise<void>;
}

/**
 * The whole product as a user gets it: the real server process serving the built web apps and the
 * API, with the demo district, on PGlite in a fresh data folder — or on a fresh PostgreSQL
 * database when TEST_DATABASE_URL is set. The web apps are built once by globalSetup.
 */
export async function startDoorstep(env: Record<string, string> = {}): Promise<RunningDoorstep> {
  const store = await createStore();
  const server = await startServer(
    {
      ...store.env,
      DOORSTEP_DEMO_PASSWORD: DEMO_PASSWORD,
      DOORSTEP_DEMO_TOTP_SECRET: DEMO_TOTP_SECRET,
      ...env,
    },
    { timeoutMs: 90_000 },
  );
  return {
    baseUrl: server.baseUrl,
    server,
    store,
    async stop() {
      await server.stop();
      await store.close();
    },
  };
}
