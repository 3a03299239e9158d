import { type Config, ConfigError, loadConfig } from './config.ts';
import { migrate } from './db/migrate.ts';
import { openDatabase } from './db/open.ts';
import { systemClock } from './platform/clock.ts';
import { checkDataKey } from './platform/data-key-check.ts';
import { resolveSecrets } from './platform/secrets.ts';
import { createServices, type Services } from './services.ts';

export interface Runtime {
  config: Config;
  services: Services;
  close(): Promise<void>;
}

/** Config → database → migrations → secrets → services: the start shared by the server and the CLI. */
export async function startRuntime(log: {
  warn(message: string): void;
  info(message: string): void;
}): Promise<Runtime> {
  const config = loadConfig();
  const database = await openDatabase(config);
  try {
    const report = await migrate(database.db);
    if (report.applied.length) log.info(`applied migrations: ${report.applied.join(', ')}`);
    const secrets = resolveSecrets(config, config.dataDir, log);
    await checkDataKey(database.db, secrets, {
      now: systemClock.now(),
      where: config.databaseUrl ? 'this PostgreSQL database' : `the data folder ${config.dataDir}`,
    });
    const services = createServices({ db: database.db, clock: systemClock, secrets, settings: config });
    return { config, services, close: database.close };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/** Prints a start-up failure as one clear message, without a stack trace for the expected kinds. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  if (error instanceof Error && ['DataDirLockedError', 'DataKeyMismatchError'].includes(error.name))
    return error.message;
  if (
    error instanceof Error &&
    /ECONNREFUSED|ENOTFOUND|password authentication|(database|role) "[^"]*" does not exist/.test(
      error.message,
    )
  ) {
    return `cannot reach the database: ${error.message}`;
  }
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
