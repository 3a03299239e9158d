import type { Db } from '../../db/db.ts';
import type { Journal } from '../../platform/journal/index.ts';

/** A unit of the org tree as triage needs it. */
export interface Place {
  id: number;
  name: string;
  level: string;
  path: string;
}

/**
 * What triage needs from its neighbours, stated narrowly; services.ts adapts the org tree and the
 * catalogue.
 */
export interface TriageDeps {
  db: Db;
  journal: Journal;
  clock: { now(): Date };
  settings: {
    /** Below this top confidence a person decides (DOORSTEP_TRIAGE_THRESHOLD). */
    threshold: number;
    duplicateRadiusM: number;
    duplicateDays: number;
  };
  places: {
    /** The smallest unit holding the point, if any. */
    locate(lng: number, lat: number): Promise<{ area: Place } | null>;
    /** A station by its code, with where it stands. */
    stationByCode(code: string): Promise<(Place & { lat: number | null; lng: number | null }) | undefined>;
    /** The unit at `path` and every unit above it, the root first. */
    ancestors(path: string): Promise<Place[]>;
    /** Stations within `radiusM`, nearest first. */
    stationsNear(lng: number, lat: number, radiusM: number): Promise<{ station: Place; distanceM: number }[]>;
    /** The department of a district whose competences include `competence`. */
    departmentFor(districtPath: string, competence: string): Promise<Omit<Place, 'path'> | undefined>;
  };
}
