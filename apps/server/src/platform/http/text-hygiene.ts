import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.ts';

/**
 * Text no column can hold faithfully, refused at the edge for every route: U+0000 (PostgreSQL's
 * text type has no NUL) and an unpaired UTF-16 surrogate (it has no UTF-8 form, so it would be
 * silently swapped for U+FFFD on the way to the database, and the journal hashes would no longer
 * match what was stored). One check here rather than in every schema, so a new route is covered
 * by existing.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding U+0000 is this pattern's purpose
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any form or client sends; a deeper body is an attack on the parsers behind it. */
export const MAX_DEPTH = 32;

export interface TextProblem {
  path: string;
  message: string;
}

/**
 * The first string (or key) no column can hold, or the first place nested past MAX_DEPTH. A loop
 * with its own stack, not recursion: a hostile body 50,000 arrays deep must not overflow ours.
 */
export function findTextProblem(root: unknown): TextProblem | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return { path: path || '/', message: UNSTORABLE_MESSAGE };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return { path: path || '/', message: `must not nest deeper than ${MAX_DEPTH}` };
    for (const [key, child] of Object.entries(value)) {
      const childPath = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (UNSTORABLE.test(key)) return { path: childPath, message: UNSTORABLE_MESSAGE };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return null;
}

const UNSTORABLE_MESSAGE = 'must not contain U+0000 or an unpaired surrogate';

export function registerTextHygiene(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    for (const [where, value] of [
      ['body', request.body],
      ['querystring', request.query],
      ['params', request.params],
    ] as const) {
      const problem = findTextProblem(value);
      if (problem)
        throw errors.validation(`the request ${where} is not valid`, { in: where, issues: [problem] });
    }
  });
}
