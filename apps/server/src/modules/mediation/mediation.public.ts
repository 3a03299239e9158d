import type { DisputeConfirmationBody, PublicDispute } from '@doorstep/contracts';
import { errors } from '../../platform/errors.ts';
import { normaliseTrackingCode } from '../appeals/index.ts';
import { createConfirmations, waitingForCode } from './mediation.confirmation.ts';
import type { MediationDeps } from './mediation.ports.ts';
import { createCaseRecords } from './mediation.records.repository.ts';
import { createDisputeRepository } from './mediation.repository.ts';
import { committeeName, DISPUTE_STATUS_LABELS } from './mediation.views.ts';

/*
 * The parties' view of their case through the 查询码 of the registration SMS (resident app), and
 * their confirmation of the agreement with the SMS code. The code holder is not proven to be a
 * party, so the view carries nothing personal: no names, phones, amounts, terms or notes.
 */

/** Journal entries a party is told of, in their words; the rest (notes, summons, timers) stay inside. */
const PUBLIC_EVENTS: Record<string, string> = {
  'dispute.register': '纠纷已登记',
  'dispute.accept': '调解组织已受理',
  'dispute.assign': '已指派调解员',
  'dispute.schedule-session': '已安排调解，请按时参加',
  'dispute.record-session': '已进行一次调解',
  'dispute.escalate': '已移交上一级调解组织',
  'dispute.extend': '经双方同意，调解期限已延长',
  'dispute.agree': '双方已达成调解协议，请各方确认',
  'dispute.confirm-agreement': '一方当事人已确认协议',
  'dispute.request-confirmation': '已向人民法院申请司法确认',
  'dispute.record-ruling': '人民法院已作出裁定',
  'dispute.record-payment': '已登记一笔履行款',
  'dispute.fail': '调解未能达成协议，调解员已告知其他解决途径',
  'dispute.close': '已结案',
};

export function createPublicDisputes(deps: MediationDeps) {
  const { db, clock, journal } = deps;
  const repo = createDisputeRepository(db);
  const records = createCaseRecords(db);
  const confirmations = createConfirmations(deps);

  async function find(code: string) {
    const c = await repo.findByTrackingCode(normaliseTrackingCode(code));
    if (!c) throw errors.notFound('a dispute case with this code');
    return c;
  }

  async function track(code: string): Promise<PublicDispute> {
    const c = await find(code);
    const now = clock.now();
    const [parties, sessions, agreement, entries] = await Promise.all([
      repo.parties(c.id),
      records.sessions(c.id),
      records.agreement(c.id),
      journal.list(db, { stream: `dispute:${c.id}`, limit: 1000 }),
    ]);
    const next = sessions.find((s) => !s.recordedAt && s.startsAt >= now);
    return {
      caseNumber: c.caseNumber,
      trackingCode: c.trackingCode!,
      kind: c.kind,
      status: c.status,
      statusLabel: DISPUTE_STATUS_LABELS[c.status],
      orgName: committeeName(c.orgName),
      registeredAt: c.registeredAt.toISOString(),
      mediateDueAt: c.mediateDueAt?.toISOString() ?? null,
      nextSession: next
        ? { startsAt: next.startsAt.toISOString(), place: next.place, online: next.online }
        : null,
      agreement: agreement
        ? {
            agreedAt: agreement.agreedAt.toISOString(),
            effectiveAt: agreement.effectiveAt?.toISOString() ?? null,
            confirmedParties: parties.filter((p) => p.confirmedAt).length,
            parties: parties.length,
          }
        : null,
      canConfirm: c.status === 'agreed' && parties.some((p) => waitingForCode(p, now)),
      advice: c.advice,
      ruling: c.ruling,
      timeline: entries
        .reverse()
        .filter((e) => PUBLIC_EVENTS[e.action])
        .map((e) => ({ at: e.at.toISOString(), label: PUBLIC_EVENTS[e.action]! })),
    };
  }

  return {
    track,
    /** A party confirms the agreement with the SMS code; the reply is the case as it now stands. */
    async confirm(code: string, body: DisputeConfirmationBody): Promise<PublicDispute> {
      await confirmations.confirmByResident(await find(code), body.code);
      return track(code);
    },
  };
}
