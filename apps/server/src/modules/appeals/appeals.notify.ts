import { canonicalMobile } from '@doorstep/contracts/vocabulary';
import type { Queryable } from '../../db/db.ts';
import { formatChinaMonthDayTime } from '../../platform/calendar/index.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import type { AppealDeps } from './appeals.ports.ts';
import type { AppealRow } from './appeals.types.ts';

/**
 * Which steps a resident is told about by SMS, with the template parameters. Internal steps
 * (notes, returns, reminders) are not sent; anonymous residents left no number to send to.
 */
type Recipient = Pick<AppealRow, 'id' | 'trackingCode' | 'anonymous' | 'contactPhoneEnc' | 'ratingTokenEnc'>;

/** The rating secret, sent only to the resident's own phone (staff never see it; the outbox masks it). */
type Token = string | null;

function withToken(params: Record<string, string>, token: Token): Record<string, string> {
  return token ? { ...params, token } : params;
}

const MESSAGES: Record<
  string,
  (row: Recipient, data: Record<string, unknown>, token: Token) => Record<string, string> | null
> = {
  submitted: (row, _, token) => withToken({ code: row.trackingCode }, token),
  accept: (row, data) =>
    data.finishDueAt
      ? { code: row.trackingCode, due: formatChinaMonthDayTime(new Date(String(data.finishDueAt))) }
      : null,
  dispatch: (row, data) => ({ code: row.trackingCode, org: String(data.orgName ?? '相关部门') }),
  resolve: (row, _, token) => withToken({ code: row.trackingCode }, token),
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

const NEEDS_TOKEN = new Set(['submitted', 'resolve']);

export async function notifyResident(
  deps: Pick<AppealDeps, 'residents'> & { cipher: FieldCipher },
  tx: Queryable,
  row: Recipient,
  step: string,
  data: Record<string, unknown>,
) {
  const build = MESSAGES[step];
  if (!build || row.anonymous || !row.contactPhoneEnc) return;
  const token = row.ratingTokenEnc ? deps.cipher.decrypt(row.ratingTokenEnc) : null;
  const params = build(row, data, token);
  if (!params) return;
  // Appeals from before the rating secret get the template without it (`….legacy`).
  const template = TEMPLATE[step]! + (params.token === undefined && NEEDS_TOKEN.has(step) ? '.legacy' : '');
  // Numbers stored before only mainland mobiles were taken get no SMS (finding 5 of issue #19).
  const to = canonicalMobile(deps.cipher.decrypt(row.contactPhoneEnc));
  if (!to) return;
  await deps.residents.send(tx, {
    appealId: row.id,
    channel: 'sms',
    to,
    template,
    params,
  });
}

/** The surviving case's steps that the reporters merged into it are told of, in their words. */
const MERGED_PROGRESS: Record<string, (data: Record<string, unknown>) => string> = {
  dispatch: (data) => `已转交${String(data.orgName ?? '相关部门')}办理`,
  resolve: () => '已办结',
};

/**
 * The reporters of appeals merged into `row` follow it: each learns of its dispatch and its
 * resolution by SMS, with their own code and the surviving case's.
 */
export async function notifyMergedReporters(
  deps: Pick<AppealDeps, 'residents'> & { cipher: FieldCipher },
  tx: Queryable,
  row: Pick<AppealRow, 'id' | 'trackingCode'>,
  step: string,
  data: Record<string, unknown>,
  merged: readonly Recipient[],
) {
  const progress = MERGED_PROGRESS[step];
  if (!progress) return;
  for (const child of merged) {
    if (child.anonymous || !child.contactPhoneEnc) continue;
    const to = canonicalMobile(deps.cipher.decrypt(child.contactPhoneEnc));
    if (!to) continue;
    await deps.residents.send(tx, {
      appealId: child.id,
      channel: 'sms',
      to,
      template: 'appeal.merged_progress',
      params: { code: child.trackingCode, into: row.trackingCode, progress: progress(data) },
    });
  }
}
