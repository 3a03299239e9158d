import { errors } from '../errors.ts';
import type { Actor } from './actor.ts';
import type { Role } from './roles.ts';

/**
 * Who may do what, declared as data (convention 9). Each module exports a table; app.ts merges
 * them; every route names one permission (or declares itself public), and an undeclared route
 * stops the server from starting.
 */
export interface Permission {
  roles: readonly Role[];
  description: string;
}

export type PolicyTable = Record<string, Permission>;

export function definePolicies<const T extends PolicyTable>(table: T): T {
  return table;
}

const grants = (permission: Permission, roles: readonly Role[]) =>
  roles.some((role) => permission.roles.includes(role));

export function createAuthorizer(table: PolicyTable) {
  return {
    table,
    has(name: string): boolean {
      return Object.hasOwn(table, name);
    },
    allows(actor: Actor, name: string): boolean {
      const permission = table[name];
      if (!permission) throw new Error(`unknown permission ${name}`);
      return grants(permission, actor.roles);
    },
    /** Every permission the roles grant, sorted: what a client may show the user. */
    permissionsOf(roles: readonly Role[]): string[] {
      return Object.entries(table)
        .filter(([, permission]) => grants(permission, roles))
        .map(([name]) => name)
        .sort();
    },
    assert(actor: Actor, name: string): void {
      if (!this.allows(actor, name)) {
        throw errors.forbidden('your role does not allow this', { permission: name });
      }
    },
  };
}
export type Authorizer = ReturnType<typeof createAuthorizer>;
