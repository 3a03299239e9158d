import type { Db, Queryable } from '../../db/db.ts';
import type { Clock } from '../../platform/clock.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import type { NewStaffEvent } from '../../platform/events/event-bus.ts';
import type { Journal } from '../../platform/journal/index.ts';
import type { CourtGateway } from './mediation.court.ts';

/** A unit of the org tree as mediation needs it. */
export interface Unit {
  id: number;
  code: string;
  name: string;
  level: string;
  path: string;
}

/**
 * What the mediation module needs from its neighbours, stated narrowly; services.ts adapts the
 * real org tree, calendar, jobs, events, outbox, uploads and appeals.
 */
export interface MediationDeps {
  db: Db;
  journal: Journal;
  clock: Clock;
  cipher: FieldCipher;
  /** Keys the phone HMAC and the confirmation codes' HMAC. */
  hmacKey: string;
  places: {
    byId(id: number): Promise<Unit | undefined>;
    /** The unit at `path` and every unit above it, the root first. */
    ancestors(path: string): Promise<Unit[]>;
  };
  calendar: {
    addWorkingDays(from: Date, days: number): Date;
    addWorkingMinutes(from: Date, minutes: number): Date;
    workingMinutesBetween(from: Date, to: Date): number;
  };
  jobs: {
    enqueue(
      tx: Queryable,
      job: { kind: string; payload: Record<string, unknown>; runAt?: Date; dedupeKey?: string },
    ): Promise<void>;
  };
  events: { publish(tx: Queryable, event: NewStaffEvent): Promise<void> };
  /** SMS to a party (its tracking code, the agreement's confirmation code), in the case's transaction. */
  parties: {
    send(
      tx: Queryable,
      message: {
        disputeId: string;
        to: string;
        template: 'dispute.confirm_code' | 'dispute.registered';
        params: Record<string, string>;
      },
    ): Promise<void>;
  };
  uploads: {
    /** Attaches unattached recent uploads to the case; returns the ids actually claimed. */
    claim(tx: Queryable, uploadIds: string[], disputeId: string): Promise<string[]>;
  };
  /** The appeal a case is referred from: what the case takes over, and the appeal's own move. */
  appeals: {
    forReferral(
      actorOrgPath: string,
      appealId: string,
    ): Promise<
      | {
          id: string;
          title: string;
          content: string;
          orgId: number;
          categoryKind: string | null;
          accusedOrgId: number | null;
          accusedOrgPath: string | null;
          status: string;
        }
      | undefined
    >;
  };
  court: CourtGateway;
}
