import { type TSchema, Type } from 'typebox';

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
