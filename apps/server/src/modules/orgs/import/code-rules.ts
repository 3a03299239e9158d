import { CODE_PATTERNS, type OrgLevel } from '../orgs.types.ts';

/**
 * What the code of each level looks like, in words, for error messages. Kept next to the prefix
 * rules below because both restate the 12-digit statistical code layout (6 county + 3 township +
 * 3 village) that CODE_PATTERNS encodes.
 */
export const CODE_PATTERN_WORDS: Record<OrgLevel, string> = {
  city: '12-digit pattern',
  district: '12-digit pattern',
  subdistrict: '12-digit pattern',
  community: '12-digit pattern',
  station: '15-digit pattern (12 digits + 901–999)',
  grid: '15-digit pattern (12 digits + 3 digits not starting with 9)',
  department: 'identifier pattern (2–32 of A–Z, 0–9, _ or -, starting with a letter or digit)',
  center: 'identifier pattern (2–32 of A–Z, 0–9, _ or -, starting with a letter or digit)',
};

export function codeMatchesLevel(code: string, level: OrgLevel): boolean {
  return CODE_PATTERNS[level].test(code);
}

/**
 * How many leading digits an administrative child shares with its parent. City → district is only
 * 2 because a municipality's own code (上海 310000000000) and its districts' codes (310101…) part
 * after the province digits.
 */
const SHARED_PREFIX: Partial<Record<OrgLevel, Partial<Record<OrgLevel, number>>>> = {
  city: { district: 2 },
  district: { subdistrict: 6 },
  subdistrict: { community: 9 },
  community: { station: 12, grid: 12 },
  // A grid under a station belongs to the station's community, so they share the first 12.
  station: { grid: 12 },
};

/** Number of leading digits the child must share with its parent, or undefined when no rule applies. */
export function sharedPrefixLength(parentLevel: OrgLevel, childLevel: OrgLevel): number | undefined {
  return SHARED_PREFIX[parentLevel]?.[childLevel];
}

/** Digits that identify a unit of each administrative level inside a 12-digit code. */
const SIGNIFICANT_DIGITS: Partial<Record<OrgLevel, number>> = {
  city: 4,
  district: 6,
  subdistrict: 9,
  community: 12,
};

/**
 * Where a derived code goes: prefix + zero-padded sequence of `width` digits + suffix, with the
 * sequence in [min, max]. Siblings with the same prefix share one counter, which is what keeps grids
 * of two stations in one community apart.
 */
export interface CodeSlot {
  prefix: string;
  width: number;
  suffix: string;
  min: number;
  max: number;
}

/**
 * The slot for a new child code under a parent, or a reason why none can be derived. Departments
 * and centres have free-form identifiers, so they always need an explicit code.
 */
export function codeSlot(parentCode: string, parentLevel: OrgLevel, level: OrgLevel): CodeSlot | string {
  if (!codeMatchesLevel(parentCode, parentLevel)) {
    return `parent code '${parentCode}' is not a valid ${parentLevel} code`;
  }
  const parentDigits = SIGNIFICANT_DIGITS[parentLevel];
  const childDigits = SIGNIFICANT_DIGITS[level];
  if (childDigits !== undefined && parentDigits !== undefined && parentDigits < childDigits) {
    return {
      prefix: parentCode.slice(0, parentDigits),
      width: childDigits - parentDigits,
      suffix: '0'.repeat(12 - childDigits),
      min: 1,
      max: 10 ** (childDigits - parentDigits) - 1,
    };
  }
  if (level === 'station' && parentLevel === 'community') {
    return { prefix: `${parentCode.slice(0, 12)}9`, width: 2, suffix: '', min: 1, max: 99 };
  }
  if (level === 'grid' && (parentLevel === 'community' || parentLevel === 'station')) {
    return { prefix: parentCode.slice(0, 12), width: 3, suffix: '', min: 1, max: 899 };
  }
  return `codes are only derived for administrative levels under their usual parent, not a ${level} under a ${parentLevel}`;
}

export function slotCode(slot: CodeSlot, seq: number): string {
  return `${slot.prefix}${String(seq).padStart(slot.width, '0')}${slot.suffix}`;
}
