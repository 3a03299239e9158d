import { randomInt } from 'node:crypto';
import type { DisputeActionBodies, DisputeActionName, DisputeStatus } from '@doorstep/contracts';
import type { Actor } from '../../platform/auth/actor.ts';
import { AppError, errors } from '../../platform/errors.ts';
import {
  createWorkflow,
  refuseAccusedUnit,
  type EffectContext as WorkflowContext,
  type EffectResult as WorkflowResult,
} from '../../platform/workflow/index.ts';
import { blowWhistle, createNoticeRepository } from '../coordination/index.ts';
import { codeHmac, confirmParty, createConfirmations } from './mediation.confirmation.ts';
import { scheduleDisputeTimers, schedulePaymentReminder } from './mediation.jobs.ts';
import type { MediationDeps, Unit } from './mediation.ports.ts';
import { createCaseRecords } from './mediation.records.repository.ts';
import { createDisputeRepository, type DisputePatch, type Viewer } from './mediation.repository.ts';
import { disputeMachine, type Relation } from './mediation.transitions.ts';
import {
  CONFIRM_CODE_DAYS,
  type DisputeRecord,
  JUDICIAL_CONFIRMATION_DAYS,
  MEDIATE_DAYS,
  tierOfLevel,
} from './mediation.types.ts';

const DAY_MS = 86_400_000;

/** Read before the transaction: the org tree's lookups use their own handles. */
interface Prepared {
  orgs: Map<number, Unit>;
  /** The holding unit and the units above it, the root first. */
  chain: Unit[];
}

type Ctx = WorkflowContext<DisputeRecord, Prepared>;
type Result = WorkflowResult<DisputePatch>;

export function viewerOf(actor: Actor): Viewer {
  return {
    orgPath: actor.orgPath,
    // The system actor (jobs, CLI) is nobody's mediator: the nil UUID matches no user.
    userId: actor.userId ?? '00000000-0000-0000-0000-000000000000',
    courtOnly: actor.roles.length > 0 && actor.roles.every((role) => role === 'court_liaison'),
    legalAdviser: actor.roles.includes('legal_adviser'),
  };
}

const isDate = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

export function createDisputeActions(deps: MediationDeps) {
  const { db } = deps;
  const confirmations = createConfirmations(deps);

  async function prepare(actor: Actor, id: string, body: Record<string, unknown>): Promise<Prepared> {
    const seen = await createDisputeRepository(db).findForActor(id, viewerOf(actor));
    if (!seen) throw errors.notFound('the dispute case', { id });
    const orgs = new Map<number, Unit>();
    for (const orgId of new Set((body.summonOrgIds as number[] | undefined) ?? [])) {
      const org = await deps.places.byId(orgId);
      if (org) orgs.set(orgId, org);
    }
    if (typeof body.partyId === 'string' && typeof body.code === 'string') {
      await confirmations.checkPartyCode(id, body.partyId, body.code);
    }
    return { orgs, chain: await deps.places.ancestors(seen.orgPath) };
  }

  function summonedOrg(actor: Actor, pre: Prepared, orgId: number, c: DisputeRecord): Unit {
    const org = pre.orgs.get(orgId);
    // Departments serve the whole district; any other unit must be inside the caller's subtree.
    if (!org || (org.level !== 'department' && !org.path.startsWith(actor.orgPath))) {
      throw errors.unprocessable('invalid_unit', 'this unit cannot be summoned', { orgId });
    }
    refuseAccusedUnit(c.accusedOrgPath, org, 'summoned');
    return org;
  }

  const effects: {
    [K in DisputeActionName]: (ctx: Ctx, body: DisputeActionBodies[K]) => Promise<Result>;
  } = {
    async accept({ tx, record: c, now }) {
      const mediateDueAt = new Date(now.getTime() + MEDIATE_DAYS * DAY_MS);
      await scheduleDisputeTimers(deps, tx, 'mediate', c.id, now, mediateDueAt);
      return {
        patch: { status: 'accepted', acceptedAt: now, mediateDueAt, overdue: false },
        data: { mediateDueAt: mediateDueAt.toISOString() },
      };
    },

    async assign({ tx, record: c }, body) {
      const mediator = await createCaseRecords(tx).mediator(body.mediatorId);
      const serves =
        mediator && (mediator.orgPath.startsWith(c.orgPath) || c.orgPath.startsWith(mediator.orgPath));
      if (!mediator || !mediator.active || !mediator.roles.includes('mediator') || !serves) {
        throw errors.unprocessable(
          'invalid_mediator',
          'this person is not a registered mediator for the case',
          {
            mediatorId: body.mediatorId,
          },
        );
      }
      refuseAccusedUnit(
        c.accusedOrgPath,
        { id: mediator.orgId, name: mediator.orgName, path: mediator.orgPath },
        'handler',
      );
      return {
        patch: { mediatorId: mediator.userId },
        data: { mediatorId: mediator.userId, mediatorName: mediator.displayName },
      };
    },

    async 'schedule-session'({ tx, actor, record: c, now }, body) {
      const records = createCaseRecords(tx);
      const startsAt = new Date(body.startsAt);
      if (body.roomId !== undefined) {
        const room = await records.room(body.roomId);
        if (!room || !(room.orgPath.startsWith(c.orgPath) || c.orgPath.startsWith(room.orgPath))) {
          throw errors.unprocessable('invalid_room', 'the room does not serve this case', {
            roomId: body.roomId,
          });
        }
        if (room.online !== body.online) {
          throw errors.unprocessable(
            'room_mismatch',
            room.online ? 'the room is for online sessions' : 'the room is on site',
          );
        }
        if (await records.roomClash(room.id, startsAt)) {
          throw new AppError('room_booked', 409, `${room.name} is booked within two hours of that time`, {
            roomId: room.id,
          });
        }
      }
      const sessionId = await records.insertSession({
        disputeId: c.id,
        startsAt,
        place: body.place,
        online: body.online,
        roomId: body.roomId ?? null,
        participants: body.participants ?? [],
        scheduledBy: actor.userId,
        now,
      });
      return {
        patch: { status: 'in_mediation' },
        data: {
          sessionId,
          startsAt: startsAt.toISOString(),
          online: body.online,
          roomId: body.roomId ?? null,
        },
      };
    },

    async 'record-session'({ tx, actor, record: c, now }, body) {
      const records = createCaseRecords(tx);
      const session = await records.session(c.id, body.sessionId);
      if (!session) throw errors.unprocessable('unknown_session', 'no such session of this case');
      if (session.recordedAt) throw errors.conflict('the session is already recorded');
      await records.recordSession(session.id, {
        outcome: body.outcome,
        notes: body.notes,
        attendance: body.attendance ?? [],
        by: actor.userId,
        now,
      });
      // The notes stay in the session record, seen by the mediation staff only, not in the journal.
      return { patch: {}, data: { sessionId: session.id, outcome: body.outcome } };
    },

    async escalate({ tx, record: c, now, pre }, body) {
      const tier = tierOfLevel(pre.chain.at(-1)?.level ?? 'district');
      const above = [...pre.chain]
        .reverse()
        .find(
          (unit) =>
            ['community', 'subdistrict', 'district'].includes(unit.level) &&
            unit.path !== c.orgPath &&
            (tierOfLevel(unit.level) > tier || unit.level === 'district'),
        );
      if (!above)
        throw errors.unprocessable('already_at_top', 'the case is already held by the district centre');
      const acceptDueAt = deps.calendar.addWorkingDays(now, 1);
      await scheduleDisputeTimers(deps, tx, 'accept', c.id, now, acceptDueAt);
      return {
        patch: {
          status: 'registered',
          orgId: above.id,
          orgPath: above.path,
          tier: tierOfLevel(above.level),
          mediatorId: null,
          acceptDueAt,
          overdue: false,
        },
        data: {
          reason: body.reason,
          fromOrgId: c.orgId,
          toOrgId: above.id,
          toOrgName: above.name,
          tier: tierOfLevel(above.level),
        },
      };
    },

    async whistle({ tx, actor, record: c, now, pre }, body) {
      const { level, data } = await blowWhistle(deps, tx, {
        subject: { type: 'dispute', id: c.id },
        district: pre.chain.find((unit) => unit.level === 'district'),
        level: c.escalationLevel,
        reason: body.reason,
        actor,
        now,
        summoned: body.summonOrgIds.map((id) => summonedOrg(actor, pre, id, c)),
      });
      return { patch: { escalationLevel: level }, data };
    },

    async 'report-in'({ tx, actor, record: c, now }, body) {
      const repo = createDisputeRepository(tx);
      if (body.partyId) {
        // A party who came when summoned (the employer at the table): the mediator records it.
        if (!c.isMediator) throw errors.forbidden('only the case’s mediator records a party’s attendance');
        const party = (await repo.parties(c.id)).find((p) => p.id === body.partyId);
        if (!party) throw errors.unprocessable('unknown_party', 'the party is not one of this case');
        if (party.reportedInAt) throw errors.conflict('the party has already reported in');
        await repo.updateParty(party.id, { reportedInAt: now });
        return { patch: {}, data: { partyId: party.id, partyRole: party.role, note: body.note ?? null } };
      }
      const answered = await createNoticeRepository(tx).reportIn(
        { type: 'dispute', id: c.id },
        actor.orgPath,
        actor.userId,
        now,
      );
      if (answered === 0) throw errors.conflict('your unit has no open summons on this case');
      return { patch: {}, data: { orgId: actor.orgId, note: body.note ?? null } };
    },

    async agree({ tx, actor, record: c, now }, body) {
      for (const payment of body.payments) {
        if (!isDate(payment.dueDate))
          throw errors.validation('a payment’s due date is not a date', { dueDate: payment.dueDate });
      }
      const cents = body.payments.reduce((sum, p) => sum + Math.round(p.amount * 100), 0);
      const records = createCaseRecords(tx);
      await records.insertAgreement({
        disputeId: c.id,
        terms: body.terms,
        totalAmount: cents / 100,
        by: actor.userId,
        now,
      });
      const ordered = [...body.payments].sort((a, b) => a.dueDate.localeCompare(b.dueDate));
      for (const [index, payment] of ordered.entries()) {
        const id = await records.insertPayment({
          disputeId: c.id,
          seq: index + 1,
          amount: payment.amount,
          dueDate: payment.dueDate,
        });
        await schedulePaymentReminder(deps, tx, { id, dueDate: payment.dueDate });
      }
      const codesSent = await sendConfirmationCodes(tx, c, now);
      return {
        patch: { status: 'agreed', agreedAt: now },
        data: { totalAmount: cents / 100, payments: ordered.length, codesSent },
      };
    },

    async 'confirm-agreement'({ tx, record: c, now }, body) {
      if (Boolean(body.code) === Boolean(body.signatureUploadId)) {
        throw errors.validation('confirm with either the SMS code or a signature, not both or neither');
      }
      const parties = await createDisputeRepository(tx).parties(c.id);
      const party = parties.find((p) => p.id === body.partyId);
      if (!party) throw errors.unprocessable('unknown_party', 'the party is not one of this case');
      if (party.confirmedAt) throw errors.conflict('the party has already confirmed the agreement');
      let how: Parameters<typeof confirmParty>[4] = { method: 'code' };
      if (body.signatureUploadId) {
        const claimed = await deps.uploads.claim(tx, [body.signatureUploadId], c.id);
        if (claimed.length !== 1) {
          throw errors.unprocessable(
            'unknown_upload',
            'the signature image is unknown, too old or already used',
          );
        }
        how = { method: 'signature', uploadId: claimed[0]! };
      }
      // A code was checked in prepare, where wrong tries are counted.
      const allConfirmed = await confirmParty(tx, c, parties, party, how, now);
      return {
        patch: {},
        data: {
          partyId: party.id,
          partyRole: party.role,
          method: body.code ? 'code' : 'signature',
          effective: allConfirmed,
        },
      };
    },

    async 'request-confirmation'({ tx, record: c, now }) {
      const records = createCaseRecords(tx);
      const agreement = await records.agreement(c.id);
      if (!agreement?.effectiveAt) {
        throw errors.conflict('every party must confirm the agreement before the court is asked');
      }
      if (now.getTime() - agreement.effectiveAt.getTime() > JUDICIAL_CONFIRMATION_DAYS * DAY_MS) {
        throw errors.unprocessable(
          'confirmation_window_passed',
          'judicial confirmation is applied for within 30 days of the agreement (人民调解法 第33条)',
        );
      }
      const parties = await createDisputeRepository(tx).parties(c.id);
      const sessions = await records.sessions(c.id);
      const { reference } = await deps.court.file(
        tx,
        c.id,
        {
          caseNumber: c.caseNumber,
          committee: c.orgName,
          agreement: {
            terms: agreement.terms,
            totalAmount: agreement.totalAmount,
            agreedAt: agreement.agreedAt.toISOString(),
            effectiveAt: agreement.effectiveAt.toISOString(),
          },
          parties: parties.map((p) => ({
            role: p.role,
            kind: p.kind,
            name: deps.cipher.decrypt(p.nameEnc),
            idNumber: p.idNumberEnc ? deps.cipher.decrypt(p.idNumberEnc) : null,
            creditCode: p.creditCode,
          })),
          sessions: sessions.map((s) => ({
            startsAt: s.startsAt.toISOString(),
            place: s.place,
            outcome: s.outcome,
          })),
        },
        now,
      );
      return {
        patch: { status: 'confirmation_requested', courtReference: reference, courtRequestedAt: now },
        data: { court: deps.court.name, reference },
      };
    },

    async 'record-ruling'({ tx, record: c, now }, body) {
      if (body.ruling === 'confirmed' && !body.rulingNumber) {
        throw errors.validation('a confirmation names its ruling number (裁定书文号)');
      }
      if (body.ruling === 'rejected' && !body.reason)
        throw errors.validation('a rejection gives the court’s reason');
      if (body.documentUploadId) {
        const claimed = await deps.uploads.claim(tx, [body.documentUploadId], c.id);
        if (claimed.length !== 1)
          throw errors.unprocessable(
            'unknown_upload',
            'the ruling document is unknown, too old or already used',
          );
      }
      const status: DisputeStatus = body.ruling === 'confirmed' ? 'confirmed' : 'confirmation_rejected';
      return {
        patch: {
          status,
          ruling: body.ruling,
          rulingNumber: body.rulingNumber ?? null,
          rulingReason: body.reason ?? null,
          ruledAt: now,
        },
        data: { ruling: body.ruling, rulingNumber: body.rulingNumber ?? null, reason: body.reason ?? null },
      };
    },

    async 'record-payment'({ tx, record: c, now }, body) {
      const records = createCaseRecords(tx);
      const payments = await records.payments(c.id);
      const payment = body.paymentId
        ? payments.find((p) => p.id === body.paymentId)
        : payments.find((p) => !p.paidAt);
      if (!payment)
        throw errors.unprocessable('unknown_payment', 'no unpaid payment of this agreement matches');
      if (payment.paidAt) throw errors.conflict('that payment is already paid in full');
      const remaining = Math.round(payment.amount * 100) - Math.round(payment.paidAmount * 100);
      if (Math.round(body.amount * 100) > remaining) {
        throw errors.unprocessable('overpayment', `the payment has ${remaining / 100} yuan left to pay`, {
          remaining: remaining / 100,
        });
      }
      const paidAt = new Date(body.paidAt);
      if (paidAt > now) throw errors.validation('a payment cannot be recorded before it is made');
      await records.recordPayment(payment.id, body.amount, paidAt);
      const settled = Math.round(body.amount * 100) === remaining;
      const fulfilled = settled && payments.every((p) => p.id === payment.id || p.paidAt);
      return {
        patch: fulfilled ? { status: 'fulfilled', fulfilledAt: now } : { status: c.status },
        data: {
          paymentId: payment.id,
          seq: payment.seq,
          amount: body.amount,
          paidAt: paidAt.toISOString(),
          fulfilled,
        },
      };
    },

    async fail({ now }, body) {
      return {
        patch: { status: 'failed', failureReason: body.reason, advice: body.advice, failedAt: now },
        data: { reason: body.reason, advice: body.advice },
      };
    },

    async extend({ tx, record: c }, body) {
      if (!c.mediateDueAt) throw errors.conflict('the case has no mediation deadline to extend');
      const mediateDueAt = new Date(c.mediateDueAt.getTime() + body.days * DAY_MS);
      await scheduleDisputeTimers(deps, tx, 'mediate', c.id, c.acceptedAt ?? c.registeredAt, mediateDueAt);
      return {
        patch: { mediateDueAt, extensionDays: c.extensionDays + body.days, overdue: false },
        data: { days: body.days, reason: body.reason, mediateDueAt: mediateDueAt.toISOString() },
      };
    },

    async note(_ctx, body) {
      return { patch: {}, data: { text: body.text } };
    },

    async close({ now }) {
      return { patch: { status: 'closed', closedAt: now } };
    },
  };

  /** A six-digit code per party with a phone, by SMS; only its keyed hash is kept. */
  async function sendConfirmationCodes(tx: Ctx['tx'], c: DisputeRecord, now: Date): Promise<number> {
    const repo = createDisputeRepository(tx);
    let sent = 0;
    for (const party of await repo.parties(c.id)) {
      if (!party.phoneEnc) continue;
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      await repo.updateParty(party.id, {
        confirmCodeHmac: codeHmac(deps.hmacKey, party.id, code),
        confirmCodeExpiresAt: new Date(now.getTime() + CONFIRM_CODE_DAYS * DAY_MS),
        confirmAttempts: 0,
      });
      await deps.parties.send(tx, {
        disputeId: c.id,
        to: deps.cipher.decrypt(party.phoneEnc),
        template: 'dispute.confirm_code',
        params: { caseNumber: c.caseNumber, code, days: String(CONFIRM_CODE_DAYS) },
      });
      sent++;
    }
    return sent;
  }

  const workflow = createWorkflow<
    DisputeActionName,
    DisputeStatus,
    Relation,
    DisputeRecord,
    DisputePatch,
    Prepared,
    Result
  >({
    machine: disputeMachine,
    db,
    journal: deps.journal,
    clock: deps.clock,
    events: deps.events,
    prepare,
    load: (tx, id, actor) => createDisputeRepository(tx).findForActor(id, viewerOf(actor), true),
    save: (tx, c, patch, now) => createDisputeRepository(tx).update(c.id, c.version, patch, now),
    effects,
    event: (c, result) => ({
      type: 'dispute.updated',
      disputeId: c.id,
      orgPath: typeof result.patch.orgPath === 'string' ? result.patch.orgPath : c.orgPath,
    }),
  });

  return { act: workflow.act };
}
