import type { Queryable } from '../../db/db.ts';
import { chinaMidnightOf } from '../../platform/calendar/index.ts';
import { scheduleDeadline } from '../../platform/workflow/index.ts';
import { escalateUnanswered, reportInOverdueJob } from '../coordination/index.ts';
import type { MediationDeps } from './mediation.ports.ts';
import { createCaseRecords } from './mediation.records.repository.ts';
import { createDisputeRepository } from './mediation.repository.ts';
import type { DisputeRow } from './mediation.types.ts';

interface JobCtx {
  tx: Queryable;
  now: Date;
}

type TimerDeps = Pick<MediationDeps, 'calendar' | 'jobs'>;

/**
 * A deadline of a case and its timers: `accept` (1 working day: jobs `dispute.accept_warning` and
 * `dispute.accept_overdue`) or `mediate` (30 days, extended by agreement: `dispute.mediate_…`).
 */
export function scheduleDisputeTimers(
  deps: TimerDeps,
  tx: Queryable,
  name: 'accept' | 'mediate',
  disputeId: string,
  from: Date,
  due: Date,
) {
  return scheduleDeadline(deps, tx, {
    subject: 'dispute',
    id: disputeId,
    name,
    from,
    due,
    payload: { disputeId },
  });
}

/**
 * The reminder of one instalment, set when the agreement is made: it runs when the due date (a China
 * calendar day) has passed, and does nothing if the instalment was paid by then.
 */
export function schedulePaymentReminder(
  deps: TimerDeps,
  tx: Queryable,
  payment: { id: string; dueDate: string },
) {
  return deps.jobs.enqueue(tx, {
    kind: 'dispute.payment_overdue',
    payload: { paymentId: payment.id },
    runAt: new Date(chinaMidnightOf(payment.dueDate).getTime() + 86_400_000),
    dedupeKey: `dispute-payment:${payment.id}:overdue`,
  });
}

const MEDIATING = ['accepted', 'in_mediation'];

/** Background work of the mediation module, each run inside the job's transaction. */
export function createMediationJobs(deps: Pick<MediationDeps, 'journal' | 'events' | 'calendar' | 'jobs'>) {
  const { journal } = deps;

  async function record(tx: Queryable, c: DisputeRow, action: string, data: Record<string, unknown>) {
    await journal.append(tx, {
      stream: `dispute:${c.id}`,
      action,
      subjectType: 'dispute',
      subjectId: c.id,
      data,
    });
    await deps.events.publish(tx, { type: action, disputeId: c.id, orgPath: c.orgPath });
  }

  async function update(tx: Queryable, c: DisputeRow, patch: Record<string, unknown>, now: Date) {
    if (!(await createDisputeRepository(tx).update(c.id, c.version, patch, now))) {
      throw new Error(`dispute ${c.id} changed while a timer ran; retrying`);
    }
  }

  return {
    async 'dispute.accept_warning'(payload: { disputeId: string }, { tx, now }: JobCtx) {
      const c = await createDisputeRepository(tx).findOpen(payload.disputeId);
      if (!c || c.status !== 'registered' || !c.acceptDueAt || c.acceptDueAt <= now) return;
      await record(tx, c, 'dispute.due_soon', { stage: 'accept', dueAt: c.acceptDueAt.toISOString() });
    },

    async 'dispute.accept_overdue'(payload: { disputeId: string }, { tx, now }: JobCtx) {
      const c = await createDisputeRepository(tx).findOpen(payload.disputeId);
      if (!c || c.status !== 'registered' || c.overdue || !c.acceptDueAt || c.acceptDueAt > now) return;
      await update(tx, c, { overdue: true }, now);
      await record(tx, c, 'dispute.overdue', { stage: 'accept', dueAt: c.acceptDueAt.toISOString() });
    },

    /** Three quarters of the mediation time used: the mediator and the committee are warned. */
    async 'dispute.mediate_warning'(payload: { disputeId: string }, { tx, now }: JobCtx) {
      const c = await createDisputeRepository(tx).findOpen(payload.disputeId);
      if (!c || !MEDIATING.includes(c.status) || !c.mediateDueAt || c.mediateDueAt <= now) return;
      await record(tx, c, 'dispute.due_soon', { stage: 'mediate', dueAt: c.mediateDueAt.toISOString() });
    },

    async 'dispute.mediate_overdue'(payload: { disputeId: string }, { tx, now }: JobCtx) {
      const c = await createDisputeRepository(tx).findOpen(payload.disputeId);
      // An extension moves the deadline: the timer it set decides then.
      if (!c || !MEDIATING.includes(c.status) || c.overdue || !c.mediateDueAt || c.mediateDueAt > now) return;
      await update(tx, c, { overdue: true }, now);
      await record(tx, c, 'dispute.overdue', { stage: 'mediate', dueAt: c.mediateDueAt.toISOString() });
    },

    /** An instalment past its due date and unpaid: a reminder to the case's mediator (journal + event). */
    async 'dispute.payment_overdue'(payload: { paymentId: string }, { tx, now }: JobCtx) {
      const records = createCaseRecords(tx);
      const payment = await records.paymentById(payload.paymentId);
      if (!payment || payment.paidAt) return;
      const c = await createDisputeRepository(tx).findOpen(payment.disputeId);
      if (!c || c.status === 'closed') return;
      await records.markReminded(payment.id, now);
      await record(tx, c, 'dispute.payment_overdue', {
        paymentId: payment.id,
        seq: payment.seq,
        dueDate: payment.dueDate,
        mediatorId: c.mediatorId,
      });
    },

    /** Summoned units that did not report in: the whistle goes one level up (吹哨升级). */
    async [reportInOverdueJob('dispute')](
      payload: { noticeId: string; disputeId: string },
      { tx, now }: JobCtx,
    ) {
      await escalateUnanswered(deps, tx, payload.noticeId, now, {
        subject: { type: 'dispute', id: payload.disputeId },
        load: async () => {
          const c = await createDisputeRepository(tx).findOpen(payload.disputeId);
          return c && MEDIATING.includes(c.status) ? c : undefined;
        },
        setLevel: (c, level) => update(tx, c, { escalationLevel: level }, now),
        record: (c, action, data) => record(tx, c, action, data),
      });
    },
  };
}
