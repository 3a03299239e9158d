import { FINAL_STATUSES } from '@doorstep/contracts/vocabulary';
import type { Queryable } from '../../db/db.ts';

export interface NearbyAppeal {
  id: string;
  trackingCode: string;
  title: string;
  content: string;
  status: string;
  submittedAt: Date;
  lat: number;
  lng: number;
}

/** Metres per degree of latitude; a degree of longitude is this times cos(latitude). */
const METRES_PER_DEGREE = 111_320;

/** The SQL of triage: appeals still open near a place and recent enough to be the same matter. */
export function createTriageRepository(db: Queryable) {
  return {
    /**
     * Open appeals submitted since `since` inside the box around the point (the partial index
     * appeal_open_place narrows by latitude), newest first; `scopePath` limits them to a caller's
     * subtree. Intake asks before the appeal is stored, so it never finds itself.
     */
    openNear(point: { lat: number; lng: number }, radiusM: number, since: Date, scopePath: string) {
      const dLat = radiusM / METRES_PER_DEGREE;
      const dLng = radiusM / (METRES_PER_DEGREE * Math.cos((point.lat * Math.PI) / 180));
      return db.many<NearbyAppeal>(
        `SELECT id, tracking_code AS "trackingCode", title, content, status, submitted_at AS "submittedAt", lat, lng
           FROM appeal
          WHERE status <> ALL ($1::text[]) AND submitted_at >= $2
            AND lat BETWEEN $3 AND $4 AND lng BETWEEN $5 AND $6
            AND starts_with(org_path, $7)
          ORDER BY submitted_at DESC LIMIT 200`,
        [
          FINAL_STATUSES,
          since,
          point.lat - dLat,
          point.lat + dLat,
          point.lng - dLng,
          point.lng + dLng,
          scopePath,
        ],
      );
    },
  };
}

export interface ReportRow {
  id: string;
  title: string;
  /** The area the report belongs to: who may hear of an alert about it. */
  orgPath: string;
  lat: number;
  lng: number;
  phoneHmac: string | null;
  topic: string;
  submittedAt: Date;
}

/** Reports of the caller's subtree with a place, from `from` on (rejected ones do not count). */
export function createHotspotRepository(db: Queryable) {
  return {
    reportsSince: (scopePath: string, from: Date, limit: number) =>
      db.many<ReportRow>(
        `SELECT a.id, a.title, a.org_path AS "orgPath", a.lat, a.lng, a.phone_hmac AS "phoneHmac",
           a.submitted_at AS "submittedAt",
           coalesce(a.triage->'domain'->>'label', c.name, '其他') AS topic
           FROM appeal a LEFT JOIN category c ON c.id = a.category_id
          WHERE starts_with(a.org_path, $1) AND a.submitted_at >= $2 AND a.lat IS NOT NULL
            AND a.status <> 'rejected'
          ORDER BY a.submitted_at DESC LIMIT $3`,
        [scopePath, from, limit],
      ),

    /** Whether an alert for the cluster `key` was raised since `since` (one alert a day per cluster). */
    alertedSince: async (key: string, since: Date) =>
      (await db.one<{ found: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM journal WHERE stream = 'hotspots' AND action = 'hotspot.alert'
           AND data->>'key' = $1 AND at >= $2) AS found`,
        [key, since],
      ))!.found,

    /** Appeals about wages (by their words) of the subtree since `from`, for the employer sweep. */
    wageAppealsSince: (scopePath: string, from: Date) =>
      db.many<{ id: string; text: string; submittedAt: Date }>(
        `SELECT id, title || ' ' || content AS text, submitted_at AS "submittedAt" FROM appeal
          WHERE starts_with(org_path, $1) AND submitted_at >= $2 AND status <> 'rejected'
            AND (title || content) ~ '(欠薪|工资|讨薪|薪酬|工钱)'
          ORDER BY submitted_at DESC LIMIT 5000`,
        [scopePath, from],
      ),
  };
}

/** One finished appeal as a training example: its final category (after any correction). */
export interface TrainingRow {
  title: string;
  content: string;
  label: string;
  labelName: string;
  corrected: boolean;
}

/** The district's own examples for the item-level model (`doorstep triage export`). */
export function createTrainingRepository(db: Queryable) {
  return {
    finishedSince: (since: Date | null, scopePath = '/') =>
      db.many<TrainingRow>(
        `SELECT a.title, a.content, c.code AS label, c.name AS "labelName",
           EXISTS (SELECT 1 FROM journal j WHERE j.stream = 'appeal:' || a.id::text
                     AND j.action = 'appeal.recategorize') AS corrected
           FROM appeal a JOIN category c ON c.id = a.category_id
          WHERE a.status IN ('resolved', 'verified', 'closed') AND ($1::timestamptz IS NULL OR a.submitted_at >= $1)
            AND starts_with(a.org_path, $2)
          ORDER BY a.submitted_at, a.id`,
        [since, scopePath],
      ),
  };
}

/** The item models' table (`triage_model`) and the districts they are trained for. */
export function createItemModelRepository(db: Queryable) {
  return {
    active: () =>
      db.many<{ districtPath: string; version: number }>(
        'SELECT district_path AS "districtPath", version FROM triage_model WHERE active',
      ),

    stored: (districtPath: string, version: number) =>
      db.one<{ model: Uint8Array; labels: { code: string; name: string }[] }>(
        'SELECT model, labels FROM triage_model WHERE district_path = $1 AND version = $2',
        [districtPath, version],
      ),

    districts: () =>
      db.many<{ id: number; path: string; name: string }>(
        "SELECT id, path, name FROM org_unit WHERE level = 'district' ORDER BY id",
      ),

    /** Saves the district's next version as its active one; returns the version number. */
    async insertActive(m: {
      districtId: number;
      districtPath: string;
      model: Uint8Array;
      labels: { code: string; name: string }[];
      evaluation: object;
      examples: number;
      now: Date;
    }): Promise<number> {
      const version =
        ((await db.one<{ v: number | null }>(
          'SELECT max(version) AS v FROM triage_model WHERE district_id = $1',
          [m.districtId],
        ))!.v ?? 0) + 1;
      await db.query('UPDATE triage_model SET active = false WHERE district_id = $1 AND active', [
        m.districtId,
      ]);
      await db.query(
        `INSERT INTO triage_model (district_id, district_path, version, model, labels, evaluation, examples, trained_at, active)
         VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8, true)`,
        [
          m.districtId,
          m.districtPath,
          version,
          m.model,
          JSON.stringify(m.labels),
          JSON.stringify(m.evaluation),
          m.examples,
          m.now,
        ] as never,
      );
      return version;
    },
  };
}
