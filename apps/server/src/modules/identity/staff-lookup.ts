import type { Queryable } from '../../db/db.ts';
import { createIdentityRepository, type UserRow } from './identity.repository.ts';

/**
 * A staff member inside the unit at `unitPath` or below it, as other modules need to name one
 * (指派 gives an appeal to a person of the unit holding it): never someone outside that unit.
 */
export async function findStaffInUnit(db: Queryable, userId: string, unitPath: string) {
  const user = await createIdentityRepository(db).findInScope(userId, unitPath);
  return user ? staffOf(user) : undefined;
}

/** The people of the unit at `unitPath` and below (at most 200), by username. */
export async function listStaffInUnit(db: Queryable, unitPath: string) {
  const users = await createIdentityRepository(db).listInScope({ scopePath: unitPath, limit: 200 });
  return users.map(staffOf);
}

function staffOf(user: UserRow) {
  return {
    id: user.id,
    name: user.displayName,
    orgName: user.orgName,
    roles: user.roles as readonly string[],
    active: user.disabledAt === null && user.awaitingApprovalBy === null,
  };
}
