import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_ROOT = path.dirname(fileURLToPath(import.meta.url));

/** The demo staff's password in benchmark databases (never a production value). */
export const BENCH_PASSWORD = 'Bench-Kq7#xT9v-Lm2w';

export interface BenchTarget {
  databaseUrl: string | null;
  /** The server's data folder: its secrets and, on PGlite, the database itself. */
  dataDir: string;
  password: string;
  kind: 'postgres' | 'pglite';
  label: string;
}

/** Which database the seeder and the runner use: --database-url, else DATABASE_URL, else PGlite. */
export function benchTarget(values: { 'database-url'?: string; 'data-dir'?: string }): BenchTarget {
  const databaseUrl = values['database-url'] || process.env.DATABASE_URL || null;
  const kind = databaseUrl ? 'postgres' : 'pglite';
  const dataDir = path.resolve(values['data-dir'] ?? path.join(BENCH_ROOT, '.data', kind));
  const label = databaseUrl ? `PostgreSQL ${new URL(databaseUrl).pathname.slice(1)}` : `PGlite ${dataDir}`;
  return {
    databaseUrl,
    dataDir,
    password: process.env.DOORSTEP_DEMO_PASSWORD || BENCH_PASSWORD,
    kind,
    label,
  };
}
