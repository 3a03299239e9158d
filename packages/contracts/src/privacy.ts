import { type Static, Type } from 'typebox';
import { Nullable } from './common.ts';
import { PHONE_INPUT_PATTERN } from './vocabulary.ts';

/** In the body of a POST: a phone number in a URL ends up in access logs and browser history. */
export const PersonExportBody = Type.Object(
  {
    phone: Type.String({ pattern: PHONE_INPUT_PATTERN, description: 'the person’s mainland mobile number' }),
    reason: Type.String({ minLength: 2, maxLength: 200, description: 'why, e.g. 本人依法申请查阅' }),
  },
  { additionalProperties: false },
);

export const PersonExport = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  subject: Type.Object({ phone: Type.String() }),
  appeals: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      trackingCode: Type.String(),
      channel: Type.String(),
      status: Type.String(),
      category: Nullable(Type.String()),
      area: Type.String(),
      title: Nullable(Type.String()),
      content: Type.String(),
      location: Nullable(
        Type.Object({ lat: Type.Number(), lng: Type.Number(), address: Nullable(Type.String()) }),
      ),
      contact: Type.Object({ name: Nullable(Type.String()), phone: Nullable(Type.String()) }),
      rating: Nullable(Type.String()),
      ratingComment: Nullable(Type.String()),
      photoIds: Type.Array(Type.String({ format: 'uuid' })),
      submittedAt: Type.String({ format: 'date-time' }),
      closedAt: Nullable(Type.String({ format: 'date-time' })),
    }),
  ),
});
export type PersonExportView = Static<typeof PersonExport>;
