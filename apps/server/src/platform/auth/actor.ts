import type { Role } from './roles.ts';

/** The authenticated person behind a request or a CLI command. */
export interface Actor {
  /** null for the installation itself (CLI commands run by an operator on the server). */
  userId: string | null;
  username: string;
  displayName: string;
  roles: Role[];
  orgId: number;
  orgName: string;
  orgLevel: string;
  /** Materialised path of the actor's unit, '/1/7/'; the actor's scope is this subtree. */
  orgPath: string;
  sessionId: string | null;
  /**
   * A password given by the security admin (a new account, a reset) must be replaced before the
   * session reaches anything but its own session routes (the guard enforces it).
   */
  mustChangePassword?: boolean;
}

/**
 * The operator at the server's shell (the `doorstep` CLI): whole tree, journaled with no user id.
 * Roles are given per command, so a CLI command still goes through the same service rules.
 */
export function systemActor(roles: Role[]): Actor {
  return {
    userId: null,
    username: 'system',
    displayName: '系统',
    roles,
    orgId: 0,
    orgName: '',
    orgLevel: 'system',
    orgPath: '/',
    sessionId: null,
  };
}
