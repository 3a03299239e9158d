import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import { generatePassword, hashPassword } from '../../platform/auth/passwords.ts';
import { ADMIN_ROLES, type Role, roleSetProblem } from '../../platform/auth/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import { type FieldCipher, maskPhone } from '../../platform/crypto.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { type Journal, SECURITY_STREAM } from '../../platform/journal/index.ts';
import { keysetPage } from '../../platform/paging.ts';
import { passwordPolicyProblem } from '../../platform/password-policy.ts';
import type { OrgDirectory } from '../orgs/index.ts';
import { createIdentityRepository, type UserRow } from './identity.repository.ts';

export interface UserView {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  orgId: number;
  orgName: string;
  /** Masked: staff contact data is personal data too. */
  phone: string | null;
  locked: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  /** An administrator account waiting for a second administrator's approval (it cannot log in). */
  awaitingApproval: boolean;
  createdAt: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  orgId: number;
  roles: Role[];
  password?: string;
  phone?: string;
  /** Default true: an administrator chose the password, so its owner must replace it. */
  mustChangePassword?: boolean;
}

export function createUserService(deps: {
  db: Db;
  journal: Journal;
  clock: Clock;
  cipher: FieldCipher;
  orgs: OrgDirectory;
}) {
  const { db, journal, clock, cipher, orgs } = deps;
  const repo = createIdentityRepository(db);

  const view = (user: UserRow): UserView => ({
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    roles: user.roles,
    orgId: user.orgId,
    orgName: user.orgName,
    phone: user.phoneEnc ? maskPhone(cipher.decrypt(user.phoneEnc)) : null,
    locked: Boolean(user.lockedUntil && user.lockedUntil > clock.now()),
    disabled: Boolean(user.disabledAt),
    mustChangePassword: user.mustChangePassword,
    awaitingApproval: user.awaitingApprovalBy !== null,
    createdAt: user.createdAt.toISOString(),
  });

  /** An administrator role asked for by a person (not the operator at the server's shell). */
  const needsSecondApprover = (actor: Actor, roles: readonly Role[]) =>
    actor.userId !== null && roles.some((role) => ADMIN_ROLES.includes(role));

  async function mustFind(actor: Actor, id: string) {
    const user = await repo.findInScope(id, actor.orgPath);
    if (!user) throw errors.notFound('the user', { id });
    return user;
  }

  function checkRoles(roles: Role[]) {
    const problem = roleSetProblem(roles);
    if (problem) throw errors.unprocessable('invalid_roles', problem, { roles });
  }

  async function checkOrgInScope(actor: Actor, orgId: number) {
    if (!(await orgs.isInScope(orgId, actor.orgPath))) throw errors.notFound('the org unit', { orgId });
  }

  function audit(actor: Actor, action: string, subjectId: string, data: Record<string, unknown>) {
    return (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) =>
      journal.append(tx, {
        stream: SECURITY_STREAM,
        action,
        actorId: actor.userId,
        actorOrgId: actor.orgId || null,
        subjectType: 'user',
        subjectId,
        data,
      });
  }

  return {
    async list(actor: Actor, filter: { orgId?: number; role?: Role; after?: string; limit?: number }) {
      const limit = Math.min(filter.limit ?? 50, 200);
      const rows = await repo.listInScope({
        scopePath: actor.orgPath,
        orgId: filter.orgId,
        role: filter.role,
        afterUsername: filter.after,
        limit: limit + 1,
      });
      const { page, next } = keysetPage(rows, limit, (last) => last.username);
      return { items: page.map(view), next };
    },

    async get(actor: Actor, id: string) {
      return view(await mustFind(actor, id));
    },

    /** Returns the initial password only when it was generated here, so it can be handed over once. */
    async create(
      actor: Actor,
      input: NewUser,
    ): Promise<{ user: UserView; generatedPassword: string | null }> {
      checkRoles(input.roles);
      await checkOrgInScope(actor, input.orgId);
      if (!/^[a-z0-9][a-z0-9._-]{2,63}$/i.test(input.username)) {
        throw errors.validation('a username is 3–64 letters, digits, dots, dashes or underscores', {
          field: 'username',
        });
      }
      if (await repo.findByUsername(input.username)) {
        throw errors.conflict('this username is taken', { username: input.username });
      }
      // Two-person rule: an administrator account waits for a second administrator, who receives
      // its first password; its creator never knows it, so cannot be first to log in and enrol.
      const awaiting = needsSecondApprover(actor, input.roles);
      if (awaiting && input.password) {
        throw errors.unprocessable(
          'password_set_at_approval',
          'an administrator’s first password is generated when a second administrator approves the account',
        );
      }
      const generated = input.password || awaiting ? null : generatePassword();
      const password = input.password ?? generated ?? generatePassword();
      const problem = passwordPolicyProblem(password);
      if (problem) throw errors.unprocessable('weak_password', `the password is too weak: ${problem}`);
      const passwordHash = await hashPassword(password);
      const id = await db.transaction(async (tx) => {
        const newId = await createIdentityRepository(tx).insert({
          username: input.username,
          displayName: input.displayName,
          orgId: input.orgId,
          roles: input.roles,
          passwordHash,
          mustChangePassword: input.mustChangePassword ?? true,
          phoneEnc: input.phone ? cipher.encrypt(input.phone) : null,
          awaitingApprovalBy: awaiting ? actor.userId : null,
          now: clock.now(),
        });
        await audit(actor, 'user.created', newId, {
          username: input.username,
          roles: input.roles,
          orgId: input.orgId,
          ...(awaiting ? { awaitingApproval: true } : {}),
        })(tx);
        return newId;
      });
      return { user: view((await repo.findInScope(id, '/'))!), generatedPassword: generated };
    },

    async update(
      actor: Actor,
      id: string,
      changes: {
        displayName?: string;
        orgId?: number;
        roles?: Role[];
        disabled?: boolean;
        phone?: string | null;
      },
    ) {
      const user = await mustFind(actor, id);
      if (user.id === actor.userId && (changes.roles || changes.disabled !== undefined || changes.orgId)) {
        throw errors.forbidden('you cannot change your own roles, unit or status');
      }
      if (changes.roles) checkRoles(changes.roles);
      const added = changes.roles?.filter((role) => !user.roles.includes(role)) ?? [];
      if (needsSecondApprover(actor, added)) {
        throw errors.unprocessable(
          'admin_role_needs_approval',
          'an administrator role is given by creating an administrator account, which a second administrator approves',
        );
      }
      if (changes.orgId !== undefined) await checkOrgInScope(actor, changes.orgId);
      const now = clock.now();
      await db.transaction(async (tx) => {
        const txRepo = createIdentityRepository(tx);
        await txRepo.update(
          id,
          {
            displayName: changes.displayName,
            orgId: changes.orgId,
            roles: changes.roles,
            disabledAt: changes.disabled === undefined ? undefined : changes.disabled ? now : null,
            phoneEnc:
              changes.phone === undefined ? undefined : changes.phone ? cipher.encrypt(changes.phone) : null,
          },
          now,
        );
        if (changes.roles || changes.disabled || changes.orgId !== undefined) {
          await txRepo.endAllSessions(id, now, 'account_changed');
        }
        const data: Record<string, unknown> = {};
        if (changes.roles) data.roles = { from: user.roles, to: changes.roles };
        if (changes.orgId !== undefined) data.orgId = { from: user.orgId, to: changes.orgId };
        if (changes.disabled !== undefined) data.disabled = changes.disabled;
        if (changes.displayName) data.displayName = true;
        if (changes.phone !== undefined) data.phone = 'changed';
        const action = changes.roles ? 'user.roles_changed' : 'user.updated';
        await audit(actor, action, id, data)(tx);
      });
      return view((await repo.findInScope(id, '/'))!);
    },

    /**
     * The second administrator approves an administrator account: not its creator. The reply
     * carries its first password, shown once, for the approver to hand to the new administrator.
     */
    async approve(actor: Actor, id: string): Promise<{ user: UserView; generatedPassword: string }> {
      const user = await mustFind(actor, id);
      if (user.awaitingApprovalBy === null) throw errors.conflict('this account is not waiting for approval');
      if (user.awaitingApprovalBy === actor.userId) {
        throw new AppError(
          'second_approver_required',
          403,
          'an account you created is approved by another administrator',
        );
      }
      const password = generatePassword();
      const passwordHash = await hashPassword(password);
      await db.transaction(async (tx) => {
        if (!(await createIdentityRepository(tx).approve(id, passwordHash, clock.now())))
          throw errors.conflict('this account is not waiting for approval');
        await audit(actor, 'user.approved', id, {
          username: user.username,
          roles: user.roles,
          createdBy: user.awaitingApprovalBy,
        })(tx);
      });
      return { user: view((await repo.findInScope(id, '/'))!), generatedPassword: password };
    },

    async unlock(actor: Actor, id: string) {
      const user = await mustFind(actor, id);
      await db.transaction(async (tx) => {
        await createIdentityRepository(tx).clearFailures(user.id);
        await audit(actor, 'user.unlocked', user.id, {})(tx);
      });
      return view((await repo.findInScope(id, '/'))!);
    },

    /** Sets a new password (generated unless given); its owner must change it at next login. */
    async resetPassword(actor: Actor, target: { id?: string; username?: string }, password?: string) {
      const user = target.id
        ? await mustFind(actor, target.id)
        : await repo.findByUsername(target.username ?? '').then((found) => {
            if (!found?.orgPath.startsWith(actor.orgPath)) throw errors.notFound('the user', target);
            return found;
          });
      if (user.id === actor.userId)
        throw errors.forbidden('change your own password with the password change form');
      // Its first password comes with the second administrator's approval, not from a reset.
      if (user.awaitingApprovalBy !== null) throw errors.conflict('this account is waiting for approval');
      const generated = password ? null : generatePassword();
      const chosen = password ?? (generated as string);
      const problem = passwordPolicyProblem(chosen);
      if (problem) throw errors.unprocessable('weak_password', `the password is too weak: ${problem}`);
      const hash = await hashPassword(chosen);
      const now = clock.now();
      await db.transaction(async (tx) => {
        const txRepo = createIdentityRepository(tx);
        await txRepo.setPassword(user.id, hash, true, now);
        await txRepo.endAllSessions(user.id, now, 'password_reset');
        await audit(actor, 'user.password_reset', user.id, {})(tx);
      });
      return { user: view((await repo.findInScope(user.id, '/'))!), generatedPassword: generated };
    },
  };
}
export type UserService = ReturnType<typeof createUserService>;
