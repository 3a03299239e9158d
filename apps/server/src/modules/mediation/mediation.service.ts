import type { DisputeListQuery, NewDispute, NewParty, ReferToMediation } from '@doorstep/contracts';
import { canonicalMobile } from '@doorstep/contracts/vocabulary';
import type { Actor } from '../../platform/auth/actor.ts';
import { chinaDateOf, chinaYearOf } from '../../platform/calendar/index.ts';
import { hmacHex } from '../../platform/crypto.ts';
import { errors } from '../../platform/errors.ts';
import { journalPersonalDataView } from '../../platform/journal/index.ts';
import { keysetPage, readTimeIdCursor, timeIdCursor } from '../../platform/paging.ts';
import { type ActOptions, actThenRead, availableActions } from '../../platform/workflow/index.ts';
import { newTrackingCode } from '../appeals/index.ts';
import { createNoticeRepository } from '../coordination/index.ts';
import { createDisputeActions, viewerOf } from './mediation.actions.ts';
import { renderAgreementPdf } from './mediation.agreement-pdf.ts';
import { createMediationDirectory } from './mediation.directory.ts';
import { scheduleDisputeTimers } from './mediation.jobs.ts';
import type { MediationDeps, Unit } from './mediation.ports.ts';
import { createPublicDisputes } from './mediation.public.ts';
import { createCaseRecords } from './mediation.records.repository.ts';
import { createDisputeRepository } from './mediation.repository.ts';
import { createDisputeStats } from './mediation.stats.ts';
import { disputeMachine } from './mediation.transitions.ts';
import { ACCEPT_WORKING_DAYS, caseNumber, tierOfLevel } from './mediation.types.ts';
import { committeeName, createDisputeViews, DISPUTE_STATUS_LABELS } from './mediation.views.ts';

/** Units that may hold a case: the grid up to the district, and the centres. */
const HOLDING_LEVELS = ['grid', 'station', 'community', 'subdistrict', 'district', 'center'];

/** The parties as stored: a mainland mobile or none, the right identifier for the right kind. */
function checkParties(parties: readonly NewParty[]) {
  if (!parties.some((p) => p.role === 'applicant') || !parties.some((p) => p.role === 'respondent')) {
    throw errors.validation('a dispute has at least one applicant and one respondent');
  }
  return parties.map((p, index) => {
    if (p.kind === 'person' && p.creditCode) {
      throw errors.validation('a person has an ID number, not a credit code', { party: index });
    }
    if (p.kind === 'organisation' && p.idNumber) {
      throw errors.validation('an organisation has a credit code, not an ID number', { party: index });
    }
    const phone = p.phone ? canonicalMobile(p.phone) : null;
    if (p.phone && !phone) {
      throw errors.unprocessable('invalid_phone', 'a party’s phone is not a mainland mobile number', {
        party: index,
      });
    }
    return { ...p, phone, idNumber: p.idNumber?.toUpperCase() ?? null };
  });
}

export function createMediationService(deps: MediationDeps) {
  const { db, journal, clock, cipher } = deps;
  const repo = createDisputeRepository(db);
  const records = createCaseRecords(db);
  const views = createDisputeViews(cipher);
  const actions = createDisputeActions(deps);
  const stats = createDisputeStats(deps);
  const publicCases = createPublicDisputes(deps);
  const directory = createMediationDirectory(deps);

  /** The unit that will hold a new case: the one named, inside the caller's subtree, or the caller's own. */
  async function holdingUnit(
    actor: Actor,
    orgId: number | undefined,
  ): Promise<{ unit: Unit; chain: Unit[] }> {
    const unit = await deps.places.byId(orgId ?? actor.orgId);
    if (!unit || !unit.path.startsWith(actor.orgPath) || !HOLDING_LEVELS.includes(unit.level)) {
      throw errors.unprocessable('invalid_unit', 'this unit cannot hold a dispute case', { orgId });
    }
    return { unit, chain: await deps.places.ancestors(unit.path) };
  }

  async function create(
    actor: Actor,
    input: Omit<NewDispute, 'orgId' | 'appealId'>,
    place: { unit: Unit; chain: Unit[] },
    from?: { appealId: string; accusedOrgId: number | null; accusedOrgPath: string | null },
  ) {
    const parties = checkParties(input.parties);
    const district = place.chain.find((u) => u.level === 'district');
    if (!district) throw errors.unprocessable('no_district', 'the unit belongs to no district');
    const now = clock.now();
    const year = chinaYearOf(now);
    return db.transaction(async (tx) => {
      const cases = createDisputeRepository(tx);
      if (from && (await cases.findByAppeal(from.appealId))) {
        throw errors.conflict('the appeal is already referred to mediation', { appealId: from.appealId });
      }
      const seq = await cases.nextSeq(district.id, year);
      const number = caseNumber(district.name, year, seq);
      const acceptDueAt = deps.calendar.addWorkingDays(now, ACCEPT_WORKING_DAYS);
      const tier = tierOfLevel(place.unit.level);
      const trackingCode = newTrackingCode();
      const id = await cases.insert({
        caseNumber: number,
        trackingCode,
        districtId: district.id,
        year,
        seq,
        kind: input.kind,
        summary: input.summary,
        tier,
        orgId: place.unit.id,
        orgPath: place.unit.path,
        accusedOrgId: from?.accusedOrgId ?? null,
        accusedOrgPath: from?.accusedOrgPath ?? null,
        appealId: from?.appealId ?? null,
        amountClaimed: input.amountClaimed ?? null,
        peopleInvolved: input.peopleInvolved ?? null,
        acceptDueAt,
        registeredBy: actor.userId,
        now,
      });
      for (const [position, p] of parties.entries()) {
        await cases.insertParty({
          disputeId: id,
          position,
          role: p.role,
          kind: p.kind,
          nameEnc: cipher.encrypt(p.name),
          phoneEnc: p.phone ? cipher.encrypt(p.phone) : null,
          phoneHmac: p.phone ? hmacHex(deps.hmacKey, p.phone) : null,
          idNumberEnc: p.idNumber ? cipher.encrypt(p.idNumber) : null,
          creditCode: p.creditCode ?? null,
        });
      }
      for (const p of parties) {
        if (!p.phone) continue;
        await deps.parties.send(tx, {
          disputeId: id,
          to: p.phone,
          template: 'dispute.registered',
          params: { caseNumber: number, code: trackingCode },
        });
      }
      await scheduleDisputeTimers(deps, tx, 'accept', id, now, acceptDueAt);
      const data = {
        caseNumber: number,
        kind: input.kind,
        tier,
        orgId: place.unit.id,
        parties: parties.length,
        amountClaimed: input.amountClaimed ?? null,
        peopleInvolved: input.peopleInvolved ?? null,
        appealId: from?.appealId ?? null,
      };
      const entry = {
        actorId: actor.userId,
        actorOrgId: actor.orgId || null,
        subjectType: 'dispute',
        subjectId: id,
      };
      await journal.append(tx, { ...entry, stream: `dispute:${id}`, action: 'dispute.register', data });
      if (from) {
        // The appeal's own history says where it went; the appeal itself stays with its handler.
        await journal.append(tx, {
          ...entry,
          subjectType: 'appeal',
          subjectId: from.appealId,
          stream: `appeal:${from.appealId}`,
          action: 'appeal.refer-to-mediation',
          data: { disputeId: id, caseNumber: number },
        });
      }
      await deps.events.publish(tx, { type: 'dispute.created', disputeId: id, orgPath: place.unit.path });
      return { id, caseNumber: number, status: 'registered' as const, tier };
    });
  }

  async function detail(actor: Actor, id: string) {
    const c = await repo.findForActor(id, viewerOf(actor));
    if (!c) throw errors.notFound('the dispute case', { id });
    const [parties, sessions, agreement, payments, notices, entries] = await Promise.all([
      repo.parties(c.id),
      records.sessions(c.id),
      records.agreement(c.id),
      records.payments(c.id),
      createNoticeRepository(db).forSubject({ type: 'dispute', id: c.id }),
      journal.list(db, { stream: `dispute:${c.id}`, limit: 1000 }),
    ]);
    return views.detail(actor, c, {
      parties,
      sessions,
      agreement,
      payments,
      notices,
      journal: entries.reverse(),
      availableActions: availableActions(disputeMachine, actor, c),
      today: chinaDateOf(clock.now()),
    });
  }

  /**
   * A case is never held by the unit it complains about (信访工作条例 art. 46): when the appeal's
   * area lies within the accused unit, the case goes to the nearest unit above it that mediates.
   */
  function aboveAccused(place: { unit: Unit; chain: Unit[] }, accusedOrgPath: string | null) {
    if (!accusedOrgPath || !place.unit.path.startsWith(accusedOrgPath)) return place;
    const index = place.chain.findLastIndex(
      (u) =>
        accusedOrgPath.startsWith(u.path) && u.path !== accusedOrgPath && HOLDING_LEVELS.includes(u.level),
    );
    if (index < 0)
      throw errors.unprocessable('no_unit_above', 'no unit above the accused one can hold the case');
    return { unit: place.chain[index]!, chain: place.chain.slice(0, index + 1) };
  }

  /** An appeal of the dispute kind goes to mediation; the case is held where the appeal is. */
  async function referAppeal(actor: Actor, appealId: string, body: ReferToMediation & { summary?: string }) {
    const appeal = await deps.appeals.forReferral(actor.orgPath, appealId);
    if (!appeal) throw errors.notFound('the appeal', { id: appealId });
    if (appeal.categoryKind !== 'dispute') {
      throw errors.unprocessable('not_a_dispute', 'only an appeal of the dispute kind goes to mediation');
    }
    if (['closed', 'rejected', 'merged'].includes(appeal.status)) {
      throw errors.conflict('the appeal is already final', { status: appeal.status });
    }
    const summary = body.summary ?? `${appeal.title}\n${appeal.content}`.slice(0, 4000);
    const place = await holdingUnit(actor, appeal.orgId);
    return create(actor, { ...body, summary }, aboveAccused(place, appeal.accusedOrgPath), {
      appealId: appeal.id,
      accusedOrgId: appeal.accusedOrgId,
      accusedOrgPath: appeal.accusedOrgPath,
    });
  }

  return {
    /** A case registered at a hall or a desk (POST /api/v1/disputes), or referred from an appeal. */
    async register(actor: Actor, body: NewDispute) {
      if (body.appealId) {
        const { appealId, orgId: _, ...rest } = body;
        return referAppeal(actor, appealId, rest);
      }
      return create(actor, body, await holdingUnit(actor, body.orgId));
    },

    referAppeal,

    detail,

    /** The parties' view by the 查询码 (no login), and their confirmation with the SMS code. */
    track: publicCases.track,
    confirmByParty: publicCases.confirm,

    async list(actor: Actor, query: DisputeListQuery) {
      const limit = Math.min(query.limit ?? 50, 200);
      let after: { registeredAt: Date; id: string } | undefined;
      if (query.cursor) {
        const { at, id } = readTimeIdCursor(query.cursor);
        after = { registeredAt: at, id };
      }
      let orgPath: string | undefined;
      if (query.orgId) {
        const unit = await deps.places.byId(query.orgId);
        if (!unit) return { items: [], next: null };
        orgPath = unit.path;
      }
      const rows = await repo.list({
        viewer: viewerOf(actor),
        status: query.status,
        kind: query.kind,
        orgPath,
        mine: query.mine,
        after,
        limit: limit + 1,
      });
      const { page, next } = keysetPage(rows, limit, (last) => timeIdCursor(last.registeredAt, last.id));
      return { items: page.map(views.summary), next };
    },

    /** A case escalated to the next tier leaves the caller's area: they get its new state. */
    act: (actor: Actor, id: string, action: string, body: unknown, options: ActOptions = {}) =>
      actThenRead(
        () => actions.act(actor, id, action, body, options),
        () => detail(actor, id),
        async () => ({ ...views.summary((await repo.findById(id))!), availableActions: [] as never[] }),
      ),

    /**
     * The agreement as a PDF, with the parties in full as the document requires: for the case's
     * mediation staff and the court only (not for a summoned unit), journaled as a personal-data view.
     */
    async agreementPdf(actor: Actor, id: string) {
      const c = await repo.findForActor(id, viewerOf(actor));
      if (!c) throw errors.notFound('the dispute case', { id });
      if (!c.inArea && !c.isMediator) {
        throw errors.forbidden('the agreement is for the case’s mediation staff and the parties');
      }
      const agreement = await records.agreement(c.id);
      if (!agreement) throw errors.notFound('an agreement of this case', { disputeId: id });
      const [parties, payments] = await Promise.all([repo.parties(c.id), records.payments(c.id)]);
      await journalPersonalDataView(
        journal,
        db,
        actor,
        { type: 'dispute', id: c.id },
        {
          fields: ['parties'],
          reason: 'agreement_pdf',
        },
      );
      const pdf = await renderAgreementPdf({
        caseNumber: c.caseNumber,
        committee: committeeName(c.orgName),
        mediator: c.mediatorName,
        summary: c.summary,
        terms: agreement.terms,
        totalAmount: agreement.totalAmount,
        agreedAt: agreement.agreedAt,
        effectiveAt: agreement.effectiveAt,
        parties: parties.map((p) => ({
          role: p.role,
          kind: p.kind,
          name: cipher.decrypt(p.nameEnc),
          idNumber: p.idNumberEnc ? cipher.decrypt(p.idNumberEnc) : null,
          creditCode: p.creditCode,
          confirmedAt: p.confirmedAt,
          confirmedBy: p.confirmedBy,
        })),
        payments,
        ruling: c.ruling ? { number: c.rulingNumber, at: c.ruledAt, outcome: c.ruling } : null,
      });
      return { pdf, filename: `${c.caseNumber}.pdf` };
    },

    ...directory,

    stats: stats.figures,

    statusLabels: DISPUTE_STATUS_LABELS,
  };
}
export type MediationService = ReturnType<typeof createMediationService>;
