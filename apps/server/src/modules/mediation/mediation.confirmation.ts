import type { Queryable } from '../../db/db.ts';
import { hmacHex, safeEqual } from '../../platform/crypto.ts';
import { errors } from '../../platform/errors.ts';
import type { MediationDeps } from './mediation.ports.ts';
import { createCaseRecords } from './mediation.records.repository.ts';
import { createDisputeRepository } from './mediation.repository.ts';
import { CONFIRM_CODE_ATTEMPTS, type DisputeRow, type PartyRow } from './mediation.types.ts';

/*
 * A party's confirmation of the agreement (人民调解法 art. 29: the agreement binds once the parties
 * sign or confirm it): with the SMS code it received, told to the mediator at the table or typed
 * into the resident app, or with a signature captured on the hall's tablet. The last confirmation
 * makes the agreement effective, which starts the 30 days for judicial confirmation.
 */

/** A confirmation code's keyed hash, bound to its party: a code is good for one party only. */
export function codeHmac(hmacKey: string, partyId: string, code: string): string {
  return hmacHex(hmacKey, `dispute-confirm:${partyId}:${code}`);
}

/** A party that may still confirm with the code it was sent. */
export const waitingForCode = (party: PartyRow, now: Date) =>
  !party.confirmedAt &&
  party.confirmCodeHmac !== null &&
  party.confirmCodeExpiresAt !== null &&
  party.confirmCodeExpiresAt >= now &&
  party.confirmAttempts < CONFIRM_CODE_ATTEMPTS;

/** Records one party's confirmation in the caller's transaction; true when it made the agreement effective. */
export async function confirmParty(
  tx: Queryable,
  c: { id: string },
  parties: PartyRow[],
  party: PartyRow,
  how: { method: 'code' } | { method: 'signature'; uploadId: string },
  now: Date,
): Promise<boolean> {
  const repo = createDisputeRepository(tx);
  if (how.method === 'signature') {
    await repo.updateParty(party.id, {
      confirmedAt: now,
      confirmedBy: 'signature',
      signatureUploadId: how.uploadId,
    });
  } else {
    await repo.updateParty(party.id, { confirmedAt: now, confirmedBy: 'code', confirmCodeHmac: null });
  }
  const effective = parties.every((p) => p.id === party.id || p.confirmedAt);
  if (effective) await createCaseRecords(tx).makeEffective(c.id, now);
  return effective;
}

export function createConfirmations(
  deps: Pick<MediationDeps, 'db' | 'clock' | 'hmacKey' | 'journal' | 'events'>,
) {
  const { db, clock } = deps;

  /** A wrong code counts against the party even though the action fails: in its own transaction. */
  const countWrong = (ids: string[]) =>
    db.transaction(async (tx) => {
      const repo = createDisputeRepository(tx);
      for (const id of ids) await repo.incrementAttempts(id);
    });

  return {
    /**
     * The mediator types in the code a party reads out: checked before the case's transaction,
     * so that a wrong one is counted (mediation.actions.ts calls this from `prepare`).
     */
    async checkPartyCode(disputeId: string, partyId: string, code: string) {
      const party = (await createDisputeRepository(db).parties(disputeId)).find((p) => p.id === partyId);
      if (!party)
        throw errors.unprocessable('unknown_party', 'the party is not one of this case', { partyId });
      if (party.confirmedAt) return;
      const now = clock.now();
      if (!party.confirmCodeHmac || !party.confirmCodeExpiresAt || party.confirmCodeExpiresAt < now) {
        throw errors.unprocessable('code_expired', 'the confirmation code has expired or was never sent');
      }
      if (party.confirmAttempts >= CONFIRM_CODE_ATTEMPTS) {
        throw errors.unprocessable(
          'too_many_attempts',
          'too many wrong codes: the mediator must agree the terms again',
        );
      }
      if (!safeEqual(codeHmac(deps.hmacKey, partyId, code), party.confirmCodeHmac)) {
        await countWrong([partyId]);
        throw errors.unprocessable('wrong_code', 'the confirmation code is not the one sent to this party', {
          attemptsLeft: CONFIRM_CODE_ATTEMPTS - party.confirmAttempts - 1,
        });
      }
    },

    /**
     * A party confirms in the resident app with its tracking code and the SMS code: the code says
     * which party it is. A wrong code counts against every party still waiting with a live code,
     * so guessing ends after CONFIRM_CODE_ATTEMPTS tries on the case.
     */
    async confirmByResident(c: DisputeRow, code: string) {
      const now = clock.now();
      if (c.status !== 'agreed') throw errors.conflict('there is no agreement waiting for confirmation');
      const waiting = (await createDisputeRepository(db).parties(c.id)).filter((p) => waitingForCode(p, now));
      const party = waiting.find((p) => safeEqual(codeHmac(deps.hmacKey, p.id, code), p.confirmCodeHmac!));
      if (!party) {
        if (waiting.length) await countWrong(waiting.map((p) => p.id));
        throw errors.unprocessable('wrong_code', 'the confirmation code is wrong, expired or already used');
      }
      await db.transaction(async (tx) => {
        const repo = createDisputeRepository(tx);
        const locked = await repo.findByTrackingCode(c.trackingCode!, true);
        const parties = await repo.parties(c.id);
        const fresh = parties.find((p) => p.id === party.id);
        if (!locked || locked.status !== 'agreed' || !fresh || fresh.confirmedAt) {
          throw errors.conflict('the agreement changed; open the case again');
        }
        const effective = await confirmParty(tx, c, parties, fresh, { method: 'code' }, now);
        if (!(await repo.update(c.id, locked.version, {}, now)))
          throw errors.conflict('the case changed; try again');
        await deps.journal.append(tx, {
          stream: `dispute:${c.id}`,
          action: 'dispute.confirm-agreement',
          subjectType: 'dispute',
          subjectId: c.id,
          data: { partyId: party.id, partyRole: party.role, method: 'code', channel: 'resident', effective },
        });
        await deps.events.publish(tx, { type: 'dispute.updated', disputeId: c.id, orgPath: c.orgPath });
      });
      return party;
    },
  };
}
