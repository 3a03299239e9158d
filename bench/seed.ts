// `npm run bench:seed -- --appeals N [--database-url URL | --data-dir DIR]`: a district's history
// for the benchmark. PostgreSQL when a URL is given (or DATABASE_URL is set), else PGlite.
import { parseArgs } from 'node:util';
import { openDatabase } from '../apps/server/src/db/open.ts';
import { seedBench } from './seed/index.ts';
import { benchTarget } from './target.ts';

const { values } = parseArgs({
  options: {
    appeals: { type: 'string' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    seed: { type: 'string', default: 'bench' },
    years: { type: 'string', default: '3' },
  },
});
const target = benchTarget(values);
const appeals = Number(values.appeals ?? (target.databaseUrl ? 1_000_000 : 100_000));
if (!Number.isInteger(appeals) || appeals < 1) {
  console.error('--appeals must be a positive whole number');
  process.exit(2);
}
console.error(
  `[bench:seed] ${appeals.toLocaleString('en')} appeals into ${target.label} (data folder ${target.dataDir})`,
);
const database = await openDatabase({ databaseUrl: target.databaseUrl, dataDir: target.dataDir });
try {
  const report = await seedBench({
    db: database.db,
    databaseUrl: target.databaseUrl,
    dataDir: target.dataDir,
    appeals,
    password: target.password,
    seed: values.seed,
    years: Number(values.years),
  });
  console.log(JSON.stringify(report, null, 2));
} finally {
  await database.close();
}
