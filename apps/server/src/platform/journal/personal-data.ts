import type { Db } from '../../db/db.ts';
import type { Actor } from '../auth/actor.ts';
import { type Journal, SECURITY_STREAM } from './journal.ts';

/**
 * A view of personal data in full (PIPL: who saw whose data, when and why), in the security
 * stream the auditor's report counts (`personal_data.viewed`). Its own transaction: the record
 * stands even if what follows fails.
 */
export function journalPersonalDataView(
  journal: Journal,
  db: Db,
  actor: Actor,
  subject: { type: string; id: string },
  data: { fields: string[]; reason: string },
) {
  return db.transaction((tx) =>
    journal.append(tx, {
      stream: SECURITY_STREAM,
      action: 'personal_data.viewed',
      actorId: actor.userId,
      actorOrgId: actor.orgId || null,
      subjectType: subject.type,
      subjectId: subject.id,
      data,
    }),
  );
}
