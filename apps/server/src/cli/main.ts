import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { loadConfig } from '../config.ts';
import { parseOrgImport } from '../modules/orgs/import/index.ts';
import { ORG_LEVELS, type OrgLevel } from '../modules/orgs/orgs.types.ts';
import { registerPrivacyCommands } from '../modules/privacy/index.ts';
import { registerTriageCommands } from '../modules/triage/classifier/cli.ts';
import { registerTriageDataCommands } from '../modules/triage/triage.cli.ts';
import { systemActor } from '../platform/auth/actor.ts';
import { ROLES, type Role } from '../platform/auth/roles.ts';
import { BackupError, backup, restore } from '../platform/backup/index.ts';
import { rotateDataKey } from '../platform/key-rotation.ts';
import { describeStartupError, type Runtime, startRuntime } from '../runtime.ts';
import { seedDemo } from '../seed/demo-seed.ts';

/**
 * `doorstep` — the operator's command line. Every command uses the same services as the API, acting
 * as the installation itself (journaled with no user id). Results go to stdout, messages to stderr.
 */
const log = {
  info: (message: string) => console.error(message),
  warn: (message: string) => console.error(`warning: ${message}`),
};

class CliFailure extends Error {}

async function withRuntime(work: (runtime: Runtime) => Promise<void>) {
  const runtime = await startRuntime(log);
  try {
    await work(runtime);
  } finally {
    await runtime.close();
  }
}

function readStdin(): string {
  return readFileSync(0, 'utf8').replace(/\r?\n$/, '');
}

function parseRoles(value: string): Role[] {
  const roles = value.split(',').map((role) => role.trim());
  const unknown = roles.filter((role) => !ROLES.includes(role as Role));
  if (unknown.length)
    throw new CliFailure(`unknown role(s): ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);
  return roles as Role[];
}

const program = new Command('doorstep')
  .description('Doorstep 家门口 — operator commands')
  .showHelpAfterError();

program
  .command('migrate')
  .description('apply database migrations (also done at every server start)')
  .action(() => withRuntime(async () => log.info('migrations are up to date')));

program
  .command('seed')
  .description('load sample data')
  .argument('<what>', 'what to load: demo')
  .action((what: string) =>
    withRuntime(async ({ services, config }) => {
      if (what !== 'demo') throw new CliFailure(`unknown seed "${what}"; try: demo`);
      const result = await seedDemo(services, {
        password: config.demoPassword,
        dataDir: config.dataDir,
        open311Key: config.demoOpen311Key,
        totpSecret: config.demoTotpSecret,
      });
      if (!result.seeded) log.info('the database already has an org tree; nothing loaded');
      else if (result.generatedPassword) {
        log.info(`demo password: ${result.generatedPassword} (also in ${result.credentialsFile})`);
      }
      console.log(JSON.stringify({ seeded: result.seeded, units: result.units, users: result.users }));
    }),
  );

const user = program.command('user').description('staff accounts');
user
  .command('create')
  .description('create a staff account; prints a generated password unless --password-stdin')
  .requiredOption('--username <username>')
  .requiredOption('--name <displayName>', 'the name shown to colleagues')
  .requiredOption('--org <code>', 'code of the org unit the user belongs to')
  .requiredOption('--roles <roles>', `comma-separated: ${ROLES.join(', ')}`)
  .option('--phone <phone>')
  .option('--password-stdin', 'read the initial password from standard input')
  .action((options) =>
    withRuntime(async ({ services }) => {
      const org = await services.orgs.directory().findByCode(options.org);
      if (!org) throw new CliFailure(`no org unit has the code ${options.org}`);
      const created = await services.users.create(systemActor(['security_admin']), {
        username: options.username,
        displayName: options.name,
        orgId: org.id,
        roles: parseRoles(options.roles),
        phone: options.phone,
        password: options.passwordStdin ? readStdin() : undefined,
      });
      console.log(JSON.stringify(created));
    }),
  );
user
  .command('reset-password')
  .description(
    'set a new password (generated unless --password-stdin); the user must change it at next login',
  )
  .argument('<username>')
  .option('--password-stdin', 'read the new password from standard input')
  .action((username: string, options) =>
    withRuntime(async ({ services }) => {
      const result = await services.users.resetPassword(
        systemActor(['security_admin']),
        { username },
        options.passwordStdin ? readStdin() : undefined,
      );
      console.log(JSON.stringify(result));
    }),
  );

program
  .command('import')
  .description('import data')
  .argument('<what>', 'what to import: orgs')
  .argument('<file>', 'a GeoJSON or CSV file')
  .addOption(new Option('--format <format>').choices(['geojson', 'csv']))
  .option('--root-code <code>', 'create (or reuse) a root unit with this code above the file’s units')
  .option('--root-name <name>')
  .addOption(new Option('--root-level <level>').choices([...ORG_LEVELS]).default('city'))
  .option('--group-by <property>', 'create one unit per distinct value of this property')
  .addOption(new Option('--group-level <level>').choices([...ORG_LEVELS]).default('district'))
  .addOption(
    new Option('--feature-level <level>', 'level of features that carry none').choices([...ORG_LEVELS]),
  )
  .action((what: string, file: string, options) =>
    withRuntime(async ({ services }) => {
      if (what !== 'orgs') throw new CliFailure(`unknown import "${what}"; try: orgs`);
      const text = readFileSync(file, 'utf8');
      if (options.rootCode && !options.rootName) throw new CliFailure('--root-code needs --root-name');
      const result = parseOrgImport(text, {
        fileName: path.basename(file),
        format: options.format,
        existing: await services.orgs.existingCodes(),
        root: options.rootCode
          ? { code: options.rootCode, name: options.rootName, level: options.rootLevel as OrgLevel }
          : undefined,
        groupBy: options.groupBy
          ? { property: options.groupBy, level: options.groupLevel as OrgLevel }
          : undefined,
        featureLevel: options.featureLevel as OrgLevel | undefined,
      });
      if (!result.ok) {
        for (const error of result.errors) {
          console.error(`${file}:${error.line}: ${error.field ? `${error.field}: ` : ''}${error.message}`);
        }
        throw new CliFailure(`${result.errors.length} problem(s) found; nothing was imported`);
      }
      const imported = await services.orgs.importDrafts(
        systemActor(['system_admin']),
        result.units,
        `file:${path.basename(file)}`,
      );
      console.log(JSON.stringify(imported));
    }),
  );

const journal = program.command('journal').description('the tamper-evident journal');
journal
  .command('verify')
  .description('recompute every hash chain; exit 1 when an entry is broken')
  .action(() =>
    withRuntime(async ({ services }) => {
      const report = await services.journal.verify(services.db);
      console.log(JSON.stringify(report));
      if (report.status !== 'ok') process.exitCode = 1;
    }),
  );

const apikey = program.command('apikey').description('Open311 API keys of partner systems');
apikey
  .command('create')
  .description('create a key; it is printed once and only its hash is stored')
  .requiredOption('--name <name>', 'who the key is for, e.g. the partner system')
  .option('--rate-limit <perMinute>', 'requests a minute this key may post', '60')
  .action((options) =>
    withRuntime(async ({ services }) => {
      const created = await services.open311Keys.create(systemActor(['system_admin']), {
        name: options.name,
        ratePerMinute: Number(options.rateLimit),
      });
      log.info('store the key now: it is not shown again');
      console.log(JSON.stringify(created));
    }),
  );
apikey
  .command('list')
  .description('every key: name, prefix, rate limit, created, revoked, last used')
  .action(() =>
    withRuntime(async ({ services }) => console.log(JSON.stringify(await services.open311Keys.list()))),
  );
apikey
  .command('revoke')
  .description('revoke a live key by its id or name; requests with it answer 403 from then on')
  .argument('<idOrName>')
  .action((idOrName: string) =>
    withRuntime(async ({ services }) =>
      console.log(JSON.stringify(await services.open311Keys.revoke(systemActor(['system_admin']), idOrName))),
    ),
  );

const keys = program.command('keys').description('the data key that encrypts personal data at rest');
keys
  .command('new')
  .description('print a new random data key (base64) for DOORSTEP_DATA_KEY')
  .action(() => console.log(randomBytes(32).toString('base64')));
keys
  .command('rotate')
  .description(
    're-encrypt every encrypted column from DOORSTEP_DATA_KEY_PREVIOUS to DOORSTEP_DATA_KEY, in batches; ' +
      'safe to run again; exit 1 when a value opens with neither key',
  )
  .option('--batch-size <rows>', 'rows per transaction', '500')
  .action((options) =>
    withRuntime(async ({ services, config }) => {
      if (!config.dataKey || !config.dataKeyPrevious) {
        throw new CliFailure(
          'set DOORSTEP_DATA_KEY to the new key and DOORSTEP_DATA_KEY_PREVIOUS to the old one',
        );
      }
      const batchSize = Number(options.batchSize);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) {
        throw new CliFailure('--batch-size must be a whole number from 1 to 10000');
      }
      const report = await rotateDataKey(
        services.db,
        { current: config.dataKey, previous: config.dataKeyPrevious },
        { batchSize, journal: services.journal, now: () => services.clock.now() },
      );
      console.log(JSON.stringify(report));
      if (report.unreadable.length) process.exitCode = 1;
    }),
  );

// No runtime: a restore needs an empty database, which a start (it migrates) would fill.
async function withBackupTarget(work: (target: ReturnType<typeof loadConfig>) => Promise<unknown>) {
  try {
    console.log(JSON.stringify(await work(loadConfig())));
  } catch (error) {
    throw error instanceof BackupError ? new CliFailure(error.message) : error;
  }
}
program
  .command('backup')
  .description(
    'write a consistent snapshot to FILE (PostgreSQL: pg_dump, servers may keep running; PGlite: stop the server first)',
  )
  .argument('<file>')
  .action((file: string) => withBackupTarget((config) => backup(config, file)));
program
  .command('restore')
  .description('load a snapshot from FILE into an empty database (refuses one that holds data)')
  .argument('<file>')
  .action((file: string) => withBackupTarget((config) => restore(config, file)));

// train, eval, cv work on files only, without a runtime; export reads the database.
registerTriageDataCommands(registerTriageCommands(program), withRuntime);
registerPrivacyCommands(program, withRuntime);

program.parseAsync(process.argv).catch((error) => {
  if (error instanceof CliFailure) console.error(`doorstep: ${error.message}`);
  else if (error?.name === 'AppError')
    console.error(`doorstep: ${error.message} ${JSON.stringify(error.details)}`);
  else console.error(`doorstep: ${describeStartupError(error)}`);
  process.exitCode = process.exitCode || 1;
});
