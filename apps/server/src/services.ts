import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { auditPolicies } from './modules/audit/audit.policy.ts';
import { createAuthService } from './modules/identity/auth.service.ts';
import { identityPolicies } from './modules/identity/identity.policy.ts';
import { createUserService } from './modules/identity/users.service.ts';
import { orgPolicies } from './modules/orgs/orgs.policy.ts';
import { createOrgService } from './modules/orgs/orgs.service.ts';
import { createAuthorizer } from './platform/auth/policy.ts';
import type { Clock } from './platform/clock.ts';
import { createFieldCipher } from './platform/crypto.ts';
import { createJournal } from './platform/journal/index.ts';
import type { Secrets } from './platform/secrets.ts';

export type ServiceSettings = Pick<
  Config,
  'sessionIdleMinutes' | 'sessionMaxHours' | 'lockoutThreshold' | 'lockoutMinutes'
>;

/**
 * The composition root shared by the HTTP server, the CLI and the tests: every service built
 * from its visible dependencies (convention 3), so all three run the same rules.
 */
export function createServices(deps: { db: Db; clock: Clock; secrets: Secrets; settings: ServiceSettings }) {
  const { db, clock, secrets, settings } = deps;
  const journal = createJournal({ clock });
  const cipher = createFieldCipher(secrets.dataKey);
  const orgs = createOrgService({ db, journal, clock });
  const auth = createAuthService({
    db,
    journal,
    clock,
    cipher,
    settings: { ...settings, sessionSecret: secrets.sessionSecret },
  });
  const users = createUserService({ db, journal, clock, cipher, orgs: orgs.directory() });
  const authorizer = createAuthorizer({ ...identityPolicies, ...orgPolicies, ...auditPolicies });
  return { db, clock, journal, cipher, orgs, auth, users, authorizer };
}
export type Services = ReturnType<typeof createServices>;
