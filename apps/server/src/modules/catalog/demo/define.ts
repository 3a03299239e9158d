import {
  type CategoryKind,
  DEFAULT_DEADLINES,
  type Deadlines,
  type ExtraField,
  KIND_NAMES,
  type Urgency,
} from '../catalog.types.ts';

/**
 * The small vocabulary the demo catalogue files are written in, so each item stays one readable
 * line: code suffix, name, competence, urgency, popularity, keywords.
 */

/** Department competence keys, as the demo district's departments declare them. */
export const C = {
  city: 'city_management',
  housing: 'housing',
  labour: 'labour',
  police: 'public_security',
  transport: 'transport',
  env: 'environment',
  health: 'health',
  edu: 'education',
  market: 'market',
  water: 'water',
  emergency: 'emergency',
  civil: 'civil_affairs',
  legal: 'legal',
  planning: 'planning',
} as const;

export const N: Urgency = 'normal';
export const U: Urgency = 'urgent';
export const X: Urgency = 'critical';

export interface DemoItem {
  /** Three digits, unique in its group; the full code is `<group>-<n>`. Never renumber. */
  n: string;
  name: string;
  competence: string;
  urgency: Urgency;
  /** Rough reports per month in a district of Guangming's size: orders "most common first". */
  popularity: number;
  keywords: string[];
  /** accept / finish / complex finish, in working days; else the kind's default for the urgency. */
  days?: [number, number, number];
  extraFields?: ExtraField[];
  /** Handled by the police station of the subdistrict (辖区派出所) rather than the district bureau. */
  local?: boolean;
}

export interface DemoGroup {
  code: string;
  name: string;
  items: DemoItem[];
}

export interface DemoKind {
  kind: CategoryKind;
  code: string;
  name: string;
  sortOrder: number;
  groups: DemoGroup[];
  /** Items directly under the kind, for kinds too small for sub-groups. */
  items: DemoItem[];
}

export function item(
  n: string,
  name: string,
  competence: string,
  urgency: Urgency,
  popularity: number,
  keywords: string,
  options: { days?: [number, number, number]; fields?: ExtraField[]; local?: boolean } = {},
): DemoItem {
  return {
    n,
    name,
    competence,
    urgency,
    popularity,
    keywords: keywords.split(' ').filter(Boolean),
    ...(options.days ? { days: options.days } : {}),
    ...(options.fields ? { extraFields: options.fields } : {}),
    ...(options.local ? { local: true } : {}),
  };
}

export function group(code: string, name: string, items: DemoItem[]): DemoGroup {
  return { code, name, items };
}

export function kind(
  kindKey: CategoryKind,
  code: string,
  sortOrder: number,
  content: { groups?: DemoGroup[]; items?: DemoItem[] },
): DemoKind {
  return {
    kind: kindKey,
    code,
    name: KIND_NAMES[kindKey],
    sortOrder,
    groups: content.groups ?? [],
    items: content.items ?? [],
  };
}

/**
 * Working-day limits per kind and urgency. Hazards and reports follow 1/3/5 (Weifang "小红哨");
 * mediation needs longer (人民调解 usually within 30 days); suggestions need study (12345: 15 days).
 */
const KIND_DEADLINES: Partial<Record<CategoryKind, Record<Urgency, Deadlines>>> = {
  dispute: {
    normal: { acceptDays: 1, finishDays: 10, complexFinishDays: 30 },
    urgent: { acceptDays: 1, finishDays: 5, complexFinishDays: 15 },
    critical: { acceptDays: 1, finishDays: 1, complexFinishDays: 5 },
  },
  complaint: {
    normal: { acceptDays: 1, finishDays: 5, complexFinishDays: 15 },
    urgent: { acceptDays: 1, finishDays: 3, complexFinishDays: 10 },
    critical: { acceptDays: 1, finishDays: 1, complexFinishDays: 5 },
  },
  suggestion: {
    normal: { acceptDays: 1, finishDays: 15, complexFinishDays: 30 },
    urgent: { acceptDays: 1, finishDays: 10, complexFinishDays: 20 },
    critical: { acceptDays: 1, finishDays: 5, complexFinishDays: 10 },
  },
};

export function deadlinesOf(kindKey: CategoryKind, spec: DemoItem): Deadlines {
  if (spec.days) {
    const [acceptDays, finishDays, complexFinishDays] = spec.days;
    return { acceptDays, finishDays, complexFinishDays };
  }
  return (KIND_DEADLINES[kindKey] ?? DEFAULT_DEADLINES)[spec.urgency];
}
