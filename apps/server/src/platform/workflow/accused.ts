import { AppError } from '../errors.ts';

/**
 * 信访工作条例 art. 46(5): the unit a petitioner complains about must not learn who complained —
 * and the case text, address, coordinates and answers often say exactly that. So the case is never
 * given to it: not as the handler, not as a co-handler, not by a summons. A rule of every module
 * with an accused party (appeals today; mediation and risk tomorrow), checked where units are chosen.
 */
/** Whether the unit at `orgPath` is the accused unit or part of it. */
export function withinAccusedUnit(accusedOrgPath: string | null, orgPath: string): boolean {
  return Boolean(accusedOrgPath && orgPath.startsWith(accusedOrgPath));
}

export function refuseAccusedUnit(
  accusedOrgPath: string | null,
  org: { id: number; name: string; path: string },
  as: 'handler' | 'co-handler' | 'summoned',
): void {
  if (withinAccusedUnit(accusedOrgPath, org.path)) {
    throw new AppError(
      'accused_unit',
      409,
      `${org.name} is the unit this case complains about (or part of it): it cannot be ${
        as === 'summoned' ? 'summoned to it' : `given it as ${as}`
      }`,
      { orgId: org.id, as },
    );
  }
}
