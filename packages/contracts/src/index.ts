/*
 * @doorstep/contracts: the API's one contract. Each file holds the TypeBox schemas of one module's
 * routes (body, params, query, reply) with their Static<> types; the server's routes validate and
 * serialise with them, @fastify/swagger turns them into /api/openapi.json, and the web apps import
 * the types, so a change here breaks whichever side disagrees at type-check time.
 */

export * from './accountability.ts';
export * from './appeal-actions.ts';
export * from './appeals.ts';
export * from './audit.ts';
export * from './catalog.ts';
export * from './common.ts';
export * from './disputes.ts';
export * from './disputes-public.ts';
export * from './events.ts';
export * from './identity.ts';
export * from './orgs.ts';
export * from './outbox.ts';
export * from './patrols.ts';
export * from './privacy.ts';
export * from './stats.ts';
export * from './triage.ts';
export * from './uploads.ts';
export * from './visits.ts';
export * from './vocabulary.ts';
