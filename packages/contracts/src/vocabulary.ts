/*
 * The words the API speaks: every enumeration a route accepts or answers, defined once. The server's
 * rules, its SQL and the web apps read them from here. No TypeBox in this file, so the web can
 * import the values (`@doorstep/contracts/vocabulary`) without bundling the schema builder.
 */

export const APPEAL_STATUSES = [
  'submitted',
  'accepted',
  'rejected',
  'dispatched',
  'claimed',
  'in_progress',
  'resolved',
  'verified',
  'closed',
  'returned',
  'reopened',
  'merged',
] as const;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** States in which the handling clock runs: the finish deadline, its warnings and overdue apply. */
export const HANDLING_STATUSES: readonly AppealStatus[] = [
  'accepted',
  'dispatched',
  'claimed',
  'in_progress',
  'returned',
  'reopened',
];

/** Waiting on staff (待办): not yet accepted, or accepted and not yet resolved. */
export const OPEN_STATUSES: readonly AppealStatus[] = ['submitted', ...HANDLING_STATUSES];

/** Resolved, and still so (a resolved appeal reopened after an unsatisfied rating is back in work). */
export const RESOLVED_STATUSES: readonly AppealStatus[] = ['resolved', 'verified', 'closed'];

/** States in which nothing more happens unless someone reopens. */
export const FINAL_STATUSES: readonly AppealStatus[] = ['closed', 'rejected', 'merged'];

/** Not final: open, or resolved and awaiting verification or closing. */
export const LIVE_STATUSES: readonly AppealStatus[] = [...OPEN_STATUSES, 'resolved', 'verified'];

export const CHANNELS = ['h5', 'qr', 'hall', 'hotline', 'patrol', 'snapshot', 'open311', 'import'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Channels a resident uses without logging in; the others are staff intake. */
export const PUBLIC_CHANNELS: readonly Channel[] = ['h5', 'qr'];

export const RATINGS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

/** Staff roles. The three admin roles (三权分立) are exclusive: their holder has no other role. */
export const ROLES = [
  'grid_worker',
  'station_staff',
  /** 窗口受理员: receives visitors at a hall's reception desk (一窗受理). */
  'hall_clerk',
  'community_staff',
  'subdistrict_dispatcher',
  'district_dispatcher',
  'department_handler',
  'mediator',
  'legal_adviser',
  'court_liaison',
  'leader',
  'system_admin',
  'security_admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** What a dispute is about (矛盾纠纷类型): wage 欠薪, neighbour 邻里, property 物业, family 婚姻家庭… */
export const DISPUTE_KINDS = [
  'wage',
  'neighbour',
  'property',
  'family',
  'contract',
  'traffic',
  'consumer',
  'land',
  'other',
] as const;
export type DisputeKind = (typeof DISPUTE_KINDS)[number];

/**
 * States of a dispute case (modules/mediation): registered → accepted → in_mediation → agreed |
 * failed; agreed → confirmation_requested → confirmed | confirmation_rejected; agreed | confirmed
 * → fulfilled → closed; failed → closed.
 */
export const DISPUTE_STATUSES = [
  'registered',
  'accepted',
  'in_mediation',
  'agreed',
  'failed',
  'confirmation_requested',
  'confirmed',
  'confirmation_rejected',
  'fulfilled',
  'closed',
] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** Resolved (化解): an agreement was reached, whatever the court or the payments did since. */
export const DISPUTE_RESOLVED_STATUSES: readonly DisputeStatus[] = [
  'agreed',
  'confirmation_requested',
  'confirmed',
  'confirmation_rejected',
  'fulfilled',
];

export const PARTY_ROLES = ['applicant', 'respondent'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];
export const PARTY_KINDS = ['person', 'organisation'] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** Where a failed mediation sends the parties (告知其他途径). */
export const DISPUTE_ADVICE = ['arbitration', 'litigation', 'legal_aid', 'administrative', 'other'] as const;
export type DisputeAdvice = (typeof DISPUTE_ADVICE)[number];

/** 统一社会信用代码: 18 characters, digits and upper-case letters without I, O, S, V, Z. */
export const CREDIT_CODE_PATTERN = '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$';
/** 居民身份证号码: 17 digits and a check digit or X. */
export const ID_NUMBER_PATTERN = '^[1-9][0-9]{16}[0-9Xx]$';

/**
 * Levels of the org tree. Administrative levels nest city → district → subdistrict → community
 * → station → grid; departments (职能部门) and service centres (诉求服务中心/大厅) hang off an
 * administrative unit.
 */
export const ORG_LEVELS = [
  'city',
  'district',
  'subdistrict',
  'community',
  'station',
  'grid',
  'department',
  'center',
] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/**
 * Kinds of matter. The first three are what the unified dispatch platform takes (Guangming's
 * "147 items in 3 kinds": 网格化巡查, 随手拍, 群众矛盾纠纷); the rest are the other services of a
 * 群众诉求服务中心.
 */
export const CATEGORY_KINDS = [
  'patrol',
  'snapshot',
  'dispute',
  'complaint',
  'suggestion',
  'help',
  'consultation',
] as const;
export type CategoryKind = (typeof CATEGORY_KINDS)[number];

export const URGENCIES = ['normal', 'urgent', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Open311 GeoReport v2 attribute datatypes. */
export const FIELD_DATATYPES = [
  'string',
  'number',
  'datetime',
  'text',
  'singlevaluelist',
  'multivaluelist',
] as const;
export type FieldDatatype = (typeof FIELD_DATATYPES)[number];

/** Group codes are `XC`, items `XC-AQ-001`: upper-case segments joined by '-'. */
export const CATEGORY_CODE_PATTERN = '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$';
export const COMPETENCE_PATTERN = '^[a-z][a-z0-9_]*$';

/** What the server keeps: images it can re-encode, and PDF documents from staff. */
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];
export const DOCUMENT_TYPES = ['application/pdf'] as const;
export type UploadContentType = ImageType | (typeof DOCUMENT_TYPES)[number];

/** Loose on purpose: case and dashes do not matter to a resident typing the code in. */
export const TRACKING_CODE_PATTERN = '^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{2}$';

/**
 * A code as typed, reduced to what identifies it: upper case, letters and digits only. Case,
 * dashes and spaces do not matter to a resident reading a tracking code or 评价码 from paper.
 */
export function compactCode(typed: string): string {
  return typed.toUpperCase().replace(/[^0-9A-Z]/g, '');
}

/** A tracking code in its printed layout (`7BZ9-VTYR-YF`), or null when the input is not one. */
export function dashedTrackingCode(typed: string): string | null {
  const compact = compactCode(typed);
  return compact.length === 10 ? `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}` : null;
}

/**
 * A tracking code as staff see it: `7KQ4-****-3R`. Staff tell appeals apart by it and find one by
 * the full code a resident reads to them (the list's `q`), but never hold a resident's code whole.
 */
export function maskTrackingCode(code: string): string {
  const compact = compactCode(code);
  if (compact.length !== 10) return '****';
  return `${compact.slice(0, 4)}-****-${compact.slice(8)}`;
}

/** The resident's rating secret (评价码): 8 symbols as `ABCD-EFGH`, dash and case optional. */
export const RATING_TOKEN_PATTERN = '^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$';

/**
 * What a phone field accepts at the edge: digits (half- or full-width), spaces, dashes, dots,
 * brackets and a leading plus, as people type and paste them. `canonicalMobile` decides the rest.
 */
export const PHONE_INPUT_PATTERN = '^[+＋]?[0-9０-９ \\-－.．()（）]{5,24}$';

/** A mainland China mobile number in its one canonical form: 11 digits, `1[3-9]…`. */
export const MAINLAND_MOBILE_PATTERN = '^1[3-9][0-9]{9}$';

/**
 * The one form every phone number is stored, hashed, rate-limited and looked up in: NFKC folds
 * full-width digits (`１３８…`), separators go (`139.8765.4321`, `138-1234 5678`), and the country
 * prefix (+86, 0086, 86) goes. Null for anything else: only mainland mobiles get SMS (international
 * premium numbers are how SMS pumping makes money), and a landline cannot receive one.
 */
export function canonicalMobile(input: string): string | null {
  const compact = input.normalize('NFKC').replace(/[\s\-.()（）]/g, '');
  const bare = compact.replace(/^(\+86|0086|86)(?=1\d{10}$)/, '');
  return new RegExp(MAINLAND_MOBILE_PATTERN).test(bare) ? bare : null;
}

/**
 * A mainland landline in its one canonical form `0AREA-LOCAL[-EXT]`: the area code is 010, 02X or
 * 0[3-9]XX (so its length is known from its first digits and needs no dash), the local number 7 or
 * 8 digits not starting with 0 or 1, an extension 1–6 digits after a dash. Typed as people do:
 * `010-8888 6666`, `(0755)12345678`, `+86 755 1234 5678`, `0571-87654321-802`. Null otherwise.
 * Elders and shops often give a landline; it gets no SMS, so the resident keeps the tracking code.
 */
export function canonicalLandline(input: string): string | null {
  const folded = input.normalize('NFKC').trim();
  // An extension is the last dash-separated group after a complete number: keep it apart.
  const withExtension = /^(.*\d{7,8})\s*-\s*(\d{1,6})$/.exec(folded);
  const main = (withExtension ? withExtension[1]! : folded).replace(/[\s\-.()（）]/g, '');
  const national = main.replace(/^(\+86|0086)0?/, '0');
  const match = /^(0(?:10|2\d|[3-9]\d{2}))([2-9]\d{6,7})$/.exec(national);
  if (!match) {
    // Without the split the "extension" may have been the local number's last group (010-8888-6666).
    if (withExtension) return canonicalLandline(folded.replace(/-\s*(\d{1,6})$/, '$1'));
    return null;
  }
  return `${match[1]}-${match[2]}${withExtension ? `-${withExtension[2]}` : ''}`;
}

/** A contact number as stored: a mainland mobile (gets SMS) or a landline (does not); null for anything else. */
export function canonicalPhone(input: string): { kind: 'mobile' | 'landline'; number: string } | null {
  const mobile = canonicalMobile(input);
  if (mobile) return { kind: 'mobile', number: mobile };
  const landline = canonicalLandline(input);
  return landline ? { kind: 'landline', number: landline } : null;
}

/** Patrols (网格巡查): 日常 routine, 即时 ad hoc, 专项 special. */
export const PATROL_KINDS = ['routine', 'adhoc', 'special'] as const;
export type PatrolKind = (typeof PATROL_KINDS)[number];
