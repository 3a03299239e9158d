import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, test } from 'vitest';

/*
 * House rules a reviewer would otherwise have to catch by eye (ARCHITECTURE.md, issue #18): no
 * import cycles in the server or the contracts; SQL only in repositories and db/.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the import graph', () => {
  for (const tree of ['apps/server/src', 'packages/contracts/src']) {
    test(`${tree} has no import cycles`, { timeout: 60_000 }, async () => {
      const graph = await madge(path.join(root, tree), {
        fileExtensions: ['ts'],
        tsConfig: path.join(root, 'tsconfig.json'),
        excludeRegExp: [/\.test\.ts$/],
      });
      expect(Object.keys(graph.obj()).length).toBeGreaterThan(tree.includes('server') ? 150 : 8);
      expect(graph.circular()).toEqual([]);
    });
  }
});

/** SQL outside a repository, each with the reason it may live there. */
const SQL_ELSEWHERE: Record<string, string> = {
  'platform/events/event-bus.ts': 'pg_notify inside the publishing transaction is the event bus itself',
};
const STATEMENT = /\b(SELECT\s+[\w"*(]|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+(AS\s+\w+\s+)?SET)\b/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

test('SQL lives in repositories and db/ only', () => {
  const src = path.join(root, 'apps/server/src');
  const files = sourceFiles(src).map((file) => path.relative(src, file));
  const withSql = files.filter((file) => STATEMENT.test(readFileSync(path.join(src, file), 'utf8')));
  expect(withSql.length).toBeGreaterThan(10);
  const misplaced = withSql.filter(
    (file) => !file.endsWith('.repository.ts') && !file.startsWith('db/') && !SQL_ELSEWHERE[file],
  );
  expect(misplaced).toEqual([]);
});
