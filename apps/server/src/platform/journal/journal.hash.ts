import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

export const GENESIS_HASH = '0'.repeat(64);

export interface JournalContent {
  stream: string;
  seq: number;
  at: Date;
  actorId: string | null;
  actorOrgId: number | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
}

/**
 * Each entry's hash covers the previous entry's hash and the RFC 8785 canonical form of the entry,
 * so changing, removing or reordering any entry breaks every later link of its stream.
 */
export function entryHash(prevHash: string, content: JournalContent): string {
  const canonical = canonicalize({
    stream: content.stream,
    seq: content.seq,
    at: content.at.toISOString(),
    actorId: content.actorId,
    actorOrgId: content.actorOrgId,
    action: content.action,
    subjectType: content.subjectType,
    subjectId: content.subjectId,
    data: content.data,
  });
  return createHash('sha256')
    .update(prevHash)
    .update('\n')
    .update(canonical ?? '')
    .digest('hex');
}
