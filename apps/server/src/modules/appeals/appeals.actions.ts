import { ACTION_BODIES, type ActionBodies } from '@doorstep/contracts';
import { Value } from 'typebox/value';
import type { Db, Queryable } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Journal } from '../../platform/journal/index.ts';
import { scheduleFinishTimers } from './appeals.jobs.ts';
import { notifyResident } from './appeals.notify.ts';
import { assignedIds, permits } from './appeals.permits.ts';
import type { AppealDeps } from './appeals.ports.ts';
import { type AppealAccess, type AppealPatch, createAppealRepository } from './appeals.repository.ts';
import { type ActionName, transitions } from './appeals.transitions.ts';
import { type AppealRow, MAX_ESCALATION } from './appeals.types.ts';
import { createNoticeRepository } from './notices.repository.ts';

type Row = AppealRow & AppealAccess;

type Org = { id: number; code: string; name: string; level: string; path: string };

/**
 * Read before the transaction: the neighbours' lookups (catalogue, org tree) use their own
 * handles, which must not run inside ours.
 */
interface Prepared {
  orgs: Map<number, Org>;
  category: Awaited<ReturnType<AppealDeps['categories']['findById']>>;
  district: { id: number; name: string } | undefined;
}

interface EffectContext {
  tx: Queryable;
  actor: Actor;
  row: Row;
  now: Date;
  pre: Prepared;
}

interface EffectResult {
  patch: AppealPatch;
  /** Journal data: no personal data, since the journal is kept for years. */
  data?: Record<string, unknown>;
  attachments?: { ids: string[]; stage: string };
}

export function createAppealActions(
  deps: AppealDeps & { db: Db; journal: Journal; clock: Clock; cipher: FieldCipher },
) {
  const { db, journal, clock } = deps;

  function targetOrg(actor: Actor, pre: Prepared, orgId: number) {
    const org = pre.orgs.get(orgId);
    // Departments serve the whole district; any other unit must be inside the dispatcher's subtree.
    if (!org || (org.level !== 'department' && !org.path.startsWith(actor.orgPath))) {
      throw errors.unprocessable('invalid_assignee', 'this unit cannot be given the work', { orgId });
    }
    return org;
  }

  async function prepare(actor: Actor, id: string, body: Record<string, unknown>): Promise<Prepared> {
    const seen = await createAppealRepository(db).findForActor(id, actor.orgPath);
    if (!seen) throw errors.notFound('the appeal', { id });
    const ids = [
      body.orgId,
      ...((body.coHandlerIds as unknown[]) ?? []),
      ...((body.summonOrgIds as unknown[]) ?? []),
    ].filter((value): value is number => typeof value === 'number');
    const orgs = new Map<number, Org>();
    for (const orgId of new Set(ids)) {
      const org = await deps.places.byId(orgId);
      if (org) orgs.set(orgId, org);
    }
    return {
      orgs,
      category: seen.categoryId ? await deps.categories.findById(seen.categoryId) : undefined,
      district: await deps.places.districtOf(seen.orgPath),
    };
  }

  const effects: { [K in ActionName]: (ctx: EffectContext, body: ActionBodies[K]) => Promise<EffectResult> } =
    {
      async accept({ tx, row, now, pre }) {
        const finishDueAt = deps.calendar.addWorkingDays(now, pre.category?.finishDays ?? 3);
        await scheduleFinishTimers(deps, tx, row.id, now, finishDueAt);
        return {
          patch: { status: 'accepted', acceptedAt: now, finishDueAt },
          data: { finishDueAt: finishDueAt.toISOString() },
        };
      },
      async reject({ now }, body) {
        return { patch: { status: 'rejected', closedAt: now }, data: { reason: body.reason } };
      },
      async dispatch({ actor, now, pre }, body) {
        const org = targetOrg(actor, pre, body.orgId);
        const helpers = (body.coHandlerIds ?? []).map((id) => targetOrg(actor, pre, id));
        return {
          patch: {
            status: 'dispatched',
            assignedOrgId: org.id,
            assignedOrgPath: org.path,
            coHandlerOrgIds: helpers.map((h) => h.id),
            claimedBy: null,
            dispatchedAt: now,
          },
          data: {
            orgId: org.id,
            orgName: org.name,
            coHandlerIds: helpers.map((h) => h.id),
            note: body.note ?? null,
          },
        };
      },
      async claim({ actor, now }) {
        return { patch: { status: 'claimed', claimedBy: actor.userId, claimedAt: now } };
      },
      async return({ row }, body) {
        return {
          patch: {
            status: 'returned',
            assignedOrgId: null,
            assignedOrgPath: null,
            claimedBy: null,
            returnCount: row.returnCount + 1,
          },
          data: { reason: body.reason, fromOrgId: row.assignedOrgId },
        };
      },
      async start() {
        return { patch: { status: 'in_progress' } };
      },
      async note(_ctx, body) {
        return {
          patch: {},
          data: { text: body.text },
          attachments: { ids: body.attachments ?? [], stage: 'handling' },
        };
      },
      async resolve({ now }, body) {
        return {
          patch: { status: 'resolved', resolvedAt: now, resolutionSummary: body.summary },
          data: { summary: body.summary },
          attachments: { ids: body.attachments ?? [], stage: 'resolution' },
        };
      },
      async verify(_ctx, body) {
        return {
          patch: { status: body.passed ? 'verified' : 'in_progress' },
          data: { passed: body.passed, note: body.note },
          attachments: { ids: body.attachments ?? [], stage: 'verification' },
        };
      },
      async close({ now }) {
        return { patch: { status: 'closed', closedAt: now } };
      },
      async reopen({ row }, body) {
        return {
          patch: {
            status: 'reopened',
            closedAt: null,
            assignedOrgId: null,
            assignedOrgPath: null,
            reopenCount: row.reopenCount + 1,
          },
          data: { reason: body.reason },
        };
      },
      async merge({ tx, actor, row }, body) {
        if (body.intoId === row.id)
          throw errors.unprocessable('invalid_merge', 'an appeal cannot be merged into itself');
        const target = await createAppealRepository(tx).findForActor(body.intoId, actor.orgPath);
        if (!target?.inArea) throw errors.notFound('the appeal to merge into', { intoId: body.intoId });
        if (['closed', 'rejected', 'merged'].includes(target.status)) {
          throw errors.unprocessable('invalid_merge', `cannot merge into an appeal that is ${target.status}`);
        }
        await journal.append(tx, {
          stream: `appeal:${target.id}`,
          action: 'appeal.merged_in',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'appeal',
          subjectId: target.id,
          data: { fromId: row.id, fromTrackingCode: row.trackingCode },
        });
        return {
          patch: { status: 'merged', mergedInto: target.id },
          data: { intoId: target.id, intoTrackingCode: target.trackingCode },
        };
      },
      async 'request-extension'({ actor, row, now }, body) {
        if (row.pendingExtension)
          throw errors.conflict('an extension request is already waiting for a decision');
        if (row.finishDueAt && now >= row.finishDueAt) {
          throw errors.unprocessable(
            'extension_too_late',
            'an extension must be requested before the deadline',
            {
              finishDueAt: row.finishDueAt.toISOString(),
            },
          );
        }
        return {
          patch: {
            pendingExtension: {
              workingDays: body.workingDays,
              reason: body.reason,
              requestedAt: now.toISOString(),
              requestedBy: actor.userId,
            },
          },
          data: { workingDays: body.workingDays, reason: body.reason },
        };
      },
      async 'approve-extension'({ tx, row, now }) {
        const pending = row.pendingExtension;
        if (!pending)
          throw errors.conflict('there is no extension request to decide', { code: 'no_pending_extension' });
        const base = row.finishDueAt ?? now;
        const finishDueAt = deps.calendar.addWorkingDays(base, pending.workingDays);
        await scheduleFinishTimers(deps, tx, row.id, row.acceptedAt ?? now, finishDueAt);
        return {
          patch: {
            pendingExtension: null,
            extensionDays: row.extensionDays + pending.workingDays,
            finishDueAt,
            overdue: finishDueAt <= now,
          },
          data: { workingDays: pending.workingDays, finishDueAt: finishDueAt.toISOString() },
        };
      },
      async 'deny-extension'({ row }, body) {
        if (!row.pendingExtension) throw errors.conflict('there is no extension request to decide');
        return { patch: { pendingExtension: null }, data: { reason: body.reason ?? null } };
      },
      async whistle({ tx, actor, row, now, pre }, body) {
        if (row.escalationLevel >= MAX_ESCALATION) {
          throw errors.unprocessable(
            'already_at_top',
            'the appeal is already escalated to the district leaders',
          );
        }
        const summoned = body.summonOrgIds.map((id) => targetOrg(actor, pre, id));
        const district = pre.district;
        if (!district) throw errors.unprocessable('no_district', 'the appeal’s area belongs to no district');
        const notices = createNoticeRepository(tx);
        const year = Number(
          new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now),
        );
        const seq = await notices.nextSeq(district.id, year);
        const number = `${district.name.replace(/(新区|区)$/, '')}-协调-${year}-${String(seq).padStart(6, '0')}`;
        const level = row.escalationLevel + 1;
        const reportDueAt = deps.calendar.addWorkingDays(now, 1);
        const noticeId = await notices.insert({
          number,
          districtId: district.id,
          year,
          seq,
          appealId: row.id,
          level,
          reason: body.reason,
          issuedBy: actor.userId,
          issuedByOrgId: actor.orgId || null,
          issuedAt: now,
          reportDueAt,
          summoned: summoned.map((org) => ({ id: org.id, path: org.path })),
        });
        await deps.jobs.enqueue(tx, {
          kind: 'notice.report_in_overdue',
          payload: { noticeId, appealId: row.id },
          runAt: reportDueAt,
          dedupeKey: `notice:${noticeId}:report_in_overdue`,
        });
        return {
          patch: { escalationLevel: level },
          data: {
            noticeId,
            number,
            level,
            reason: body.reason,
            summoned: summoned.map((o) => ({ id: o.id, name: o.name })),
          },
        };
      },
      async 'report-in'({ tx, actor, row, now }, body) {
        const answered = await createNoticeRepository(tx).reportIn(row.id, actor.orgPath, actor.userId, now);
        if (answered === 0) throw errors.conflict('your unit has no open summons on this appeal');
        return { patch: {}, data: { note: body.note ?? null, orgId: actor.orgId } };
      },
      async supervise(_ctx, body) {
        return { patch: { supervised: true }, data: { note: body.note } };
      },
      async remind({ row }, body) {
        return { patch: { reminderCount: row.reminderCount + 1 }, data: { note: body.note ?? null } };
      },
    };

  return {
    /** Applies one action: check role, relation, state and version, run the effect, journal — one transaction. */
    async act(actor: Actor, id: string, action: string, body: unknown, expectedVersion?: number) {
      if (!Object.hasOwn(transitions, action)) {
        throw new AppError('unknown_action', 404, `there is no action “${action}”`, {
          actions: Object.keys(transitions),
        });
      }
      const name = action as ActionName;
      const schema = ACTION_BODIES[name];
      const input = body ?? {};
      if (!Value.Check(schema, input)) {
        const issues = [...Value.Errors(schema, input)]
          .slice(0, 10)
          .map((e) => ({ path: e.instancePath || '/', message: e.message }));
        throw errors.validation(`the body of “${name}” is not valid`, { issues });
      }
      const pre = await prepare(actor, id, input as Record<string, unknown>);
      return db.transaction(async (tx) => {
        const repo = createAppealRepository(tx);
        const row = await repo.findForActor(id, actor.orgPath, true);
        if (!row) throw errors.notFound('the appeal', { id });
        const refused = permits(actor, row, name);
        if (refused) throw refused;
        if (expectedVersion !== undefined && expectedVersion !== row.version) {
          throw new AppError(
            'version_conflict',
            409,
            'someone changed this appeal first; reload and try again',
            {
              expected: expectedVersion,
              current: row.version,
            },
          );
        }
        const now = clock.now();
        const result = await (effects[name] as (ctx: EffectContext, body: unknown) => Promise<EffectResult>)(
          { tx, actor, row, now, pre },
          input,
        );
        const ok = await repo.update(row.id, row.version, result.patch, now);
        if (!ok)
          throw new AppError(
            'version_conflict',
            409,
            'someone changed this appeal first; reload and try again',
          );
        if (result.attachments?.ids.length) {
          const claimed = await deps.uploads.claimForAppeal(tx, result.attachments.ids, row.id);
          if (claimed.length !== result.attachments.ids.length) {
            throw errors.unprocessable('unknown_upload', 'an attachment is unknown, too old or already used');
          }
          await repo.addAttachments(row.id, claimed, result.attachments.stage, now);
        }
        const status = (result.patch.status as string | undefined) ?? row.status;
        await journal.append(tx, {
          stream: `appeal:${row.id}`,
          action: `appeal.${name}`,
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'appeal',
          subjectId: row.id,
          data: {
            from: row.status,
            to: status,
            ...result.data,
            ...(result.attachments?.ids.length ? { attachments: result.attachments.ids.length } : {}),
          },
        });
        await notifyResident(deps, tx, row, name, result.data ?? {});
        await deps.events.publish(tx, {
          type: 'appeal.updated',
          appealId: row.id,
          orgPath: row.orgPath,
          assignedOrgIds: assignedIds(result.patch, row),
        });
        return row.id;
      });
    },
  };
}
