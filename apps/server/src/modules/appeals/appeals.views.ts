import type {
  AppealDetail,
  AppealSummary,
  AppealTriage,
  ExtraField,
  Notice,
  PublicTracking,
} from '@doorstep/contracts';
import { maskTrackingCode } from '@doorstep/contracts/vocabulary';
import type { Actor } from '../../platform/auth/actor.ts';
import { type FieldCipher, maskName, maskPhone } from '../../platform/crypto.ts';
import type { JournalRow } from '../../platform/journal/index.ts';
import { withinAccusedUnit } from '../../platform/workflow/index.ts';
import type { NoticeRow } from '../coordination/index.ts';
import { answersOf } from './appeals.answers.ts';
import { HIDDEN_CONTACT, PUBLIC_STATUS_LABELS, PUBLIC_STEPS, STATUS_LABELS } from './appeals.labels.ts';
import { availableActions } from './appeals.permits.ts';
import type { AppealAccess } from './appeals.repository.ts';
import type { AppealRow } from './appeals.types.ts';

export type ContactMode = 'masked' | 'full';

/**
 * 信访工作条例 art. 46(5): staff of the unit an appeal complains about never learn who raised it,
 * even when that unit is given the work.
 */
export function isAccusedUnit(actor: Actor, row: AppealRow): boolean {
  return withinAccusedUnit(row.accusedOrgPath, actor.orgPath);
}

/** Journal data as staff see it: tracking codes a merge recorded are masked like the appeal's own. */
function staffData(data: Record<string, unknown>): Record<string, unknown> {
  const entries = Object.entries(data);
  if (!entries.some(([key]) => key.endsWith('TrackingCode'))) return data;
  return Object.fromEntries(
    entries.map(([key, value]) => [
      key,
      key.endsWith('TrackingCode') && typeof value === 'string' ? maskTrackingCode(value) : value,
    ]),
  );
}

export function createAppealViews(cipher: FieldCipher) {
  function contactOf(actor: Actor, row: AppealRow, mode: ContactMode) {
    if (row.anonymous || (!row.contactNameEnc && !row.contactPhoneEnc)) return null;
    if (isAccusedUnit(actor, row)) return { name: HIDDEN_CONTACT, phone: HIDDEN_CONTACT, hidden: true };
    const name = row.contactNameEnc ? cipher.decrypt(row.contactNameEnc) : null;
    const phone = row.contactPhoneEnc ? cipher.decrypt(row.contactPhoneEnc) : null;
    if (mode === 'full') return { name, phone, hidden: false };
    return { name: maskName(name), phone: maskPhone(phone), hidden: false };
  }

  function summary(actor: Actor, row: AppealRow): AppealSummary {
    return {
      id: row.id,
      // Staff never hold a resident's code whole (it is half of the resident's rating credential).
      trackingCode: maskTrackingCode(row.trackingCode),
      channel: row.channel,
      category: row.categoryId
        ? { id: row.categoryId, code: row.categoryCode ?? '', name: row.categoryName ?? '' }
        : null,
      title: row.title,
      status: row.status,
      statusLabel: STATUS_LABELS[row.status],
      escalationLevel: row.escalationLevel,
      urgency: row.urgency,
      area: { id: row.orgId, name: row.orgName },
      assigned: row.assignedOrgId ? { id: row.assignedOrgId, name: row.assignedOrgName ?? '' } : null,
      assignedUser: row.assignedUserId ? { id: row.assignedUserId, name: row.assignedUserName ?? '' } : null,
      complex: row.complexAt !== null,
      location:
        row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng, address: row.address } : null,
      contact: contactOf(actor, row, 'masked'),
      anonymous: row.anonymous,
      acceptDueAt: row.acceptDueAt?.toISOString() ?? null,
      finishDueAt: row.finishDueAt?.toISOString() ?? null,
      overdue: row.overdue,
      supervised: row.supervised,
      rating: row.rating,
      version: row.version,
      submittedAt: row.submittedAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  return {
    contactOf,
    summary,

    detail(
      actor: Actor,
      row: AppealRow & AppealAccess,
      extra: {
        /** A finding on patrol: the walk that led to it. */
        patrol: { id: string; track: [number, number][] } | null;
        mode: ContactMode;
        journal: JournalRow[];
        attachments: { uploadId: string; stage: string; addedAt: Date }[];
        notices: NoticeRow[];
        mergedChildren: { id: string; trackingCode: string }[];
        /** The triage's duplicates still open and in the viewer's scope. */
        duplicates: { id: string; trackingCode: string; title: string; status: string; submittedAt: Date }[];
        /** The item's questions, to read the answers by. */
        questions: readonly ExtraField[];
        /** Names of the staff and units who took the steps. */
        names: { users: Map<string, string>; orgs: Map<number, string> };
      },
    ): AppealDetail {
      const accused = isAccusedUnit(actor, row);
      return {
        ...summary(actor, row),
        content: row.content,
        contact: contactOf(actor, row, extra.mode),
        coHandlerOrgIds: row.coHandlerOrgIds,
        pendingExtension: row.pendingExtension,
        extensionDays: row.extensionDays,
        complexReason: row.complexReason,
        patrol: extra.patrol,
        reminderCount: row.reminderCount,
        reopenCount: row.reopenCount,
        returnCount: row.returnCount,
        resolutionSummary: row.resolutionSummary,
        mergedInto: row.mergedInto,
        mergedChildren: extra.mergedChildren.map((child) => ({
          id: child.id,
          trackingCode: maskTrackingCode(child.trackingCode),
        })),
        attributes: row.attributes,
        answers: answersOf(row.attributes, extra.questions),
        relations: { inArea: row.inArea, isAssigned: row.isAssigned, isSummoned: row.isSummoned },
        availableActions: availableActions(actor, row),
        attachments: extra.attachments.map((a) => ({
          uploadId: a.uploadId,
          stage: a.stage,
          addedAt: a.addedAt.toISOString(),
        })),
        notices: extra.notices.map(noticeView),
        timeline: extra.journal.map((entry) => {
          // The accused unit does not learn which staff member took the appeal in on whose behalf.
          const withheld = accused && entry.action === 'appeal.submitted';
          const actorId = withheld ? null : entry.actorId;
          return {
            at: new Date(entry.at).toISOString(),
            action: entry.action,
            actorId,
            actorOrgId: withheld ? null : entry.actorOrgId,
            actorName: actorId ? (extra.names.users.get(actorId) ?? null) : null,
            actorOrgName:
              !withheld && entry.actorOrgId !== null
                ? (extra.names.orgs.get(entry.actorOrgId) ?? null)
                : null,
            data: staffData(entry.data),
          };
        }),
        triage: triageView(row, extra.duplicates),
      };
    },

    /** What anyone holding the tracking code sees: no personal data, no internal notes. */
    publicView(
      row: AppealRow,
      journal: JournalRow[],
      attachments: { uploadId: string; stage: string }[],
      mergedIntoCode: string | null,
      /** The surviving case's journal since the merge: a merged reporter follows it here. */
      survivor: JournalRow[] = [],
    ): PublicTracking {
      const steps = (entries: JournalRow[]) =>
        entries.flatMap((entry) => {
          const step = PUBLIC_STEPS[entry.action]?.(entry.data);
          return step ? [{ at: new Date(entry.at).toISOString(), ...step }] : [];
        });
      const timeline = [
        ...steps(journal),
        ...steps(survivor).map((step) => ({
          ...step,
          detail: `合并办理的事项${step.detail ? `：${step.detail}` : ''}`,
        })),
      ];
      return {
        trackingCode: row.trackingCode,
        status: row.status,
        statusLabel: PUBLIC_STATUS_LABELS[row.status],
        category: row.categoryName,
        title: row.title,
        submittedAt: row.submittedAt.toISOString(),
        finishDueAt: row.finishDueAt?.toISOString() ?? null,
        mergedInto: mergedIntoCode,
        rating: row.rating,
        canRate: ['resolved', 'verified', 'closed'].includes(row.status) && !row.rating,
        photos: attachments
          .filter((a) => a.stage === 'submission' || a.stage === 'resolution')
          .map((a) => ({ uploadId: a.uploadId, stage: a.stage })),
        timeline,
      };
    },
  };
}
export type AppealViews = ReturnType<typeof createAppealViews>;

function noticeView(notice: NoticeRow): Notice {
  return {
    ...notice,
    issuedAt: notice.issuedAt.toISOString(),
    reportDueAt: notice.reportDueAt.toISOString(),
    summons: notice.summons.map((s) => ({
      ...s,
      reportedAt: s.reportedAt?.toISOString() ?? null,
      escalatedAt: s.escalatedAt?.toISOString() ?? null,
    })),
  };
}

/**
 * The intake's triage for the area's staff (a unit the appeal was only given to has no use for
 * it): the domain, whether a person must decide, and the duplicates still open that they may see.
 */
function triageView(
  row: AppealRow & AppealAccess,
  open: { id: string; trackingCode: string; title: string; status: string; submittedAt: Date }[],
): AppealTriage | null {
  if (!row.triage || !row.inArea) return null;
  const byId = new Map(open.map((a) => [a.id, a]));
  return {
    domain: row.triage.domain,
    categories: row.triage.categories ?? [],
    needsHuman: row.triage.needsHuman,
    duplicates: row.triage.duplicates.flatMap((d) => {
      const a = byId.get(d.id);
      return a
        ? [
            {
              id: a.id,
              trackingCode: maskTrackingCode(a.trackingCode),
              title: a.title,
              status: a.status,
              submittedAt: a.submittedAt.toISOString(),
              similarity: d.similarity,
              distanceM: d.distanceM,
            },
          ]
        : [];
    }),
  };
}
