import { type Static, Type } from 'typebox';

/**
 * One notice of `GET /api/v1/events` (server-sent events): enough for a staff screen to know what
 * to refetch, never the record itself (the client reads it through the API, where scope applies).
 */
export const StaffEventSchema = Type.Object({
  type: Type.String({ description: 'appeal.created, appeal.updated, …' }),
  orgPath: Type.String({
    description: 'path of the unit the subject belongs to, /1/7/42/: who may hear of it',
  }),
  appealId: Type.Optional(Type.String()),
  disputeId: Type.Optional(Type.String()),
  assignedOrgIds: Type.Optional(
    Type.Array(Type.Integer(), {
      description: 'units that work on the subject outside its subtree (departments it was dispatched to)',
    }),
  ),
  at: Type.String({ format: 'date-time', description: 'when it changed' }),
  sessionId: Type.Optional(
    Type.String({ description: 'session.ended only, between server processes: never sent to a client' }),
  ),
});
export type StaffEvent = Static<typeof StaffEventSchema>;
