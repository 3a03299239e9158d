import type { Readable } from 'node:stream';
import type { Queryable } from '../../db/db.ts';
import type { ExtraField } from '../catalog/index.ts';
import type { UploadView } from '../uploads/index.ts';
import type { StoredTriage } from './appeals.types.ts';

/**
 * What the appeals module needs from its neighbours, stated narrowly so each side can change
 * behind it. services.ts adapts the real catalog, orgs, calendar, uploads, jobs and events.
 */
/** A staff member as the appeals module needs one: to name them for a piece of work (指派). */
export interface StaffMember {
  id: string;
  name: string;
  orgName: string;
  roles: readonly string[];
  active: boolean;
}

export interface CategoryInfo {
  id: number;
  code: string;
  name: string;
  kind: string;
  urgency: string;
  acceptDays: number;
  finishDays: number;
  complexFinishDays: number;
  /** The item's questions: the answers (`attributes`) are checked against them at intake. */
  extraFields: readonly ExtraField[];
}

/** A unit of the org tree as intake needs it. */
export interface Place {
  id: number;
  code: string;
  name: string;
  level: string;
  path: string;
}

export interface AppealDeps {
  /** 自动派单 (DOORSTEP_AUTO_DISPATCH): the platform accepts and dispatches what is certain. Off when absent. */
  autoDispatch?: boolean;
  /**
   * Triage at intake (modules/triage): the domain, whether a person must decide, and the open
   * appeals the text may repeat near the pin. Optional: without it appeals are taken in as before.
   */
  triage?: {
    forIntake(
      text: { title?: string; content: string },
      point: { lat: number; lng: number } | undefined,
      /** The area the appeal goes to: its district's item model, if any, suggests categories. */
      areaPath: string,
    ): Promise<StoredTriage>;
    /**
     * The place's units for a dispatcher: the domain's departments (when a confident domain is
     * given), the grid, stations nearby with their distance, the station, community, subdistrict.
     */
    routesFor(
      areaPath: string,
      point: { lat: number; lng: number } | undefined,
      domain: { label: string; confidence: number } | null,
    ): Promise<{ orgId: number; name: string; reason: string }[]>;
  };
  categories: {
    findByCode(code: string): Promise<CategoryInfo | undefined>;
    findById(id: number): Promise<CategoryInfo | undefined>;
    /** Departments that could handle the item in the area (path), the rule's choice first. */
    responsible(
      categoryId: number,
      areaPath: string,
    ): Promise<
      { department: { id: number; name: string }; reason: string; rule: 'area_override' | 'competence' }[]
    >;
  };
  places: {
    /** The smallest units containing a point: grid (if any) and the area the appeal belongs to. */
    locate(
      lng: number,
      lat: number,
    ): Promise<{ gridId: number | null; stationId: number | null; area: Place } | null>;
    stationByCode(code: string): Promise<Place | undefined>;
    /** Where an appeal goes when nothing else decides: the district dispatcher's unit. */
    fallbackArea(): Promise<Place>;
    byId(id: number): Promise<Place | undefined>;
    /** The district that holds a unit (numbering of coordination notices). */
    districtOf(path: string): Promise<{ id: number; name: string; path: string } | undefined>;
  };
  calendar: {
    addWorkingDays(from: Date, days: number): Date;
    addWorkingMinutes(from: Date, minutes: number): Date;
    workingMinutesBetween(from: Date, to: Date): number;
  };
  uploads: {
    /** Attaches unattached recent uploads to the appeal; returns the ids actually claimed. */
    claimForAppeal(tx: Queryable, uploadIds: string[], appealId: string): Promise<string[]>;
    /** A photo the appeal holds, its bytes (404 when the appeal holds no such image). */
    openAttachedImage(uploadId: string, appealId: string): Promise<{ upload: UploadView; body: Readable }>;
  };
  /** 问责 (modules/accountability): overdue and repeatedly returned work, in the appeal's transaction. */
  accountability?: {
    record(
      tx: Queryable,
      entry: {
        appealId: string;
        kind: 'overdue' | 'returned';
        orgId: number;
        orgPath: string;
        userId: string | null;
        detail: { dueAt?: string | null; supervised: boolean; reminderCount: number; returnCount?: number };
      },
    ): Promise<void>;
  };
  patrols?: {
    /** The person's open patrol, if any: a finding they report is linked to it. */
    openOf(userId: string): Promise<string | undefined>;
    /** A patrol's positions in time order, for the desk reading the finding. */
    track(patrolId: string): Promise<{ lat: number; lng: number }[]>;
  };
  /**
   * Who is on patrol now in a scope, with their newest position (modules/patrols): a critical
   * appeal alerts the nearest. Optional: without it no one is alerted.
   */
  onDuty?(
    scopePath: string,
  ): Promise<{ userId: string; orgId: number; lat: number; lng: number; at: Date }[]>;
  staff: {
    /** A staff member inside the unit at `unitPath` or below it (指派 names only such a person). */
    findInUnit(userId: string, unitPath: string): Promise<StaffMember | undefined>;
    /** The people of the unit at `unitPath` and below (those the desk may name). */
    listInUnit(unitPath: string): Promise<StaffMember[]>;
  };
  jobs: {
    enqueue(
      tx: Queryable,
      job: { kind: string; payload: Record<string, unknown>; runAt?: Date; dedupeKey?: string },
    ): Promise<void>;
  };
  /** Messages to the resident (SMS/WeChat), written inside the appeal's transaction. */
  residents: {
    send(
      tx: Queryable,
      message: {
        appealId: string;
        channel: 'sms';
        to: string;
        template: string;
        params: Record<string, string>;
      },
    ): Promise<void>;
  };
  events: {
    publish(
      tx: Queryable,
      event: { type: string; appealId: string; orgPath: string; assignedOrgIds?: number[] },
    ): Promise<void>;
  };
}
