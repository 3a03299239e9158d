import type { Queryable } from '../../db/db.ts';

export interface VisitRow {
  id: string;
  appealId: string;
  orgId: number;
  orgPath: string;
  orgName: string;
  orgPhone: string | null;
  groupSize: number;
  repeatVisit: boolean;
  groupVisit: boolean;
  idChecked: boolean;
  receivedBy: string;
  proxyUserId: string | null;
  createdAt: Date;
}

const COLUMNS = `v.id, v.appeal_id AS "appealId", v.org_id AS "orgId", v.org_path AS "orgPath", o.name AS "orgName",
  o.properties->>'phone' AS "orgPhone", v.group_size AS "groupSize", v.repeat_visit AS "repeatVisit", v.group_visit AS "groupVisit",
  v.id_checked AS "idChecked", v.received_by AS "receivedBy", v.proxy_user_id AS "proxyUserId", v.created_at AS "createdAt"`;

export function createVisitRepository(db: Queryable) {
  return {
    insert: (visit: {
      id: string;
      appealId: string;
      orgId: number;
      orgPath: string;
      phoneHmac: string;
      groupSize: number;
      declaredFirstVisit: boolean | null;
      repeatVisit: boolean;
      groupVisit: boolean;
      idChecked: boolean;
      receivedBy: string;
      proxyUserId: string | null;
      now: Date;
    }) =>
      db.query(
        `INSERT INTO visit (id, appeal_id, org_id, org_path, phone_hmac, group_size, declared_first_visit,
           repeat_visit, group_visit, id_checked, received_by, proxy_user_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          visit.id,
          visit.appealId,
          visit.orgId,
          visit.orgPath,
          visit.phoneHmac,
          visit.groupSize,
          visit.declaredFirstVisit,
          visit.repeatVisit,
          visit.groupVisit,
          visit.idChecked,
          visit.receivedBy,
          visit.proxyUserId,
          visit.now,
        ],
      ),

    /** A visit within the viewer's area (the hall is in their subtree), else undefined. */
    findInScope: (id: string, scopePath: string) =>
      db.one<VisitRow>(
        `SELECT ${COLUMNS} FROM visit v JOIN org_unit o ON o.id = v.org_id
         WHERE v.id = $1 AND starts_with(v.org_path, $2)`,
        [id, scopePath],
      ),

    findByAppeal: (appealId: string) =>
      db.one<VisitRow>(
        `SELECT ${COLUMNS} FROM visit v JOIN org_unit o ON o.id = v.org_id WHERE v.appeal_id = $1`,
        [appealId],
      ),
  };
}
