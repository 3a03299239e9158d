import { type Static, Type } from 'typebox';

const Reason = Type.String({ minLength: 1, maxLength: 2000 });
const UploadIds = Type.Array(Type.String({ format: 'uuid' }), { maxItems: 9 });
const OrgId = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Empty = Type.Object({}, { additionalProperties: false });
/** Where the verifier stood, from the phone's positioning (WGS-84), with its stated accuracy. */
const OnSitePosition = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lng: Type.Number({ minimum: -180, maximum: 180 }),
    accuracyM: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

/** The body each action takes; validated in the service so the CLI and jobs get the same checks. */
export const ACTION_BODIES = {
  accept: Empty,
  reject: Type.Object({ reason: Reason }, { additionalProperties: false }),
  dispatch: Type.Object(
    {
      orgId: OrgId,
      coHandlerIds: Type.Optional(Type.Array(OrgId, { maxItems: 10 })),
      note: Type.Optional(Type.String({ maxLength: 2000 })),
    },
    { additionalProperties: false },
  ),
  /** 指派: the holding unit's desk names the worker who does it (a handler of that unit or below). */
  assign: Type.Object({ userId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
  claim: Empty,
  return: Type.Object({ reason: Reason }, { additionalProperties: false }),
  start: Empty,
  note: Type.Object({ text: Reason, attachments: Type.Optional(UploadIds) }, { additionalProperties: false }),
  resolve: Type.Object(
    { summary: Reason, attachments: Type.Optional(UploadIds) },
    { additionalProperties: false },
  ),
  verify: Type.Object(
    {
      passed: Type.Boolean(),
      note: Type.String({ maxLength: 2000 }),
      attachments: Type.Optional(UploadIds),
      /** 现场核实: where the verifier was; the journal keeps it with the distance to the reported place. */
      position: Type.Optional(OnSitePosition),
    },
    { additionalProperties: false },
  ),
  close: Empty,
  reopen: Type.Object({ reason: Reason }, { additionalProperties: false }),
  merge: Type.Object({ intoId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
  /** The dispatcher's correction of the category (改类): the next training set learns from it. */
  recategorize: Type.Object(
    { categoryCode: Type.String({ minLength: 1, maxLength: 40 }), reason: Type.Optional(Reason) },
    { additionalProperties: false },
  ),
  /** 复杂疑难: the finish deadline becomes the item's complexFinishDays from acceptance. */
  'mark-complex': Type.Object({ reason: Reason }, { additionalProperties: false }),
  'request-extension': Type.Object(
    { workingDays: Type.Integer({ minimum: 1, maximum: 30 }), reason: Reason },
    { additionalProperties: false },
  ),
  'approve-extension': Empty,
  'deny-extension': Type.Object({ reason: Type.Optional(Reason) }, { additionalProperties: false }),
  whistle: Type.Object(
    // uniqueItems: one summons per unit and notice (a repeated id would hit the table's key).
    { reason: Reason, summonOrgIds: Type.Array(OrgId, { minItems: 1, maxItems: 10, uniqueItems: true }) },
    { additionalProperties: false },
  ),
  'report-in': Type.Object(
    { note: Type.Optional(Type.String({ maxLength: 2000 })) },
    { additionalProperties: false },
  ),
  supervise: Type.Object({ note: Reason }, { additionalProperties: false }),
  remind: Type.Object(
    { note: Type.Optional(Type.String({ maxLength: 2000 })) },
    { additionalProperties: false },
  ),
} as const;

export type ActionBodies = { [K in keyof typeof ACTION_BODIES]: Static<(typeof ACTION_BODIES)[K]> };

export type ActionName = keyof typeof ACTION_BODIES;
/** Every action of the appeal machine, in the order of the workflow. */
export const ACTION_NAMES = Object.keys(ACTION_BODIES) as ActionName[];
