import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Secrets {
  sessionSecret: string;
  dataKey: Buffer;
  /** The key being rotated out, still accepted for reading (DOORSTEP_DATA_KEY_PREVIOUS). */
  previousDataKey?: Buffer | null;
}

interface Logger {
  warn(message: string): void;
}

/**
 * Secrets come from the environment. When absent, they are generated once into the data folder
 * (owner-only permissions) and a warning says so: a single-node install works out of the box,
 * while a cluster must set them in the environment so every node shares them.
 */
export function resolveSecrets(
  fromEnv: { sessionSecret: string | null; dataKey: Buffer | null; dataKeyPrevious?: Buffer | null },
  dataDir: string,
  log: Logger,
): Secrets {
  const previousDataKey = fromEnv.dataKeyPrevious ?? null;
  if (fromEnv.sessionSecret && fromEnv.dataKey) {
    return { sessionSecret: fromEnv.sessionSecret, dataKey: fromEnv.dataKey, previousDataKey };
  }
  const file = path.join(dataDir, 'secrets.json');
  let stored: { sessionSecret?: string; dataKey?: string } = {};
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8'));
  }
  let changed = false;
  if (!fromEnv.sessionSecret && !stored.sessionSecret) {
    stored.sessionSecret = randomBytes(48).toString('base64url');
    changed = true;
  }
  if (!fromEnv.dataKey && !stored.dataKey) {
    stored.dataKey = randomBytes(32).toString('base64');
    changed = true;
  }
  if (changed) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  const missing = [
    fromEnv.sessionSecret ? null : 'DOORSTEP_SESSION_SECRET',
    fromEnv.dataKey ? null : 'DOORSTEP_DATA_KEY',
  ].filter(Boolean);
  log.warn(
    `${missing.join(' and ')} not set: using ${changed ? 'newly generated' : 'the'} value(s) in ${file}. ` +
      'Set them in the environment for production and for several server processes.',
  );
  return {
    sessionSecret: fromEnv.sessionSecret ?? (stored.sessionSecret as string),
    dataKey: fromEnv.dataKey ?? Buffer.from(stored.dataKey as string, 'base64'),
    previousDataKey,
  };
}
