import type { Queryable } from '../../db/db.ts';
import { formatChinaMonthDayTime } from '../../platform/calendar/index.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import type { AppealDeps } from './appeals.ports.ts';
import type { AppealRow } from './appeals.types.ts';

/**
 * Which steps a resident is told about by SMS, with the template parameters. Internal steps
 * (notes, returns, reminders) are not sent; anonymous residents left no number to send to.
 */
type Recipient = Pick<AppealRow, 'id' | 'trackingCode' | 'anonymous' | 'contactPhoneEnc'>;

const MESSAGES: Record<
  string,
  (row: Recipient, data: Record<string, unknown>) => Record<string, string> | null
> = {
  submitted: (row) => ({ code: row.trackingCode }),
  accept: (row, data) =>
    data.finishDueAt
      ? { code: row.trackingCode, due: formatChinaMonthDayTime(new Date(String(data.finishDueAt))) }
      : null,
  dispatch: (row, data) => ({ code: row.trackingCode, org: String(data.orgName ?? '相关部门') }),
  resolve: (row) => ({ code: row.trackingCode }),
  reject: (row, data) => ({ code: row.trackingCode, reason: String(data.reason ?? '') }),
  merge: (row, data) => ({ code: row.trackingCode, into: String(data.intoTrackingCode ?? '') }),
};

const TEMPLATE: Record<string, string> = {
  submitted: 'appeal.submitted',
  accept: 'appeal.accepted',
  dispatch: 'appeal.dispatched',
  resolve: 'appeal.resolved',
  reject: 'appeal.rejected',
  merge: 'appeal.merged',
};

export async function notifyResident(
  deps: Pick<AppealDeps, 'residents'> & { cipher: FieldCipher },
  tx: Queryable,
  row: Recipient,
  step: string,
  data: Record<string, unknown>,
) {
  const build = MESSAGES[step];
  if (!build || row.anonymous || !row.contactPhoneEnc) return;
  const params = build(row, data);
  if (!params) return;
  await deps.residents.send(tx, {
    appealId: row.id,
    channel: 'sms',
    to: deps.cipher.decrypt(row.contactPhoneEnc),
    template: TEMPLATE[step]!,
    params,
  });
}
