import type { AppealSuggestions } from '@doorstep/contracts';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { chinaDateOf } from '../../platform/calendar/index.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { type Journal, journalPersonalDataView } from '../../platform/journal/index.ts';
import { keysetPage, readTimeIdCursor, timeIdCursor } from '../../platform/paging.ts';
import { type ActOptions, actThenRead } from '../../platform/workflow/index.ts';
import { createNoticeRepository, renderNotice } from '../coordination/index.ts';
import { createAppealActions } from './appeals.actions.ts';
import { createAppealAlerts } from './appeals.alerts.ts';
import { canBeAssigned } from './appeals.assignment.ts';
import { createAutoDispatch } from './appeals.auto-dispatch.ts';
import { createAppealExport, type ExportFormat } from './appeals.export.ts';
import { createAppealInbox } from './appeals.inbox.ts';
import { createAppealIntake } from './appeals.intake.ts';
import { STATUS_LABELS } from './appeals.labels.ts';
import { permits } from './appeals.permits.ts';
import type { AppealDeps } from './appeals.ports.ts';
import { type AppealListFilter, COUNT_CAP, createAppealRepository } from './appeals.repository.ts';
import { createAppealSuggestions } from './appeals.suggestions.ts';
import type { AppealStatus, Rating } from './appeals.types.ts';
import { createAppealViews, isAccusedUnit } from './appeals.views.ts';
import { maskTrackingCode, normaliseTrackingCode, ratingTokenMatches } from './tracking-code.ts';

export function createAppealService(
  deps: AppealDeps & { db: Db; journal: Journal; clock: Clock; cipher: FieldCipher; hmacKey: string },
) {
  const { db, journal, clock } = deps;
  const repo = createAppealRepository(db);
  const notices = createNoticeRepository(db);
  const views = createAppealViews(deps.cipher);
  const inbox = createAppealInbox({ db, clock, views });
  const intake = createAppealIntake(deps);
  const actions = createAppealActions(deps);
  const alerts = createAppealAlerts(deps);
  const autoDispatch = createAutoDispatch(
    { ...deps, enabled: deps.autoDispatch ?? false },
    (actor, id, action, body) => actions.act(actor, id, action, body),
  );
  const exportFile = createAppealExport({ db, journal });
  const suggest = createAppealSuggestions(deps);

  async function detail(actor: Actor, id: string, reveal?: { reason: string }) {
    const row = await repo.findForActor(id, actor);
    if (!row) throw errors.notFound('the appeal', { id });
    if (reveal) {
      if (isAccusedUnit(actor, row)) {
        throw errors.forbidden(
          'the reporter’s identity is withheld from the unit the appeal is about (信访工作条例 第46条)',
        );
      }
      await journalPersonalDataView(
        journal,
        db,
        actor,
        { type: 'appeal', id: row.id },
        {
          fields: ['contact'],
          reason: reveal.reason,
        },
      );
    }
    const [entries, attachments, noticeRows, mergedChildren, duplicates, category, track] = await Promise.all(
      [
        journal.list(db, { stream: `appeal:${row.id}`, limit: 1000 }),
        repo.attachments(row.id),
        notices.forSubject({ type: 'appeal', id: row.id }),
        repo.mergedChildren(row.id),
        row.triage?.duplicates.length && row.inArea
          ? repo.openInScope(
              row.triage.duplicates.map((d) => d.id),
              actor.orgPath,
            )
          : [],
        row.categoryId ? deps.categories.findById(row.categoryId) : undefined,
        row.patrolId && deps.patrols ? deps.patrols.track(row.patrolId) : undefined,
      ],
    );
    const names = await repo.actorNames(
      [...new Set(entries.map((e) => e.actorId).filter((v): v is string => v !== null))],
      [...new Set(entries.map((e) => e.actorOrgId).filter((v): v is number => v !== null))],
    );
    return views.detail(actor, row, {
      questions: category?.extraFields ?? [],
      names: {
        users: new Map(names.users.map((u) => [u.id, u.name])),
        orgs: new Map(names.orgs.map((o) => [o.id, o.name])),
      },
      mode: reveal ? 'full' : 'masked',
      journal: entries.reverse(),
      attachments,
      notices: noticeRows,
      mergedChildren,
      duplicates,
      patrol:
        row.patrolId && track
          ? { id: row.patrolId, track: track.map((p) => [p.lat, p.lng] as [number, number]) }
          : null,
    });
  }

  async function list(
    actor: Actor,
    filter: Omit<AppealListFilter, 'scopePath' | 'after' | 'limit'> & {
      cursor?: string;
      limit?: number;
      /** Finish deadline within 24 hours of the injected clock (the inbox uses the same rule). */
      dueSoon?: boolean;
      /** Count the matches too (first page only). */
      count?: boolean;
      /** Only what was named for the caller (指派). */
      mine?: boolean;
    },
  ) {
    const limit = Math.min(filter.limit ?? 50, 200);
    const after = filter.cursor ? readTimeIdCursor(filter.cursor) : undefined;
    const { cursor: _, dueSoon, count, mine, ...rest } = filter;
    // A caller with no user (a job) has nothing named for it: an id no row holds.
    if (mine) rest.assignedUserId = actor.userId ?? '00000000-0000-0000-0000-000000000000';
    if (dueSoon) rest.dueBefore = new Date(clock.now().getTime() + 24 * 3600_000);
    const scoped = { ...rest, scopePath: actor.orgPath, viewerUserId: actor.userId };
    const [rows, counted] = await Promise.all([
      repo.list({ ...scoped, after, limit: limit + 1 }),
      // Asked for, the total comes with the first page; later pages do not count again.
      count && !after ? repo.count(scoped) : undefined,
    ]);
    const { page, next } = keysetPage(rows, limit, (last) =>
      timeIdCursor(rest.sort === 'due' ? last.finishDueAt! : last.submittedAt, last.id),
    );
    return {
      items: page.map((row) => views.summary(actor, row)),
      next,
      total:
        counted === undefined ? null : { count: Math.min(counted, COUNT_CAP), capped: counted > COUNT_CAP },
    };
  }

  return {
    /** Intake, then 自动派单 when the district turned it on and the unit is certain. */
    async submit(...args: Parameters<typeof intake.submit>) {
      const result = await intake.submit(...args);
      if (!result.replayed) {
        await autoDispatch(result.id);
        await alerts.alertNearest(result.id);
      }
      return result;
    },

    /**
     * What the mediation module takes over when an appeal of the actor's area is referred to it
     * (its text, area and accused unit); undefined when the appeal is not in the actor's area.
     */
    async forReferral(orgPath: string, id: string) {
      const row = await repo.findForActor(id, { orgPath, userId: null });
      if (!row?.inArea) return undefined;
      const category = row.categoryId ? await deps.categories.findById(row.categoryId) : undefined;
      return {
        id: row.id,
        title: row.title,
        content: row.content,
        orgId: row.orgId,
        categoryKind: category?.kind ?? null,
        accusedOrgId: row.accusedOrgId,
        accusedOrgPath: row.accusedOrgPath,
        status: row.status,
      };
    },

    /**
     * The receipt. The rating token goes only to a resident filing for themselves: when staff file
     * on a resident's behalf (hotline, hall), the resident gets it by SMS and the clerk never sees it.
     */
    async submittedView(id: string, options: { forResident: boolean }) {
      const row = await repo.findById(id);
      if (!row) throw errors.notFound('the appeal', { id });
      return {
        id: row.id,
        trackingCode: row.trackingCode,
        ratingToken:
          options.forResident && row.ratingTokenEnc ? deps.cipher.decrypt(row.ratingTokenEnc) : null,
        status: row.status,
        statusLabel: STATUS_LABELS[row.status],
        submittedAt: row.submittedAt.toISOString(),
        acceptDueAt: row.acceptDueAt?.toISOString() ?? null,
      };
    },
    detail,
    list,

    /**
     * What this phone (by its HMAC) raised before in the caller's area, newest first: a reception
     * desk sees at once that a visitor has come before (重访). Codes masked, as staff see them.
     */
    async earlierByPhone(actor: Actor, phoneHmac: string) {
      const rows = await repo.byPhoneHmac(phoneHmac, actor.orgPath, 20);
      return rows.map((row) => ({
        id: row.id,
        trackingCode: maskTrackingCode(row.trackingCode),
        title: row.title,
        status: row.status,
        statusLabel: STATUS_LABELS[row.status],
        submittedAt: row.submittedAt.toISOString(),
      }));
    },

    /** What a visit's receipt needs of its appeal: the code in full (the receipt is the resident's). */
    async brief(id: string) {
      const row = await repo.findById(id);
      if (!row) throw errors.notFound('the appeal', { id });
      return {
        trackingCode: row.trackingCode,
        title: row.title,
        categoryName: row.categoryName,
        acceptDueAt: row.acceptDueAt,
      };
    },

    /** The list under the same filters as a CSV file (appeals.export.ts), journaled. */
    async exportList(
      actor: Actor,
      filter: Omit<Parameters<typeof list>[1], 'cursor' | 'limit'>,
      format: ExportFormat = 'csv',
    ) {
      const file = await exportFile(
        actor,
        { ...filter },
        (cursor) => list(actor, { ...filter, cursor, limit: 200 }),
        format,
      );
      return { ...file, filename: `appeals-${chinaDateOf(clock.now())}.${format}` };
    },

    /** A unit that returns its work no longer sees the appeal: it gets the new state. */
    act: (actor: Actor, id: string, action: string, body: unknown, options: ActOptions = {}) =>
      actThenRead(
        () => actions.act(actor, id, action, body, options),
        () => detail(actor, id),
        async () => ({
          ...views.summary(actor, (await repo.findById(id))!),
          availableActions: [] as never[],
        }),
      ),

    /**
     * A result photo for the resident: one the handler attached when resolving (stage
     * `resolution`) to the appeal of this tracking code. The resident's own submission photos and
     * the staff's working photos stay staff-only: every other id is the same 404.
     */
    async trackPhoto(code: string, uploadId: string) {
      const row = await repo.findByTrackingCode(normaliseTrackingCode(code));
      if (!row) throw errors.notFound('an appeal with this tracking code');
      const shown = (await repo.attachments(row.id)).some(
        (a) => a.uploadId === uploadId && a.stage === 'resolution',
      );
      if (!shown) throw errors.notFound('the photo');
      return deps.uploads.openAttachedImage(uploadId, row.id);
    },

    async track(code: string) {
      const row = await repo.findByTrackingCode(normaliseTrackingCode(code));
      if (!row) throw errors.notFound('an appeal with this tracking code');
      const [entries, attachments] = await Promise.all([
        journal.list(db, { stream: `appeal:${row.id}`, limit: 1000 }),
        repo.attachments(row.id),
      ]);
      const survivor = row.mergedInto ? await repo.findById(row.mergedInto) : undefined;
      // What the surviving case went through since this one joined it (its `merged_in` entry).
      const theirs = survivor
        ? (await journal.list(db, { stream: `appeal:${survivor.id}`, limit: 1000 })).reverse()
        : [];
      const joined = theirs.findIndex((e) => e.action === 'appeal.merged_in' && e.data.fromId === row.id);
      const followed = joined >= 0 ? theirs.slice(joined + 1) : [];
      return views.publicView(row, entries.reverse(), attachments, survivor?.trackingCode ?? null, followed);
    },

    /**
     * The resident's rating, proven by the rating token only the resident holds (the tracking code
     * alone is seen by every unit handling the case). Unsatisfied goes back to the dispatcher, who
     * decides on re-handling.
     */
    async rate(code: string, input: { score: Rating; comment?: string; ratingToken: string }) {
      await db.transaction(async (tx) => {
        const txRepo = createAppealRepository(tx);
        const row = await txRepo.findByTrackingCode(normaliseTrackingCode(code));
        if (!row) throw errors.notFound('an appeal with this tracking code');
        // Checked before the state: a code holder without the token learns nothing more here.
        if (
          !row.ratingTokenEnc ||
          !ratingTokenMatches(input.ratingToken, deps.cipher.decrypt(row.ratingTokenEnc))
        )
          throw new AppError('invalid_rating_token', 403, 'the rating code does not match this appeal');
        if (!['resolved', 'verified', 'closed'].includes(row.status)) {
          throw new AppError('not_ready_for_rating', 409, 'an appeal can be rated once it is resolved', {
            status: row.status,
          });
        }
        if (row.rating) throw new AppError('already_rated', 409, 'this appeal has been rated');
        const now = clock.now();
        const unsatisfied = input.score === 'unsatisfied';
        const status: AppealStatus = unsatisfied
          ? 'reopened'
          : row.status === 'verified'
            ? 'closed'
            : row.status;
        const ok = await txRepo.update(
          row.id,
          row.version,
          {
            rating: input.score,
            ratingComment: input.comment ?? null,
            ratedAt: now,
            status,
            ...(status === 'closed' && row.status !== 'closed' ? { closedAt: now } : {}),
            ...(unsatisfied
              ? {
                  reopenCount: row.reopenCount + 1,
                  closedAt: null,
                  assignedOrgId: null,
                  assignedOrgPath: null,
                }
              : {}),
          },
          now,
        );
        if (!ok) throw new AppError('version_conflict', 409, 'the appeal changed meanwhile; try again');
        await journal.append(tx, {
          stream: `appeal:${row.id}`,
          action: 'appeal.rated',
          subjectType: 'appeal',
          subjectId: row.id,
          // Who rated: the holder of the resident's token, not a staff session (none is used here).
          data: {
            score: input.score,
            comment: input.comment ?? null,
            from: row.status,
            to: status,
            by: 'resident_token',
          },
        });
        await deps.events.publish(tx, { type: 'appeal.updated', appealId: row.id, orgPath: row.orgPath });
      });
      return this.track(code);
    },

    /** The printable coordination notice, for anyone who may see its appeal (summoned units too). */
    async printNotice(actor: Actor, noticeId: string) {
      const notice = await notices.byId(noticeId);
      const row = notice ? await repo.findForActor(notice.appealId, actor) : undefined;
      if (!notice || !row) throw errors.notFound('the coordination notice', { noticeId });
      const full = (await notices.forSubject({ type: 'appeal', id: row.id })).find((n) => n.id === noticeId)!;
      return renderNotice(full, {
        trackingCode: maskTrackingCode(row.trackingCode),
        title: row.title,
        content: row.content,
        areaName: row.orgName,
        categoryName: row.categoryName,
      });
    },

    /**
     * The people the holding unit's desk may name for the work (指派): active handlers of the
     * unit given the work and below it. Only for a caller who may assign on this appeal now.
     */
    async assignees(actor: Actor, id: string) {
      const row = await repo.findForActor(id, actor, false);
      if (!row) throw errors.notFound('the appeal', { id });
      if (permits(actor, row, 'assign') || !row.assignedOrgPath) {
        throw new AppError('action_not_allowed', 403, 'you may not name a person for this appeal now');
      }
      const people = await deps.staff.listInUnit(row.assignedOrgPath);
      return {
        items: people
          .filter(canBeAssigned)
          .map((p) => ({ id: p.id, name: p.name, orgName: p.orgName, current: p.id === row.assignedUserId })),
      };
    },

    /** A critical appeal's alert: the first walker to answer takes it; then they say when they are there. */
    acknowledgeAlert: alerts.acknowledge,
    arriveAlert: alerts.arrive,

    /** The units a dispatcher is offered, each with its reason (appeals.suggestions.ts). */
    async suggestions(actor: Actor, id: string): Promise<AppealSuggestions> {
      const row = await repo.findForActor(id, actor);
      if (!row) throw errors.notFound('the appeal', { id });
      return { items: await suggest(actor, row) };
    },

    /** What the caller must do now (appeals.inbox.ts). */
    inbox: (actor: Actor) => inbox(actor, { list, alerts }),
  };
}
export type AppealService = ReturnType<typeof createAppealService>;
