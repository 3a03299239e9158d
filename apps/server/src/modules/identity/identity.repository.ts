import type { Queryable } from '../../db/db.ts';
import type { Role } from '../../platform/auth/roles.ts';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  orgId: number;
  orgName: string;
  orgLevel: string;
  orgPath: string;
  roles: Role[];
  passwordHash: string;
  passwordChangedAt: Date;
  mustChangePassword: boolean;
  failedLogins: number;
  lockedUntil: Date | null;
  disabledAt: Date | null;
  phoneEnc: string | null;
  totpSecretEnc: string | null;
  /** The TOTP step of the last accepted code: a code of this step or earlier is not taken again. */
  totpLastStep: number | null;
  /** The creator of an administrator account still waiting for a second administrator's approval. */
  awaitingApprovalBy: string | null;
  createdAt: Date;
}

export interface SessionRow {
  sessionId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
}

export interface OpenSessionRow {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

const USER_COLUMNS = `u.id, u.username, u.display_name AS "displayName", u.org_id AS "orgId", o.name AS "orgName",
  o.level AS "orgLevel", o.path AS "orgPath", u.roles, u.password_hash AS "passwordHash",
  u.password_changed_at AS "passwordChangedAt", u.must_change_password AS "mustChangePassword",
  u.failed_logins AS "failedLogins", u.locked_until AS "lockedUntil", u.disabled_at AS "disabledAt",
  u.phone_enc AS "phoneEnc", u.totp_secret_enc AS "totpSecretEnc", u.totp_last_step::float8 AS "totpLastStep",
  u.awaiting_approval_by AS "awaitingApprovalBy",
  u.created_at AS "createdAt"`;
const USER_FROM = 'app_user u JOIN org_unit o ON o.id = u.org_id';

export function createIdentityRepository(db: Queryable) {
  return {
    findByUsername: (username: string) =>
      db.one<UserRow>(`SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE lower(u.username) = lower($1)`, [
        username,
      ]),

    /** Scoped: a user outside the actor's subtree is simply not found. */
    findInScope: (id: string, scopePath: string) =>
      db.one<UserRow>(
        `SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE u.id = $1 AND starts_with(o.path, $2)`,
        [id, scopePath],
      ),

    listInScope: (filter: {
      scopePath: string;
      orgId?: number;
      role?: Role;
      afterUsername?: string;
      limit: number;
    }) => {
      const params: unknown[] = [filter.scopePath];
      const where = ['starts_with(o.path, $1)'];
      if (filter.orgId !== undefined) {
        params.push(filter.orgId);
        where.push(`u.org_id = $${params.length}`);
      }
      if (filter.role) {
        params.push(filter.role);
        where.push(`$${params.length} = ANY (u.roles)`);
      }
      if (filter.afterUsername) {
        params.push(filter.afterUsername);
        where.push(`lower(u.username) > lower($${params.length})`);
      }
      params.push(filter.limit);
      return db.many<UserRow>(
        `SELECT ${USER_COLUMNS} FROM ${USER_FROM} WHERE ${where.join(' AND ')}
         ORDER BY lower(u.username) LIMIT $${params.length}`,
        params as never,
      );
    },

    insert: async (user: {
      username: string;
      displayName: string;
      orgId: number;
      roles: Role[];
      passwordHash: string;
      mustChangePassword: boolean;
      phoneEnc: string | null;
      awaitingApprovalBy?: string | null;
      now: Date;
    }) => {
      const row = await db.one<{ id: string }>(
        `INSERT INTO app_user (username, display_name, org_id, roles, password_hash, must_change_password, phone_enc,
           password_changed_at, created_at, updated_at, awaiting_approval_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $9) RETURNING id`,
        [
          user.username,
          user.displayName,
          user.orgId,
          user.roles,
          user.passwordHash,
          user.mustChangePassword,
          user.phoneEnc,
          user.now,
          user.awaitingApprovalBy ?? null,
        ],
      );
      return row!.id;
    },

    /** Ends the wait: the approved account gets its first password (to be changed at first login). */
    approve: async (id: string, passwordHash: string, now: Date) => {
      const row = await db.one<{ id: string }>(
        `UPDATE app_user SET awaiting_approval_by = NULL, password_hash = $2, must_change_password = true,
           password_changed_at = $3, updated_at = $3
         WHERE id = $1 AND awaiting_approval_by IS NOT NULL RETURNING id`,
        [id, passwordHash, now],
      );
      return row !== undefined;
    },

    update: (
      id: string,
      changes: {
        displayName?: string;
        orgId?: number;
        roles?: Role[];
        disabledAt?: Date | null;
        phoneEnc?: string | null;
      },
      now: Date,
    ) =>
      db.query(
        `UPDATE app_user SET
           display_name = COALESCE($2, display_name),
           org_id = COALESCE($3, org_id),
           roles = COALESCE($4, roles),
           disabled_at = CASE WHEN $5::boolean THEN $6::timestamptz ELSE disabled_at END,
           phone_enc = CASE WHEN $7::boolean THEN $8 ELSE phone_enc END,
           updated_at = $9
         WHERE id = $1`,
        [
          id,
          changes.displayName ?? null,
          changes.orgId ?? null,
          changes.roles ?? null,
          changes.disabledAt !== undefined,
          changes.disabledAt ?? null,
          changes.phoneEnc !== undefined,
          changes.phoneEnc ?? null,
          now,
        ],
      ),

    setPassword: (id: string, passwordHash: string, mustChange: boolean, now: Date) =>
      db.query(
        `UPDATE app_user SET password_hash = $2, must_change_password = $3, password_changed_at = $4,
           failed_logins = 0, locked_until = NULL, updated_at = $4 WHERE id = $1`,
        [id, passwordHash, mustChange, now],
      ),

    /**
     * Counts a failure atomically; a lock that has run out starts a fresh count. Returns the new
     * count and lock, so concurrent wrong guesses cannot slip past the threshold.
     */
    recordFailure: (id: string, now: Date, threshold: number, lockUntil: Date) =>
      db.one<{ failedLogins: number; lockedUntil: Date | null }>(
        `UPDATE app_user SET
           failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 THEN 1 ELSE failed_logins + 1 END,
           locked_until = CASE
             WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 THEN 1 ELSE failed_logins + 1 END) >= $3
               THEN $4::timestamptz
             ELSE NULL END
         WHERE id = $1
         RETURNING failed_logins AS "failedLogins", locked_until AS "lockedUntil"`,
        [id, now, threshold, lockUntil],
      ),

    clearFailures: (id: string) =>
      db.query('UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = $1', [id]),

    insertSession: async (session: {
      tokenHash: string;
      userId: string;
      now: Date;
      expiresAt: Date;
      ip: string | null;
      userAgent: string | null;
    }) => {
      const row = await db.one<{ id: string }>(
        `INSERT INTO user_session (token_hash, user_id, created_at, last_seen_at, expires_at, ip, user_agent)
         VALUES ($1, $2, $3, $3, $4, $5, $6) RETURNING id`,
        [session.tokenHash, session.userId, session.now, session.expiresAt, session.ip, session.userAgent],
      );
      return row!.id;
    },

    findSession: (tokenHash: string) =>
      db.one<SessionRow & UserRow>(
        `SELECT s.id AS "sessionId", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt",
           s.expires_at AS "expiresAt", s.ended_at AS "endedAt", ${USER_COLUMNS.replace('u.created_at AS "createdAt"', 'u.created_at AS "userCreatedAt"')}
         FROM user_session s JOIN app_user u ON u.id = s.user_id JOIN org_unit o ON o.id = u.org_id
         WHERE s.token_hash = $1`,
        [tokenHash],
      ),

    touchSession: (sessionId: string, now: Date) =>
      db.query('UPDATE user_session SET last_seen_at = $2 WHERE id = $1 AND ended_at IS NULL', [
        sessionId,
        now,
      ]),

    endSession: (sessionId: string, now: Date, reason: string) =>
      db.query(
        'UPDATE user_session SET ended_at = $2, ended_reason = $3 WHERE id = $1 AND ended_at IS NULL',
        [sessionId, now, reason],
      ),

    setPendingOtp: (id: string, secretEnc: string) =>
      db.query('UPDATE app_user SET totp_pending_enc = $2 WHERE id = $1', [id, secretEnc]),

    pendingOtp: async (id: string) =>
      (
        await db.one<{ pending: string | null }>(
          'SELECT totp_pending_enc AS pending FROM app_user WHERE id = $1',
          [id],
        )
      )?.pending ?? null,

    /**
     * Records a TOTP step as used, only if it is later than the last one: false when a concurrent
     * login took this code first (so one code opens one session).
     */
    async useOtpStep(id: string, step: number): Promise<boolean> {
      const row = await db.one<{ id: string }>(
        `UPDATE app_user SET totp_last_step = $2
         WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
        [id, step],
      );
      return row !== undefined;
    },

    activateOtp: (id: string) =>
      db.query(
        'UPDATE app_user SET totp_secret_enc = totp_pending_enc, totp_pending_enc = NULL WHERE id = $1',
        [id],
      ),

    /** A user's open sessions (not ended, not past their lifetime, not idled out), newest first. */
    openSessions: (userId: string, now: Date, idleSince: Date) =>
      db.many<OpenSessionRow>(
        `SELECT s.id, s.user_id AS "userId", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt",
           s.expires_at AS "expiresAt", s.ip, s.user_agent AS "userAgent"
         FROM user_session s
         WHERE s.user_id = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3
         ORDER BY s.created_at DESC, s.id`,
        [userId, now, idleSince],
      ),

    /** One open session with its owner's unit, for deciding who may end it. */
    openSessionById: (id: string) =>
      db.one<OpenSessionRow & { orgId: number; orgPath: string; username: string }>(
        `SELECT s.id, s.user_id AS "userId", s.created_at AS "createdAt", s.last_seen_at AS "lastSeenAt",
           s.expires_at AS "expiresAt", s.ip, s.user_agent AS "userAgent",
           u.org_id AS "orgId", o.path AS "orgPath", u.username
         FROM user_session s JOIN app_user u ON u.id = s.user_id JOIN org_unit o ON o.id = u.org_id
         WHERE s.id = $1 AND s.ended_at IS NULL`,
        [id],
      ),

    /** Installs an active secret directly (demo seed, operator CLI): no pending step. */
    setOtpSecret: (id: string, secretEnc: string) =>
      db.query('UPDATE app_user SET totp_secret_enc = $2, totp_pending_enc = NULL WHERE id = $1', [
        id,
        secretEnc,
      ]),

    endAllSessions: (userId: string, now: Date, reason: string, exceptSessionId: string | null = null) =>
      db.query(
        `UPDATE user_session SET ended_at = $2, ended_reason = $3
         WHERE user_id = $1 AND ended_at IS NULL AND ($4::uuid IS NULL OR id <> $4::uuid)`,
        [userId, now, reason, exceptSessionId],
      ),
  };
}
export type IdentityRepository = ReturnType<typeof createIdentityRepository>;
