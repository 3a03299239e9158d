import type { AppealStatus, Channel, Rating, Urgency } from '@doorstep/contracts/vocabulary';

export {
  APPEAL_STATUSES,
  type AppealStatus,
  CHANNELS,
  type Channel,
  FINAL_STATUSES,
  PUBLIC_CHANNELS,
  RATINGS,
  type Rating,
} from '@doorstep/contracts/vocabulary';

/** Escalation ladder: 0 grid, 1 community, 2 subdistrict/department, 3 district, 4 district leader. */
export { TOP_ESCALATION_LEVEL as MAX_ESCALATION } from '../coordination/index.ts';

export interface AppealRow {
  id: string;
  trackingCode: string;
  channel: Channel;
  categoryId: number | null;
  categoryName: string | null;
  categoryCode: string | null;
  title: string;
  content: string;
  status: AppealStatus;
  escalationLevel: number;
  urgency: Urgency;
  orgId: number;
  orgPath: string;
  orgName: string;
  stationId: number | null;
  gridId: number | null;
  lat: number | null;
  lng: number | null;
  address: string | null;
  assignedOrgId: number | null;
  assignedOrgPath: string | null;
  assignedOrgName: string | null;
  coHandlerOrgIds: number[];
  claimedBy: string | null;
  accusedOrgId: number | null;
  accusedOrgPath: string | null;
  anonymous: boolean;
  contactNameEnc: string | null;
  contactPhoneEnc: string | null;
  /** The resident's rating secret (评价码), encrypted; null for appeals from before it existed. */
  ratingTokenEnc: string | null;
  submittedBy: string | null;
  attributes: Record<string, unknown>;
  acceptDueAt: Date | null;
  finishDueAt: Date | null;
  extensionDays: number;
  pendingExtension: {
    workingDays: number;
    reason: string;
    requestedAt: string;
    requestedBy: string | null;
  } | null;
  overdue: boolean;
  supervised: boolean;
  reminderCount: number;
  mergedInto: string | null;
  rating: Rating | null;
  ratingComment: string | null;
  reopenCount: number;
  returnCount: number;
  resolutionSummary: string | null;
  idempotencyHash: string | null;
  version: number;
  submittedAt: Date;
  acceptedAt: Date | null;
  dispatchedAt: Date | null;
  claimedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  updatedAt: Date;
  triage: StoredTriage | null;
  /** 复杂疑难: when and why a dispatcher marked it (null: an ordinary case). */
  complexAt: Date | null;
  complexReason: string | null;
  /** The named worker the holding unit gave it to (指派), and their name. */
  assignedUserId: string | null;
  assignedUserName: string | null;
  /** The patrol a finding was reported on. */
  patrolId: string | null;
}

/** The intake's triage as kept on the appeal: duplicates by id, resolved for each viewer. */
export interface StoredTriage {
  domain: { label: string; confidence: number } | null;
  /** The district's item model's top three, when it has one (older appeals: absent). */
  categories?: { code: string; label: string; confidence: number }[];
  needsHuman: boolean;
  duplicates: { id: string; similarity: number; distanceM: number }[];
}
