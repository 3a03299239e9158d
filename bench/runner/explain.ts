import type { Db } from '../../apps/server/src/db/db.ts';
import type { RecordedStatement } from './measure.ts';

/**
 * EXPLAIN (ANALYZE, BUFFERS) of every read a scenario's baseline made once: the plans of exactly
 * the queries measured. Writes are not explained (ANALYZE would run them); their cost shows in the
 * baseline's own numbers. PGlite has no shared buffers to count, so it gets ANALYZE alone.
 */
export async function explainStatements(
  db: Db,
  name: string,
  statements: RecordedStatement[],
): Promise<string> {
  const options = db.kind === 'postgres' ? 'ANALYZE, BUFFERS' : 'ANALYZE';
  const parts: string[] = [];
  for (const [n, statement] of statements.entries()) {
    const sql = statement.sql.trim();
    if (!/^(SELECT|WITH)\b/i.test(sql) || /\bFOR UPDATE\b/i.test(sql)) continue;
    const rows = await db.many<{ 'QUERY PLAN': string }>(`EXPLAIN (${options}) ${sql}`, statement.params);
    parts.push(
      `-- ${name} · statement ${n + 1} of ${statements.length}\n-- params: ${JSON.stringify(statement.params).slice(0, 300)}\n` +
        `${sql.replace(/\s+/g, ' ')}\n\n${rows.map((r) => r['QUERY PLAN']).join('\n')}\n`,
    );
  }
  return parts.join('\n');
}
