import type { DisputeDetail, DisputeStatus, DisputeSummary, PartyView } from '@doorstep/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import { type FieldCipher, maskName, maskPhone } from '../../platform/crypto.ts';
import { REDACTED } from '../../platform/text-redaction.ts';
import { withinAccusedUnit } from '../../platform/workflow/index.ts';
import type { NoticeRow } from '../coordination/index.ts';
import type {
  AgreementRow,
  DisputeRecord,
  DisputeRow,
  PartyRow,
  PaymentRow,
  SessionRow,
} from './mediation.types.ts';

export const DISPUTE_STATUS_LABELS: Record<DisputeStatus, string> = {
  registered: '已登记',
  accepted: '已受理',
  in_mediation: '调解中',
  agreed: '已达成协议',
  failed: '调解不成',
  confirmation_requested: '司法确认中',
  confirmed: '已司法确认',
  confirmation_rejected: '司法确认未通过',
  fulfilled: '已履行',
  closed: '已结案',
};

/** 光明社区 → 光明社区人民调解委员会: the committee of the unit that holds the case. */
export function committeeName(orgName: string): string {
  return orgName.endsWith('委员会') || orgName.endsWith('中心') ? orgName : `${orgName}人民调解委员会`;
}

/** 4403**********1234: an ID number is never shown whole in a list or a detail. */
function maskIdNumber(value: string): string {
  return `${value.slice(0, 4)}${'*'.repeat(Math.max(0, value.length - 8))}${value.slice(-4)}`;
}

/** Session notes are for the mediation staff: the case's mediator, or a mediator or adviser of its area. */
function seesNotes(actor: Actor, c: DisputeRecord): boolean {
  return c.isMediator || (c.inArea && actor.roles.some((r) => r === 'mediator' || r === 'legal_adviser'));
}

export function createDisputeViews(cipher: FieldCipher) {
  function summary(c: DisputeRow): DisputeSummary {
    return {
      id: c.id,
      caseNumber: c.caseNumber,
      kind: c.kind,
      summary: c.summary,
      status: c.status,
      statusLabel: DISPUTE_STATUS_LABELS[c.status],
      tier: c.tier,
      orgId: c.orgId,
      orgName: c.orgName,
      mediatorId: c.mediatorId,
      mediatorName: c.mediatorName,
      amountClaimed: c.amountClaimed,
      peopleInvolved: c.peopleInvolved,
      acceptDueAt: c.acceptDueAt?.toISOString() ?? null,
      mediateDueAt: c.mediateDueAt?.toISOString() ?? null,
      overdue: c.overdue,
      registeredAt: c.registeredAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
      version: c.version,
    };
  }

  /**
   * A party as staff see it: a person's name, phone and ID number masked; an organisation's name
   * and credit code in full (public registers). The unit the dispute is about never learns who the
   * applicants are (信访工作条例 art. 46).
   */
  function party(actor: Actor, c: DisputeRow, p: PartyRow): PartyView {
    const hidden = p.role === 'applicant' && withinAccusedUnit(c.accusedOrgPath, actor.orgPath);
    const name = cipher.decrypt(p.nameEnc);
    return {
      id: p.id,
      role: p.role,
      kind: p.kind,
      name: hidden ? REDACTED : p.kind === 'organisation' ? name : maskName(name)!,
      phone: hidden || !p.phoneEnc ? null : maskPhone(cipher.decrypt(p.phoneEnc)),
      idNumber: hidden || !p.idNumberEnc ? null : maskIdNumber(cipher.decrypt(p.idNumberEnc)),
      creditCode: hidden ? null : p.creditCode,
      confirmedAt: p.confirmedAt?.toISOString() ?? null,
      confirmedBy: p.confirmedBy,
      reportedInAt: p.reportedInAt?.toISOString() ?? null,
    };
  }

  function session(showNotes: boolean, s: SessionRow) {
    return {
      id: s.id,
      startsAt: s.startsAt.toISOString(),
      place: s.place,
      online: s.online,
      roomId: s.roomId,
      participants: s.participants,
      outcome: s.outcome,
      attendance: s.attendance,
      notes: showNotes ? s.notes : null,
      recordedAt: s.recordedAt?.toISOString() ?? null,
    };
  }

  function detail(
    actor: Actor,
    c: DisputeRecord,
    parts: {
      parties: PartyRow[];
      sessions: SessionRow[];
      agreement: AgreementRow | undefined;
      payments: PaymentRow[];
      notices: NoticeRow[];
      journal: { at: Date; action: string; actorId: string | null; data: Record<string, unknown> }[];
      availableActions: DisputeDetail['availableActions'];
      today: string;
    },
  ): DisputeDetail {
    const { agreement, payments } = parts;
    const showNotes = seesNotes(actor, c);
    return {
      ...summary(c),
      appealId: c.appealId,
      escalationLevel: c.escalationLevel,
      parties: parts.parties.map((p) => party(actor, c, p)),
      sessions: parts.sessions.map((s) => session(showNotes, s)),
      agreement: agreement
        ? {
            terms: agreement.terms,
            totalAmount: agreement.totalAmount,
            paidAmount: payments.reduce((sum, p) => sum + Math.round(p.paidAmount * 100), 0) / 100,
            agreedAt: agreement.agreedAt.toISOString(),
            effectiveAt: agreement.effectiveAt?.toISOString() ?? null,
            payments: payments.map((p) => ({
              id: p.id,
              seq: p.seq,
              amount: p.amount,
              dueDate: p.dueDate,
              paidAmount: p.paidAmount,
              paidAt: p.paidAt?.toISOString() ?? null,
              overdue: !p.paidAt && p.dueDate < parts.today,
            })),
          }
        : null,
      court: c.courtReference
        ? {
            reference: c.courtReference,
            requestedAt: c.courtRequestedAt!.toISOString(),
            ruling: c.ruling,
            rulingNumber: c.rulingNumber,
            reason: c.rulingReason,
            ruledAt: c.ruledAt?.toISOString() ?? null,
          }
        : null,
      failure: c.failureReason && c.advice ? { reason: c.failureReason, advice: c.advice } : null,
      notices: parts.notices.map((n) => ({
        id: n.id,
        number: n.number,
        level: n.level,
        reason: n.reason,
        issuedAt: n.issuedAt.toISOString(),
        reportDueAt: n.reportDueAt.toISOString(),
        summons: n.summons.map((s) => ({
          orgId: s.orgId,
          orgName: s.orgName,
          reportedAt: s.reportedAt?.toISOString() ?? null,
        })),
      })),
      timeline: parts.journal.map((e) => ({
        at: e.at.toISOString(),
        action: e.action,
        actorId: e.actorId,
        data: e.data,
      })),
      availableActions: parts.availableActions,
    };
  }

  return { summary, detail, party };
}
