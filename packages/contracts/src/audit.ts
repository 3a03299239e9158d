import { type Static, Type } from 'typebox';
import { Nullable } from './common.ts';

/** The sections of the security report, in the order the console shows them. */
export const AUDIT_REPORT_SECTIONS = [
  'logins',
  'loginFailures',
  'lockouts',
  'otpFailures',
  'sessionRevocations',
  'exports',
  'personalDataViews',
] as const;
export type AuditReportSection = (typeof AUDIT_REPORT_SECTIONS)[number];

/** Rows listed per section; the count is always exact. */
export const AUDIT_REPORT_LIST_LIMIT = 200;

export const VerifyReply = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('broken')]),
  entries: Type.Integer(),
  streams: Type.Integer(),
  brokenCount: Type.Optional(Type.Integer()),
  firstBroken: Type.Optional(
    Type.Object({ id: Type.Integer(), stream: Type.String(), seq: Type.Integer(), reason: Type.String() }),
  ),
});

export const EntryQuery = Type.Object(
  {
    stream: Type.Optional(Type.String({ maxLength: 100 })),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'cursor: entries with a smaller id' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const JournalEntry = Type.Object({
  id: Type.Integer(),
  stream: Type.String(),
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorOrgId: Type.Union([Type.Integer(), Type.Null()]),
  action: Type.String(),
  subjectType: Type.Union([Type.String(), Type.Null()]),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  data: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});

export const ReportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'default: 7 days before to' })),
    to: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'exclusive; default now; at most 366 days after from',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReportItem = Type.Object({
  at: Type.String({ format: 'date-time' }),
  action: Type.String(),
  actor: Type.Object({
    id: Nullable(Type.String()),
    username: Nullable(Type.String()),
    orgId: Type.Union([Type.Integer(), Type.Null()]),
  }),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  result: Nullable(Type.String()),
  subject: Type.Object({ type: Nullable(Type.String()), id: Nullable(Type.String()) }),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
export const ReportSection = Type.Object({
  count: Type.Integer(),
  items: Type.Array(ReportItem, { description: `the latest ${AUDIT_REPORT_LIST_LIMIT}` }),
  truncated: Type.Boolean(),
});
export const ReportReply = Type.Object({
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  sections: Type.Object(
    Object.fromEntries(AUDIT_REPORT_SECTIONS.map((name) => [name, ReportSection])) as Record<
      AuditReportSection,
      typeof ReportSection
    >,
  ),
});

export const EntryListReply = Type.Object({
  items: Type.Array(JournalEntry),
  next: Type.Union([Type.Integer(), Type.Null()]),
});

export type VerifyResult = Static<typeof VerifyReply>;
export type JournalEntry = Static<typeof JournalEntry>;
export type AuditReport = Static<typeof ReportReply>;
