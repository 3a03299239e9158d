import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { createJobRunner } from './platform/jobs/index.ts';
import { describeStartupError, startRuntime } from './runtime.ts';
import { seedDemo } from './seed/demo-seed.ts';

const WEB_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

const log = {
  info: (message: string) => console.error(`[doorstep] ${message}`),
  warn: (message: string) => console.error(`[doorstep] warning: ${message}`),
};

async function main() {
  const runtime = await startRuntime(log);
  const { config, services } = runtime;
  if (config.seed === 'demo') {
    const seeded = await seedDemo(services, {
      password: config.demoPassword,
      dataDir: config.dataDir,
      open311Key: config.demoOpen311Key,
      totpSecret: config.demoTotpSecret,
    });
    if (seeded.seeded) {
      log.info(`demo district loaded: ${seeded.units} org units, users ${seeded.users.join(', ')}`);
      if (seeded.generatedPassword) {
        log.warn(
          `DOORSTEP_DEMO_PASSWORD is not set; the demo users' password is ${seeded.generatedPassword} ` +
            `(shown once, also written to ${seeded.credentialsFile})`,
        );
      }
      if (seeded.generatedTotpSecret) {
        log.warn(
          `DOORSTEP_DEMO_TOTP_SECRET is not set; admin, security and auditor log in with one-time codes ` +
            `from a generated secret written to ${seeded.credentialsFile}`,
        );
      }
    }
  }
  const app = await buildApp({
    services,
    logger: { level: config.logLevel },
    cookieSecure: config.cookieSecure,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    webRoot: WEB_ROOT,
    tileOrigins: config.tileOrigins,
    tiles: config.tiles,
    rateLimits: {
      trustedNetworks: config.trustedNetworks,
      overrides: config.rateLimits,
      redisUrl: config.redisUrl,
    },
  });
  const jobRunner = createJobRunner({ queue: services.jobs, handlers: services.jobHandlers, log: app.log });
  // The recurring sweeps re-schedule themselves; starting one that is pending already moves nothing.
  await services.db.transaction((tx) => services.hotspotAlerts.schedule(tx, services.clock.now()));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
    const force = setTimeout(() => {
      app.log.error('in-flight requests did not finish in time; exiting');
      process.exit(1);
    }, config.shutdownGraceSeconds * 1000);
    force.unref();
    try {
      await app.close();
      // The job in hand finishes and commits before the database closes.
      await jobRunner.stop();
      await services.events.close();
      await runtime.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'error while shutting down');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ port: config.port, host: config.host });
  jobRunner.start();
}

main().catch((error) => {
  console.error(`[doorstep] cannot start: ${describeStartupError(error)}`);
  process.exit(1);
});
