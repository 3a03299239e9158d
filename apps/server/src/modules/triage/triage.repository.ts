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
     * subtree, `except` leaves out the appeal being triaged.
     */
    openNear(
      point: { lat: number; lng: number },
      radiusM: number,
      since: Date,
      scopePath: string,
      except?: string,
    ) {
      const dLat = radiusM / METRES_PER_DEGREE;
      const dLng = radiusM / (METRES_PER_DEGREE * Math.cos((point.lat * Math.PI) / 180));
      return db.many<NearbyAppeal>(
        `SELECT id, tracking_code AS "trackingCode", title, content, status, submitted_at AS "submittedAt", lat, lng
           FROM appeal
          WHERE status <> ALL ($1::text[]) AND submitted_at >= $2
            AND lat BETWEEN $3 AND $4 AND lng BETWEEN $5 AND $6
            AND starts_with(org_path, $7) AND id <> coalesce($8::uuid, '00000000-0000-0000-0000-000000000000')
          ORDER BY submitted_at DESC LIMIT 200`,
        [
          FINAL_STATUSES,
          since,
          point.lat - dLat,
          point.lat + dLat,
          point.lng - dLng,
          point.lng + dLng,
          scopePath,
          except ?? null,
        ],
      );
    },
  };
}
