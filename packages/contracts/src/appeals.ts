import { type Static, Type } from 'typebox';
import { ACTION_NAMES } from './appeal-actions.ts';
import { Nullable, StringEnum } from './common.ts';
import { AppealTriage } from './triage.ts';
import {
  APPEAL_STATUSES,
  CHANNELS,
  PHONE_INPUT_PATTERN,
  RATING_TOKEN_PATTERN,
  RATINGS,
  TRACKING_CODE_PATTERN,
  URGENCIES,
} from './vocabulary.ts';

export const NewAppealBody = Type.Object(
  {
    channel: StringEnum(CHANNELS),
    categoryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    title: Type.Optional(Type.String({ maxLength: 100 })),
    content: Type.String({ minLength: 5, maxLength: 5000 }),
    location: Type.Optional(
      Type.Object(
        {
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lng: Type.Number({ minimum: -180, maximum: 180 }),
          address: Type.Optional(Type.String({ maxLength: 300 })),
        },
        { additionalProperties: false },
      ),
    ),
    stationCode: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 50 })),
          /** A mainland mobile, typed any common way; stored in its canonical form (canonicalMobile). */
          phone: Type.Optional(Type.String({ pattern: PHONE_INPUT_PATTERN })),
        },
        { additionalProperties: false },
      ),
    ),
    anonymous: Type.Optional(Type.Boolean()),
    /**
     * The resident agrees that the text may be published on the open Open311 feed, with numbers and
     * ids blanked. Without it only the category, state and place (grid or station) are published.
     */
    publicConsent: Type.Optional(Type.Boolean()),
    /**
     * The resident agreed to the personal-information notice before submitting (个人信息保护法
     * art. 14); the resident app always sends it and cannot submit without it. Kept with the time.
     */
    privacyConsent: Type.Optional(Type.Boolean()),
    attachments: Type.Optional(
      Type.Array(Type.String({ format: 'uuid' }), { maxItems: 9, uniqueItems: true }),
    ),
    accusedOrgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    /**
     * Answers to the item's questions (its extra fields), by question code: text, a number or a
     * list of keys; intake checks them against the item. Flat and bounded, so no answer nests.
     */
    attributes: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 40 }),
        Type.Union([
          Type.String({ maxLength: 2000 }),
          Type.Number(),
          Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 }),
        ]),
        { maxProperties: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);

export const SubmittedReply = Type.Object({
  id: Type.String({ format: 'uuid' }),
  trackingCode: Type.String(),
  /** 评价码: given only to a resident filing for themselves; null when staff file on their behalf. */
  ratingToken: Nullable(Type.String()),
  status: StringEnum(APPEAL_STATUSES),
  statusLabel: Type.String(),
  submittedAt: Type.String({ format: 'date-time' }),
  acceptDueAt: Nullable(Type.String({ format: 'date-time' })),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' }),
  ),
});

export const AppealIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const ActionParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  action: Type.String({ maxLength: 40 }),
});
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ pattern: '^(W/)?"?\\d{1,9}"?$', description: 'the appeal version you saw' }),
  ),
});

/** A workflow action's headers: the version seen, and a key under which a resend is answered once. */
export const ActionHeaders = Type.Object({
  'if-match': IfMatchHeaders.properties['if-match'],
  'idempotency-key': IdempotencyHeaders.properties['idempotency-key'],
});

/** The detail takes no query: revealing the contact is a POST, so no link or image can trigger it. */
export const DetailQuery = Type.Object({}, { additionalProperties: false });

/** Why the caller needs the reporter's contact in full: journaled as a personal-data view. */
export const RevealBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 4, maxLength: 200 })) },
  { additionalProperties: false },
);

export const AppealListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(StringEnum(APPEAL_STATUSES), { maxItems: 12 })),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    orgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    channel: Type.Optional(StringEnum(CHANNELS)),
    overdue: Type.Optional(Type.Boolean()),
    dueSoon: Type.Optional(Type.Boolean({ description: 'finish deadline within 24 hours' })),
    escalationLevel: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 4, description: 'at least this level' }),
    ),
    mine: Type.Optional(Type.Boolean({ description: 'only what was named for the caller (指派)' })),
    complex: Type.Optional(
      Type.Boolean({ description: 'only 复杂疑难 cases (true) or only ordinary ones (false)' }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    sort: Type.Optional(
      StringEnum(['submitted', 'due'] as const, {
        description:
          'submitted: newest first (default); due: finish deadline soonest first, appeals with one only',
      }),
    ),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    count: Type.Optional(
      Type.Boolean({
        description: 'also count the matches (first page only; up to 10,000): a count is a scan',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The list's filters without paging (an export walks every page itself), and the file's format. */
export const AppealExportQuery = Type.Object(
  {
    ...Type.Omit(AppealListQuery, ['cursor', 'limit', 'count']).properties,
    format: Type.Optional(StringEnum(['csv', 'xlsx'] as const, { description: 'csv (default) or xlsx' })),
  },
  { additionalProperties: false },
);

export const TrackParams = Type.Object({ code: Type.String({ pattern: TRACKING_CODE_PATTERN }) });
/** A result photo of a tracked appeal: its code and the photo's upload id (from `photos`). */
export const TrackPhotoParams = Type.Object({
  code: TrackParams.properties.code,
  uploadId: Type.String({ format: 'uuid' }),
});

export const RatingBody = Type.Object(
  {
    score: StringEnum(RATINGS),
    comment: Type.Optional(Type.String({ maxLength: 500 })),
    /** The resident's 评价码 from the receipt or SMS: the tracking code alone does not rate. */
    ratingToken: Type.String({ pattern: RATING_TOKEN_PATTERN }),
  },
  { additionalProperties: false },
);

const DateTime = Type.String({ format: 'date-time' });
const Ref = Type.Object({ id: Type.Integer(), name: Type.String() });
const Status = StringEnum(APPEAL_STATUSES);

/**
 * One appeal in a staff list or inbox. Reply schemas are closed: the serialiser writes the declared
 * fields and nothing else, so a field added to a view reaches no client until it is declared here.
 */
export const AppealSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  trackingCode: Type.String(),
  channel: StringEnum(CHANNELS),
  category: Nullable(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() })),
  title: Type.String(),
  status: Status,
  statusLabel: Type.String(),
  escalationLevel: Type.Integer({ minimum: 0, maximum: 4 }),
  urgency: StringEnum(URGENCIES),
  area: Ref,
  assigned: Nullable(Ref),
  assignedUser: Nullable(
    Type.Object(
      { id: Type.String({ format: 'uuid' }), name: Type.String() },
      { description: 'the named worker the holding unit gave it to (指派)' },
    ),
  ),
  complex: Type.Boolean({ description: '复杂疑难: its finish deadline is the item’s complexFinishDays' }),
  location: Nullable(
    Type.Object({ lat: Type.Number(), lng: Type.Number(), address: Nullable(Type.String()) }),
  ),
  contact: Nullable(
    Type.Object(
      {
        name: Nullable(Type.String()),
        phone: Nullable(Type.String()),
        hidden: Type.Boolean({
          description: 'withheld from the unit the appeal complains about (art. 46(5))',
        }),
      },
      { description: 'masked (李*, 138****5678) unless revealed with a stated reason' },
    ),
  ),
  anonymous: Type.Boolean(),
  acceptDueAt: Nullable(DateTime),
  finishDueAt: Nullable(DateTime),
  overdue: Type.Boolean(),
  supervised: Type.Boolean(),
  rating: Nullable(StringEnum(RATINGS)),
  version: Type.Integer({ minimum: 1, description: 'send it back as If-Match with an action' }),
  submittedAt: DateTime,
  updatedAt: DateTime,
});
export type AppealSummary = Static<typeof AppealSummary>;

export const Summons = Type.Object({
  orgId: Type.Integer(),
  orgName: Type.String(),
  reportedAt: Nullable(DateTime),
  escalatedAt: Nullable(DateTime),
});

/** A coordination notice (协调处理通知) issued by a whistle, with the units it summoned. */
export const Notice = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String(),
  appealId: Type.String({ format: 'uuid' }),
  level: Type.Integer(),
  reason: Type.String(),
  issuedAt: DateTime,
  reportDueAt: DateTime,
  issuedByOrgName: Nullable(Type.String()),
  summons: Type.Array(Summons),
});
export type Notice = Static<typeof Notice>;

export const TimelineEntry = Type.Object({
  at: DateTime,
  action: Type.String({ description: 'the journal action, e.g. appeal.dispatch' }),
  actorId: Nullable(Type.String()),
  actorOrgId: Nullable(Type.Integer()),
  /** The staff member who took the step (null: the resident, the platform, or withheld). */
  actorName: Nullable(Type.String()),
  actorOrgName: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown(), { description: 'what the action recorded' }),
});
export type TimelineEntry = Static<typeof TimelineEntry>;

/** Everything staff within the appeal's reach see, with the actions the caller may take now. */
export const AppealDetail = Type.Object({
  ...AppealSummary.properties,
  content: Type.String(),
  coHandlerOrgIds: Type.Array(Type.Integer()),
  pendingExtension: Nullable(
    Type.Object({
      workingDays: Type.Integer(),
      reason: Type.String(),
      requestedAt: DateTime,
      requestedBy: Nullable(Type.String({ description: 'the user who asked' })),
    }),
  ),
  extensionDays: Type.Integer(),
  complexReason: Nullable(Type.String({ description: 'why a dispatcher marked it 复杂疑难' })),
  patrol: Nullable(
    Type.Object(
      {
        id: Type.String({ format: 'uuid' }),
        track: Type.Array(Type.Tuple([Type.Number(), Type.Number()]), {
          description: '[lat, lng] in time order',
        }),
      },
      { description: 'a finding reported on patrol: the walk that led to it' },
    ),
  ),
  reminderCount: Type.Integer(),
  reopenCount: Type.Integer(),
  returnCount: Type.Integer(),
  resolutionSummary: Nullable(Type.String()),
  mergedInto: Nullable(Type.String({ format: 'uuid' })),
  mergedChildren: Type.Array(
    Type.Object({ id: Type.String({ format: 'uuid' }), trackingCode: Type.String() }),
  ),
  attributes: Type.Record(Type.String(), Type.Unknown(), {
    description: 'the reporter’s answers to the item’s questions (Open311 attributes)',
  }),
  answers: Type.Array(
    Type.Object({
      code: Type.String(),
      /** The item's question (its prompt); the code when the item no longer asks it (after 改类). */
      question: Type.String(),
      /** The answer in words: list keys become their names. */
      answer: Type.String(),
    }),
    { description: 'the answers in the order of the item’s questions, for reading' },
  ),
  relations: Type.Object({ inArea: Type.Boolean(), isAssigned: Type.Boolean(), isSummoned: Type.Boolean() }),
  availableActions: Type.Array(StringEnum(ACTION_NAMES), {
    description: 'exactly the actions the caller may take now, decided by the transition table',
  }),
  attachments: Type.Array(
    Type.Object({ uploadId: Type.String({ format: 'uuid' }), stage: Type.String(), addedAt: DateTime }),
  ),
  notices: Type.Array(Notice),
  timeline: Type.Array(TimelineEntry),
  triage: Nullable(AppealTriage),
});
export type AppealDetail = Static<typeof AppealDetail>;

/**
 * What an action answers: the updated appeal, or only its summary when the action took the
 * caller's unit out of its reach (a department that returned the work sees no more of it).
 */
export const ActionReply = Type.Union([
  AppealDetail,
  Type.Object({
    ...AppealSummary.properties,
    availableActions: Type.Array(StringEnum(ACTION_NAMES), { maxItems: 0 }),
  }),
]);
export type ActionReply = Static<typeof ActionReply>;

/** What anyone holding the tracking code sees: no personal data, no internal notes, no staff names. */
export const PublicTracking = Type.Object({
  trackingCode: Type.String(),
  status: Status,
  statusLabel: Type.String(),
  category: Nullable(Type.String()),
  title: Type.String(),
  submittedAt: DateTime,
  finishDueAt: Nullable(DateTime),
  mergedInto: Nullable(Type.String({ description: 'the tracking code of the case this one joined' })),
  rating: Nullable(StringEnum(RATINGS)),
  canRate: Type.Boolean(),
  photos: Type.Array(Type.Object({ uploadId: Type.String({ format: 'uuid' }), stage: Type.String() })),
  timeline: Type.Array(
    Type.Object({ at: DateTime, label: Type.String(), detail: Type.Optional(Type.String()) }),
  ),
});
export type PublicTracking = Static<typeof PublicTracking>;

export const AppealListReply = Type.Object({
  items: Type.Array(AppealSummary),
  next: Nullable(Type.String({ description: 'the cursor of the next page' })),
  total: Nullable(
    Type.Object(
      {
        count: Type.Integer({ minimum: 0 }),
        capped: Type.Boolean({ description: 'true: more than count (counting stops at 10,000)' }),
      },
      { description: 'how many match the filter, when the first page was asked with count=true (else null)' },
    ),
  ),
});
export type AppealPage = Static<typeof AppealListReply>;

/** A summons (报到) waiting for the caller's unit, on an appeal or a dispute case. */
export const SummonsDue = Type.Object({
  subjectType: StringEnum(['appeal', 'dispute'] as const),
  subjectId: Type.String({ format: 'uuid' }),
  reference: Type.String({ description: 'the appeal’s tracking code (masked) or the dispute’s case number' }),
  number: Type.String(),
  orgName: Type.String(),
  reportDueAt: DateTime,
});

export type SummonsDue = Static<typeof SummonsDue>;

/** What the caller must do now, by the actions their roles may take. */
export const InboxReply = Type.Object({
  toAccept: Type.Array(AppealSummary),
  /** A critical appeal near the caller's last position on patrol, not taken yet: answer it (我去). */
  alerts: Type.Array(
    Type.Object({
      appealId: Type.String({ format: 'uuid' }),
      title: Type.String(),
      rank: Type.Integer({ description: '1 = the caller is the nearest alerted' }),
      distanceM: Type.Integer(),
      alertedAt: Type.String({ format: 'date-time' }),
    }),
  ),
  /** Work the caller's unit named them for (指派), not yet resolved. */
  assignedToMe: Type.Array(AppealSummary),
  /** Work given to the caller's unit (or below) to claim; not what was named for someone else. */
  toClaim: Type.Array(AppealSummary),
  dueSoon: Type.Array(AppealSummary),
  overdue: Type.Array(AppealSummary),
  summons: Type.Array(SummonsDue),
});
export type Inbox = Static<typeof InboxReply>;

export type NewAppeal = Static<typeof NewAppealBody>;
export type Submitted = Static<typeof SubmittedReply>;
export type AppealListQuery = Static<typeof AppealListQuery>;

export const AlertTakenReply = Type.Object({
  appealId: Type.String({ format: 'uuid' }),
  takenBy: Type.String({ format: 'uuid' }),
  rank: Type.Integer(),
  distanceM: Type.Integer(),
});
export const AlertArrivedReply = Type.Object({
  appealId: Type.String({ format: 'uuid' }),
  secondsToArrive: Type.Integer({ description: 'from the alert to the taker saying they are there' }),
});

/** The people a unit's desk may name for an appeal it holds (指派). */
export const AssigneesReply = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      name: Type.String(),
      orgName: Type.String({ description: 'their unit (the unit holding the work, or one below it)' }),
      current: Type.Boolean({ description: 'the work is named for this person now' }),
    }),
  ),
});
export type Assignees = Static<typeof AssigneesReply>;

/** Units the dispatcher is offered first for an appeal, each with the reason (zh-CN). */
export const AppealSuggestions = Type.Object({
  items: Type.Array(
    Type.Object({
      org: Ref,
      reason: Type.String({ description: 'why this unit, e.g. 按辖区：光明社区 → 光明派出所' }),
      rule: StringEnum(['area_override', 'competence', 'history', 'place'] as const, {
        description:
          'area_override: an assignment for the appeal’s area; competence: the catalogue’s department; history: where dispatchers sent this category in the district lately; place: the unit of the appeal’s place or one near it (triage)',
      }),
    }),
  ),
});
export type AppealSuggestions = Static<typeof AppealSuggestions>;
