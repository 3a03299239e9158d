import { errors } from './errors.ts';

/**
 * Keyset paging: ask the repository for `limit + 1` rows; the extra row only says whether there is
 * a next page, and the cursor is the key of the last row shown.
 */
export function keysetPage<Row, Cursor>(
  rows: readonly Row[],
  limit: number,
  cursorOf: (last: Row) => Cursor,
): { page: Row[]; next: Cursor | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, next: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

/** An opaque cursor over (time, id), for lists ordered newest first. */
export function timeIdCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

/** The (time, id) key of a cursor made by timeIdCursor; a cursor that is not one is a 400. */
export function readTimeIdCursor(cursor: string): { at: Date; id: string } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const at = new Date(time ?? '');
  if (!id || Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw errors.validation('the cursor is not valid');
  }
  return { at, id };
}
