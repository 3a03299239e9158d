import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Authorizer } from '../../platform/auth/policy.ts';
import { type Clock, MINUTE_MS } from '../../platform/clock.ts';
import { errors } from '../../platform/errors.ts';
import { type Journal, SECURITY_STREAM } from '../../platform/journal/index.ts';
import { metaData, type RequestMeta } from './auth.service.ts';
import { createIdentityRepository, type OpenSessionRow } from './identity.repository.ts';

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  /** The session this request was made with. */
  current: boolean;
}

/**
 * One's own sessions, listed and ended one by one (a phone left logged in at the hall); a
 * security admin may also end another account's session within their subtree (users.manage),
 * e.g. when a device is lost. Every end is journaled.
 */
export function createSessionService(deps: {
  db: Db;
  journal: Journal;
  clock: Clock;
  authorizer: Authorizer;
  sessionIdleMinutes: number;
}) {
  const { db, journal, clock, authorizer } = deps;
  const repo = createIdentityRepository(db);

  function view(row: OpenSessionRow, currentId: string | null): SessionView {
    return {
      id: row.id,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      ip: row.ip,
      userAgent: row.userAgent,
      current: row.id === currentId,
    };
  }

  async function openOf(userId: string, currentId: string | null) {
    const now = clock.now();
    const idleSince = new Date(now.getTime() - deps.sessionIdleMinutes * MINUTE_MS);
    return (await repo.openSessions(userId, now, idleSince)).map((row) => view(row, currentId));
  }

  return {
    async listOwn(actor: Actor): Promise<SessionView[]> {
      if (!actor.userId) throw errors.unauthenticated();
      return openOf(actor.userId, actor.sessionId ?? null);
    },

    /** Another account's open sessions, for the security admin of its subtree; otherwise 404. */
    async listOf(actor: Actor, userId: string): Promise<SessionView[]> {
      const user = await repo.findInScope(userId, actor.orgPath);
      if (!user) throw errors.notFound('the user', { id: userId });
      return openOf(user.id, actor.sessionId ?? null);
    },

    /**
     * Ends a session: one's own, or — for users.manage — one of an account in one's subtree.
     * Anything else answers the same 404 as an unknown id, so ids of others' sessions leak nothing.
     */
    async revoke(actor: Actor, sessionId: string, meta: RequestMeta): Promise<void> {
      const session = await repo.openSessionById(sessionId);
      const own = session !== undefined && session !== null && session.userId === actor.userId;
      const managed =
        !!session &&
        !own &&
        authorizer.allows(actor, 'users.manage') &&
        session.orgPath.startsWith(actor.orgPath);
      if (!session || (!own && !managed)) {
        await db.transaction((tx) =>
          journal.append(tx, {
            stream: SECURITY_STREAM,
            action: 'auth.session_revoke_refused',
            actorId: actor.userId,
            actorOrgId: actor.orgId || null,
            subjectType: 'session',
            subjectId: sessionId,
            data: { ...metaData(meta), result: 'refused' },
          }),
        );
        throw errors.notFound('the session', { id: sessionId });
      }
      const now = clock.now();
      await db.transaction(async (tx) => {
        await createIdentityRepository(tx).endSession(session.id, now, own ? 'revoked' : 'revoked_by_admin');
        await journal.append(tx, {
          stream: SECURITY_STREAM,
          action: 'auth.session_revoked',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'session',
          subjectId: session.id,
          data: { ...metaData(meta), result: 'ok', userId: session.userId, own },
        });
      });
    },
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
