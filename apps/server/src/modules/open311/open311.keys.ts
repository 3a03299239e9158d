import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/db.ts';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { type Journal, SECURITY_STREAM } from '../../platform/journal/index.ts';
import { type ApiKeyRow, createOpen311Repository } from './open311.repository.ts';

/** What a verified key lets the routes know: who is posting, and how fast they may. */
export interface ApiKeyIdentity {
  id: string;
  name: string;
  ratePerMinute: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_PATTERN = /^[A-Za-z0-9_.~-]{16,200}$/;
const NAME_PATTERN = /^\P{Cc}{1,80}$/u;

/**
 * Generated keys carry 256 random bits, so a plain SHA-256 is as good as a keyed hash (nobody can
 * search that space) and does not tie the keys to a secret that might be rotated. The demo key is
 * chosen by the operator and must still be at least 16 characters.
 */
function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function forbidden(description: string) {
  return new AppError('open311_api_key', 403, description);
}

/** The keys partner systems post with: created by an operator, shown once, revocable. */
export function createApiKeys(deps: { db: Db; clock: Clock; journal: Journal }) {
  const { db, clock, journal } = deps;
  const repo = createOpen311Repository(db);

  const view = (row: ApiKeyRow) => ({
    id: row.id,
    name: row.name,
    prefix: row.keyPrefix,
    ratePerMinute: row.ratePerMinute,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  });

  const keys = {
    /**
     * A new key. Its value is returned here and nowhere else: only its hash is stored. `value` lets
     * the demo seed install a key the operator chose (DOORSTEP_DEMO_OPEN311_KEY).
     */
    async create(actor: Actor, input: { name: string; ratePerMinute?: number; value?: string }) {
      const name = input.name.trim();
      if (!NAME_PATTERN.test(name)) throw errors.validation('a key name is 1 to 80 characters of text');
      const ratePerMinute = input.ratePerMinute ?? 60;
      if (!Number.isInteger(ratePerMinute) || ratePerMinute < 1 || ratePerMinute > 100_000) {
        throw errors.validation('the rate limit is a whole number of requests per minute, 1 to 100000');
      }
      const key = input.value ?? `o311_${randomBytes(32).toString('base64url')}`;
      if (!KEY_PATTERN.test(key)) {
        throw errors.validation('a key is 16 to 200 characters of letters, digits and - _ . ~');
      }
      if (await repo.liveKeyByName(name)) throw errors.conflict(`a live key is already named ${name}`);
      if (await repo.keyByHash(hashKey(key))) throw errors.conflict('this key value is already in use');
      const row = await db.transaction(async (tx) => {
        const inserted = await createOpen311Repository(tx).insertKey({
          name,
          keyHash: hashKey(key),
          keyPrefix: key.slice(0, 9),
          ratePerMinute,
          now: clock.now(),
        });
        await journal.append(tx, {
          stream: SECURITY_STREAM,
          action: 'open311.key_created',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'open311_api_key',
          subjectId: inserted.id,
          data: { name, prefix: inserted.keyPrefix, ratePerMinute },
        });
        return inserted;
      });
      return { ...view(row), key };
    },

    list: async () => (await repo.keys()).map(view),

    /** Revokes the live key with this id or name; it answers 403 from the next request on. */
    async revoke(actor: Actor, idOrName: string) {
      const live = UUID.test(idOrName)
        ? await repo.liveKeyById(idOrName)
        : await repo.liveKeyByName(idOrName);
      if (!live) throw errors.notFound('a live API key with this id or name', { key: idOrName });
      const row = await db.transaction(async (tx) => {
        const revoked = await createOpen311Repository(tx).revokeKey(live.id, clock.now());
        if (!revoked) throw errors.notFound('a live API key with this id or name', { key: idOrName });
        await journal.append(tx, {
          stream: SECURITY_STREAM,
          action: 'open311.key_revoked',
          actorId: actor.userId,
          actorOrgId: actor.orgId || null,
          subjectType: 'open311_api_key',
          subjectId: revoked.id,
          data: { name: revoked.name, prefix: revoked.keyPrefix },
        });
        return revoked;
      });
      return view(row);
    },

    /** The key a request carries, or a 403 in the spec's words. */
    async verify(raw: string | null): Promise<ApiKeyIdentity> {
      if (!raw) throw forbidden("api_key was not provided -- can't proceed with create_request");
      const row = KEY_PATTERN.test(raw) ? await repo.keyByHash(hashKey(raw)) : undefined;
      if (!row || row.revokedAt)
        throw forbidden("Invalid api_key received -- can't proceed with create_request");
      await repo.touchKey(row.id, clock.now());
      return { id: row.id, name: row.name, ratePerMinute: row.ratePerMinute };
    },
  };
  return keys;
}
export type ApiKeys = ReturnType<typeof createApiKeys>;
