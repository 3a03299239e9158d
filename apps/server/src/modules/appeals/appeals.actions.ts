import { type ActionBodies, type AppealStatus, FINAL_STATUSES } from '@doorstep/contracts';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { errors } from '../../platform/errors.ts';
import type { Journal } from '../../platform/journal/index.ts';
import {
  createWorkflow,
  refuseAccusedUnit,
  type EffectContext as WorkflowContext,
  type EffectResult as WorkflowResult,
} from '../../platform/workflow/index.ts';
import { blowWhistle, createNoticeRepository } from '../coordination/index.ts';
import { distanceM } from '../orgs/index.ts';
import { type Assignee, assignEffect, markComplexEffect } from './appeals.assignment.ts';
import { scheduleFinishTimers } from './appeals.jobs.ts';
import { notifyMergedReporters, notifyResident } from './appeals.notify.ts';
import { assignedIds } from './appeals.permits.ts';
import type { AppealDeps } from './appeals.ports.ts';
import { type AppealPatch, createAppealRepository } from './appeals.repository.ts';
import { createAppealSuggestions } from './appeals.suggestions.ts';
import { type ActionName, type AppealRecord, appealMachine, type Relation } from './appeals.transitions.ts';

type Row = AppealRecord;

type Org = { id: number; code: string; name: string; level: string; path: string };

/**
 * Read before the transaction: the neighbours' lookups (catalogue, org tree) use their own
 * handles, which must not run inside ours.
 */
interface Prepared {
  orgs: Map<number, Org>;
  category: Awaited<ReturnType<AppealDeps['categories']['findById']>>;
  district: { id: number; name: string } | undefined;
  newCategory: Awaited<ReturnType<AppealDeps['categories']['findByCode']>>;
  /** dispatch: the unit the dispatcher was offered first, if any (a different choice is a correction). */
  suggestedOrg: { id: number; name: string } | undefined;
  /** assign: the person named, looked up inside the unit that holds the work. */
  assignee: Assignee | undefined;
}

type EffectContext = WorkflowContext<Row, Prepared>;

interface EffectResult extends WorkflowResult<AppealPatch> {
  attachments?: { ids: string[]; stage: string };
}

export function createAppealActions(
  deps: AppealDeps & { db: Db; journal: Journal; clock: Clock; cipher: FieldCipher },
) {
  const { db, journal, clock } = deps;
  const suggest = createAppealSuggestions(deps);

  function targetOrg(
    actor: Actor,
    pre: Prepared,
    orgId: number,
    row: Row,
    as: 'handler' | 'co-handler' | 'summoned',
  ) {
    const org = pre.orgs.get(orgId);
    // Departments serve the whole district; any other unit must be inside the dispatcher's subtree.
    if (!org || (org.level !== 'department' && !org.path.startsWith(actor.orgPath))) {
      throw errors.unprocessable('invalid_assignee', 'this unit cannot be given the work', { orgId });
    }
    refuseAccusedUnit(row.accusedOrgPath, org, as);
    return org;
  }

  async function prepare(actor: Actor, id: string, body: Record<string, unknown>): Promise<Prepared> {
    const seen = await createAppealRepository(db).findForActor(id, actor);
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
      // recategorize: the category asked for, read before the appeal's transaction.
      newCategory:
        typeof body.categoryCode === 'string'
          ? await deps.categories.findByCode(body.categoryCode)
          : undefined,
      suggestedOrg: typeof body.orgId === 'number' ? (await suggest(actor, seen))[0]?.org : undefined,
      assignee:
        typeof body.userId === 'string' && seen.assignedOrgPath
          ? await deps.staff.findInUnit(body.userId, seen.assignedOrgPath)
          : undefined,
    };
  }

  const effects: { [K in ActionName]: (ctx: EffectContext, body: ActionBodies[K]) => Promise<EffectResult> } =
    {
      async accept({ tx, record: row, now, pre }) {
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
      async dispatch({ actor, record: row, now, pre }, body) {
        const org = targetOrg(actor, pre, body.orgId, row, 'handler');
        const helpers = (body.coHandlerIds ?? []).map((id) => targetOrg(actor, pre, id, row, 'co-handler'));
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
            // A routing correction: the dispatcher chose another unit than the first suggestion.
            // The dispatch history (appeals.suggestions.ts) learns from where the work ends up.
            ...(pre.suggestedOrg && {
              suggestedOrgId: pre.suggestedOrg.id,
              suggestedOrgName: pre.suggestedOrg.name,
              correction: pre.suggestedOrg.id !== org.id,
            }),
          },
        };
      },
      async assign({ record: row, pre }, body) {
        return assignEffect(row, pre.assignee, body);
      },
      async 'mark-complex'({ tx, record: row, now, pre }, body) {
        return markComplexEffect(deps, tx, row, pre.category?.complexFinishDays, body, now);
      },
      async claim({ actor, now }) {
        return { patch: { status: 'claimed', claimedBy: actor.userId, claimedAt: now } };
      },
      async return({ tx, record: row }, body) {
        // 问责: the second return of the same work, against the unit returning it.
        if (row.returnCount + 1 >= 2 && row.assignedOrgId && row.assignedOrgPath) {
          await deps.accountability?.record(tx, {
            appealId: row.id,
            kind: 'returned',
            orgId: row.assignedOrgId,
            orgPath: row.assignedOrgPath,
            userId: row.assignedUserId,
            detail: {
              supervised: row.supervised,
              reminderCount: row.reminderCount,
              returnCount: row.returnCount + 1,
            },
          });
        }
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
      async verify({ record: row }, body) {
        return {
          patch: { status: body.passed ? 'verified' : 'in_progress' },
          data: { passed: body.passed, note: body.note, ...onSite(row, body.position) },
          attachments: { ids: body.attachments ?? [], stage: 'verification' },
        };
      },
      async close({ now }) {
        return { patch: { status: 'closed', closedAt: now } };
      },
      async reopen({ record: row }, body) {
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
      async recategorize({ record: row, pre }, body) {
        const category = pre.newCategory;
        if (!category) {
          throw errors.unprocessable('unknown_category', 'no category has this code', {
            categoryCode: body.categoryCode,
          });
        }
        if (category.id === row.categoryId) throw errors.conflict('the appeal already has this category');
        return {
          patch: { categoryId: category.id },
          data: {
            // A correction of the intake's choice (or the reporter's): the training set's label.
            correction: true,
            from: row.categoryCode ? { code: row.categoryCode, name: row.categoryName } : null,
            to: { code: category.code, name: category.name },
            ...(body.reason ? { reason: body.reason } : {}),
          },
        };
      },
      async merge({ tx, actor, record: row }, body) {
        if (body.intoId === row.id)
          throw errors.unprocessable('invalid_merge', 'an appeal cannot be merged into itself');
        const target = await createAppealRepository(tx).findForActor(body.intoId, actor);
        if (!target?.inArea) throw errors.notFound('the appeal to merge into', { intoId: body.intoId });
        if (FINAL_STATUSES.includes(target.status)) {
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
      async 'request-extension'({ actor, record: row, now }, body) {
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
      async 'approve-extension'({ tx, record: row, now }) {
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
      async 'deny-extension'({ record: row }, body) {
        if (!row.pendingExtension) throw errors.conflict('there is no extension request to decide');
        return { patch: { pendingExtension: null }, data: { reason: body.reason ?? null } };
      },
      async whistle({ tx, actor, record: row, now, pre }, body) {
        const { level, data } = await blowWhistle(deps, tx, {
          subject: { type: 'appeal', id: row.id },
          district: pre.district,
          level: row.escalationLevel,
          reason: body.reason,
          actor,
          now,
          summoned: body.summonOrgIds.map((id) => targetOrg(actor, pre, id, row, 'summoned')),
        });
        return { patch: { escalationLevel: level }, data };
      },
      async 'report-in'({ tx, actor, record: row, now }, body) {
        const answered = await createNoticeRepository(tx).reportIn(
          { type: 'appeal', id: row.id },
          actor.orgPath,
          actor.userId,
          now,
        );
        if (answered === 0) throw errors.conflict('your unit has no open summons on this appeal');
        return { patch: {}, data: { note: body.note ?? null, orgId: actor.orgId } };
      },
      async supervise(_ctx, body) {
        return { patch: { supervised: true }, data: { note: body.note } };
      },
      async remind({ record: row }, body) {
        return { patch: { reminderCount: row.reminderCount + 1 }, data: { note: body.note ?? null } };
      },
    };

  const workflow = createWorkflow<
    ActionName,
    AppealStatus,
    Relation,
    Row,
    AppealPatch,
    Prepared,
    EffectResult
  >({
    machine: appealMachine,
    db,
    journal,
    clock,
    events: deps.events,
    prepare,
    load: (tx, id, actor) => createAppealRepository(tx).findForActor(id, actor, true),
    save: (tx, row, patch, now) => createAppealRepository(tx).update(row.id, row.version, patch, now),
    effects,
    async applied({ tx, record: row, now, action }, result) {
      const ids = result.attachments?.ids ?? [];
      if (ids.length) {
        const claimed = await deps.uploads.claimForAppeal(tx, ids, row.id);
        if (claimed.length !== ids.length) {
          throw errors.unprocessable('unknown_upload', 'an attachment is unknown, too old or already used');
        }
        await createAppealRepository(tx).addAttachments(row.id, claimed, result.attachments!.stage, now);
      }
      await notifyResident(deps, tx, row, action, result.data ?? {});
      if (action === 'dispatch' || action === 'resolve') {
        const merged = await createAppealRepository(tx).mergedRecipients(row.id);
        await notifyMergedReporters(deps, tx, row, action, result.data ?? {}, merged);
      }
      return ids.length ? { attachments: ids.length } : undefined;
    },
    event: (row, result) => ({
      type: 'appeal.updated',
      appealId: row.id,
      orgPath: row.orgPath,
      assignedOrgIds: assignedIds(result.patch, row),
    }),
  });

  return {
    /** Applies one action: check role, relation, state and version, run the effect, journal — one transaction. */
    act: workflow.act,
  };
}

/**
 * What the journal keeps of a verifier's position: the point (to about a metre), the phone's stated
 * accuracy, and how far it was from the place the resident reported — the proof a 现场核实 was on site.
 */
function onSite(
  row: { lat: number | null; lng: number | null },
  position?: ActionBodies['verify']['position'],
) {
  if (!position) return {};
  const round = (x: number) => Math.round(x * 1e5) / 1e5;
  return {
    position: { lat: round(position.lat), lng: round(position.lng), accuracyM: position.accuracyM ?? null },
    distanceM:
      row.lat === null || row.lng === null
        ? null
        : Math.round(distanceM(position, { lat: row.lat, lng: row.lng })),
  };
}
