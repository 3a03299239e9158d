import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Db } from '../../db/db.ts';
import type { ItemModels } from './triage.items.ts';
import { createTrainingRepository } from './triage.repository.ts';

/**
 * `doorstep triage export --out FILE.jsonl [--days N]`: the district's finished appeals as training
 * examples `{title, content, label, labelName, corrected}`, the label being the final category —
 * a dispatcher's correction (改类) included — for `doorstep triage train`. The file holds what
 * residents wrote: keep it where the database's own backups are kept.
 */
export function registerTriageDataCommands(
  triage: Command,
  withRuntime: (
    work: (runtime: {
      services: { db: Db; clock: { now(): Date }; triage: { items: ItemModels } };
    }) => Promise<void>,
  ) => Promise<void>,
): void {
  triage
    .command('retrain')
    .description("train every district's item-level model now from its finished appeals; prints JSON")
    .action(() =>
      withRuntime(async ({ services }) => {
        const results = await services.db.transaction((tx) =>
          services.triage.items.trainAll(tx, services.clock.now()),
        );
        console.log(JSON.stringify({ districts: results }));
      }),
    );

  triage
    .command('export')
    .description('finished appeals with their final category, as JSONL for `triage train`; prints JSON')
    .requiredOption('--out <file>', 'where to write the JSONL')
    .option('--days <n>', 'only appeals submitted in the last N days')
    .action((options: { out: string; days?: string }) =>
      withRuntime(async ({ services }) => {
        const days = options.days === undefined ? null : Number(options.days);
        if (days !== null && !(Number.isInteger(days) && days > 0))
          throw new Error('--days must be a whole number');
        const since = days === null ? null : new Date(Date.now() - days * 86_400_000);
        const rows = await createTrainingRepository(services.db).finishedSince(since);
        writeFileSync(
          options.out,
          rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : ''),
        );
        console.log(
          JSON.stringify({
            out: options.out,
            examples: rows.length,
            corrected: rows.filter((row) => row.corrected).length,
            labels: new Set(rows.map((row) => row.label)).size,
          }),
        );
      }),
    );
}
