import type { DisputeAdvice, DisputeKind, DisputeStatus, PartyKind, PartyRole } from '@doorstep/contracts';

/** A dispute case as the repository reads it (amounts as numbers of yuan, cents exact). */
export interface DisputeRow {
  id: string;
  caseNumber: string;
  /** The parties' key to the case (查询码); null only for cases registered before it existed. */
  trackingCode: string | null;
  districtId: number;
  kind: DisputeKind;
  summary: string;
  status: DisputeStatus;
  tier: number;
  orgId: number;
  orgPath: string;
  orgName: string;
  accusedOrgId: number | null;
  accusedOrgPath: string | null;
  appealId: string | null;
  mediatorId: string | null;
  mediatorName: string | null;
  amountClaimed: number | null;
  peopleInvolved: number | null;
  escalationLevel: number;
  acceptDueAt: Date | null;
  mediateDueAt: Date | null;
  extensionDays: number;
  overdue: boolean;
  failureReason: string | null;
  advice: DisputeAdvice | null;
  courtReference: string | null;
  courtRequestedAt: Date | null;
  ruling: 'confirmed' | 'rejected' | null;
  rulingNumber: string | null;
  rulingReason: string | null;
  ruledAt: Date | null;
  version: number;
  registeredAt: Date;
  acceptedAt: Date | null;
  agreedAt: Date | null;
  updatedAt: Date;
}

/** The actor's relations to one case, computed where it is read. */
export interface DisputeAccess {
  inArea: boolean;
  isMediator: boolean;
  isSummoned: boolean;
}

/** The case as the workflow engine moves it. */
export type DisputeRecord = DisputeRow & DisputeAccess;

export interface PartyRow {
  id: string;
  disputeId: string;
  position: number;
  role: PartyRole;
  kind: PartyKind;
  nameEnc: string;
  phoneEnc: string | null;
  idNumberEnc: string | null;
  creditCode: string | null;
  reportedInAt: Date | null;
  confirmCodeHmac: string | null;
  confirmCodeExpiresAt: Date | null;
  confirmAttempts: number;
  confirmedAt: Date | null;
  confirmedBy: 'code' | 'signature' | null;
}

export interface SessionRow {
  id: string;
  disputeId: string;
  startsAt: Date;
  place: string;
  online: boolean;
  roomId: number | null;
  participants: string[];
  outcome: 'continue' | 'agreed' | 'failed' | null;
  attendance: string[];
  notes: string | null;
  recordedAt: Date | null;
}

export interface AgreementRow {
  disputeId: string;
  terms: string;
  totalAmount: number;
  agreedAt: Date;
  effectiveAt: Date | null;
}

export interface PaymentRow {
  id: string;
  disputeId: string;
  seq: number;
  amount: number;
  dueDate: string;
  paidAmount: number;
  paidAt: Date | null;
}

/** Tier of the unit that holds a case: 1 grid, 2 community committee, 3 subdistrict or district centre. */
export function tierOfLevel(level: string): 1 | 2 | 3 {
  if (level === 'grid' || level === 'station') return 1;
  if (level === 'community') return 2;
  return 3;
}

/** 光明-调-2026-000001: the district's short name, the China year and a gap-free number. */
export function caseNumber(districtName: string, year: number, seq: number): string {
  return `${districtName.replace(/(新区|区)$/, '')}-调-${year}-${String(seq).padStart(6, '0')}`;
}

/** Days a case may be mediated after it is accepted (人民调解法 practice: 30 days). */
export const MEDIATE_DAYS = 30;
/** Working days a case may wait to be accepted. */
export const ACCEPT_WORKING_DAYS = 1;
/** Days an SMS confirmation code stays valid, and tries a party gets with it. */
export const CONFIRM_CODE_DAYS = 7;
export const CONFIRM_CODE_ATTEMPTS = 5;
/** 人民调解法 art. 33: judicial confirmation is applied for within 30 days of the agreement taking effect. */
export const JUDICIAL_CONFIRMATION_DAYS = 30;
