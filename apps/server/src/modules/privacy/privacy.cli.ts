import type { Command } from 'commander';
import { errors } from '../../platform/errors.ts';
import type { PrivacyService } from './privacy.service.ts';

/**
 * What the command needs of the running product: the slice it uses, not the whole runtime (which
 * builds every module, this one included — importing it here would close an import cycle).
 */
interface PrivacyRuntime {
  config: { retentionDays: number | null };
  services: { privacy: Pick<PrivacyService, 'anonymiseClosed'> };
}

/** `doorstep privacy anonymise`: the retention run, for cron or a systemd timer. */
export function registerPrivacyCommands(
  program: Command,
  withRuntime: (work: (runtime: PrivacyRuntime) => Promise<void>) => Promise<void>,
): void {
  const privacy = program.command('privacy').description('personal data (PIPL)');
  privacy
    .command('anonymise')
    .description(
      'erase the contact of appeals finished more than DOORSTEP_RETENTION_DAYS (or --days) ago; prints JSON',
    )
    .option('--days <n>', 'retention period in days (overrides DOORSTEP_RETENTION_DAYS)')
    .action((options: { days?: string }) =>
      withRuntime(async ({ services, config }) => {
        const days = options.days === undefined ? config.retentionDays : Number(options.days);
        if (days === null || !Number.isInteger(days) || days < 1) {
          throw errors.validation('set DOORSTEP_RETENTION_DAYS or pass --days N (a whole number of days)');
        }
        const result = await services.privacy.anonymiseClosed({ retentionDays: days });
        console.log(JSON.stringify({ retentionDays: days, ...result }));
      }),
    );
}
