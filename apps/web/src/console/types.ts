// Shapes of the API replies the console reads. The server declares the appeal replies as loose
// records (appeals.schema.ts: "documented by example"), so packages/contracts has nothing to
// generate them from yet; these mirror apps/server/src/modules/appeals/appeals.views.ts. When the
// contracts package exports the schemas, replace this file with imports from it.
// Table rows are `type` aliases, not interfaces: ElTable's row type is Record<PropertyKey, any>, which
// only a type alias satisfies implicitly.
import type { MultiPolygon, Polygon } from 'geojson';

export interface Ref {
  id: number;
  name: string;
}

export type AppealSummary = {
  id: string;
  trackingCode: string;
  channel: string;
  category: { id: number; code: string; name: string } | null;
  title: string;
  status: string;
  statusLabel: string;
  escalationLevel: number;
  urgency: string;
  area: Ref;
  assigned: Ref | null;
  location: { lat: number; lng: number; address: string | null } | null;
  contact: { name: string | null; phone: string | null; hidden: boolean } | null;
  anonymous: boolean;
  acceptDueAt: string | null;
  finishDueAt: string | null;
  overdue: boolean;
  supervised: boolean;
  rating: string | null;
  version: number;
  submittedAt: string;
  updatedAt: string;
};

export interface TimelineEntry {
  at: string;
  action: string;
  actorId: string | null;
  actorOrgId: number | null;
  data: Record<string, unknown>;
}

export interface Notice {
  id: string;
  number: string;
  level: number;
  reason: string;
  issuedAt: string;
  reportDueAt: string;
  issuedByOrgName: string | null;
  summons: { orgId: number; orgName: string; reportedAt: string | null; escalatedAt: string | null }[];
}

export type AppealDetail = AppealSummary & {
  content: string;
  coHandlerOrgIds: number[];
  pendingExtension: { workingDays: number; reason: string; requestedAt: string } | null;
  extensionDays: number;
  reminderCount: number;
  reopenCount: number;
  returnCount: number;
  resolutionSummary: string | null;
  mergedInto: string | null;
  mergedChildren: { id: string; trackingCode: string }[];
  relations: { inArea: boolean; isAssigned: boolean; isSummoned: boolean };
  /** Exactly the actions the caller may take now, decided by the server's transition table. */
  availableActions: string[];
  attachments: { uploadId: string; stage: string; addedAt: string }[];
  notices: Notice[];
  timeline: TimelineEntry[];
};

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type Summons = {
  appealId: string;
  trackingCode: string;
  number: string;
  orgName: string;
  reportDueAt: string;
};

export interface Inbox {
  toAccept: AppealSummary[];
  toClaim: AppealSummary[];
  dueSoon: AppealSummary[];
  overdue: AppealSummary[];
  summons: Summons[];
}

export interface OrgListItem {
  id: number;
  code: string;
  name: string;
  level: string;
  parentId: number | null;
}

export interface OrgDetail {
  id: number;
  code: string;
  name: string;
  level: string;
  parent: { id: number; code: string; name: string; level: string } | null;
  ancestors: { id: number; code: string; name: string; level: string }[];
  boundary: Polygon | MultiPolygon | null;
  location: { lng: number; lat: number } | null;
  serviceRadiusM: number | null;
  properties: Record<string, unknown>;
  childCounts?: Record<string, number>;
}

export interface Category {
  id: number;
  code: string;
  name: string;
  parentId: number | null;
  isGroup: boolean;
  competence: string | null;
  active: boolean;
}

export interface CategoryDetail extends Category {
  responsibilities: { area: { id: number; name: string }; department: { id: number; name: string } }[];
}

export type StaffUser = {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  orgId: number;
  orgName: string;
  phone: string | null;
  locked: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
};

export type JournalEntry = {
  id: number;
  stream: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorOrgId: number | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  data: Record<string, unknown>;
  hash: string;
};

export interface VerifyResult {
  status: 'ok' | 'broken';
  entries: number;
  streams: number;
  brokenCount?: number;
  firstBroken?: { id: number; stream: string; seq: number; reason: string };
}

export interface Stats {
  scope: { orgId: number; orgName: string; orgLevel: string };
  figures: Record<string, number>;
  rates: { response: number | null; resolution: number | null; satisfaction: number | null };
  byStatus: Record<string, number>;
}

/** One notice of `GET /api/v1/events`: enough to know what to refetch. */
export interface StaffEvent {
  type: string;
  orgPath: string;
  appealId?: string;
  assignedOrgIds?: number[];
  at: string;
}
