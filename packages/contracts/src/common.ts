import { type Static, type TSchema, Type } from 'typebox';

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { description: 'The one error shape of the API' },
);

/** Common error replies, so the OpenAPI document lists them for every route. */
export function errorReplies(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((status) => [status, ErrorResponse]));
}

export const STAFF_ERRORS = [400, 401, 403, 404] as const;

/** Either a bearer token or the session cookie authenticates a staff route. */
export const SECURITY: { [scheme: string]: string[] }[] = [{ bearer: [] }, { cookie: [] }];

/** A string enum with its literal types kept (TypeBox 1 `Type.Enum`). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: { description?: string } = {},
) {
  return Type.Unsafe<T[number]>(Type.Enum([...values], options));
}

/** A value or null (JSON has no undefined; the API says null for "not there"). */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The request header a human-check proof travels in. */
export const HUMAN_CHECK_HEADER = 'x-doorstep-proof';

/**
 * In `error.details.humanCheck` of a 429 from public intake: a check that a person, not a script,
 * is behind the request. The client solves `challenge` and repeats the request with the proof in
 * `header` (the same Idempotency-Key).
 */
export const HumanCheckChallengeSchema = Type.Object({
  kind: Type.Literal('proof-of-work', {
    description: 'which adapter issued it, so a client knows how to answer',
  }),
  challenge: Type.Unknown({ description: 'opaque to the server’s callers; the client solves it' }),
  header: Type.Literal(HUMAN_CHECK_HEADER),
});
export type HumanCheckChallenge = Static<typeof HumanCheckChallengeSchema>;
