/**
 * The rate limits, as data: which requests each one counts, by what key, and how many per window.
 * Defaults are sized for real use — a resident files a few appeals, a hall kiosk many (put its
 * network in DOORSTEP_TRUSTED_NETWORKS) — and each can be changed with DOORSTEP_RATE_LIMITS.
 * Per-address limits are generous because Chinese mobile carriers put many phones behind one
 * public IPv4 address (CGNAT); the per-phone limit is the precise one.
 */
export interface Limit {
  max: number;
  windowMs: number;
}

export const LIMITS = {
  login: {
    by: 'ip',
    routes: ['POST /api/v1/auth/login'],
    anonymousOnly: false,
    humanCheck: false,
    default: { max: 30, windowMs: 60_000 },
    description: 'login attempts per address (an account also locks after 5 failures in a row)',
  },
  intake: {
    by: 'ip',
    routes: ['POST /api/v1/appeals'],
    anonymousOnly: true,
    // Past the limit a resident may still file by solving a proof of work (platform/human-check).
    humanCheck: true,
    default: { max: 30, windowMs: 10 * 60_000 },
    description: 'appeals submitted without a session, per address',
  },
  'intake-phone': {
    by: 'phone',
    routes: ['POST /api/v1/appeals'],
    anonymousOnly: true,
    humanCheck: false,
    default: { max: 5, windowMs: 60 * 60_000 },
    description: 'appeals submitted without a session, per contact phone number',
  },
  uploads: {
    by: 'ip',
    routes: ['POST /api/v1/uploads'],
    anonymousOnly: true,
    humanCheck: false,
    default: { max: 120, windowMs: 10 * 60_000 },
    description: 'photos uploaded without a session, per address',
  },
  tracking: {
    by: 'ip',
    routes: [
      'GET /api/v1/track/:code',
      'POST /api/v1/track/:code/rating',
      'GET /api/v1/track/disputes/:code',
      'POST /api/v1/track/disputes/:code/confirmation',
    ],
    anonymousOnly: false,
    humanCheck: false,
    default: { max: 120, windowMs: 60_000 },
    description: 'tracking look-ups and ratings per address (tracking codes must not be guessable)',
  },
} as const satisfies Record<
  string,
  {
    by: 'ip' | 'phone';
    routes: readonly string[];
    anonymousOnly: boolean;
    humanCheck: boolean;
    default: Limit;
    description: string;
  }
>;

export type LimitName = keyof typeof LIMITS;
export const LIMIT_NAMES = Object.keys(LIMITS) as LimitName[];
export type LimitOverrides = Partial<Record<LimitName, Limit>>;

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `DOORSTEP_RATE_LIMITS`: comma-separated `name=max/window`, the window a number and a unit
 * (s, m, h, d) — e.g. `intake=50/10m,tracking=120/1m`. Names not given keep their default.
 */
export function parseLimitOverrides(raw: string): LimitOverrides {
  const overrides: LimitOverrides = {};
  for (const entry of raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z-]+)=(\d{1,7})\/(\d{0,4})([smhd])$/.exec(entry);
    if (!match) {
      throw new Error(`DOORSTEP_RATE_LIMITS entries look like intake=20/10m, got "${entry}"`);
    }
    const [, name, max, count, unit] = match;
    if (!LIMIT_NAMES.includes(name as LimitName)) {
      throw new Error(`DOORSTEP_RATE_LIMITS: unknown limit "${name}"; known: ${LIMIT_NAMES.join(', ')}`);
    }
    const windowMs = Number(count || '1') * UNITS[unit!]!;
    if (Number(max) < 1 || windowMs < 1000) {
      throw new Error(`DOORSTEP_RATE_LIMITS: ${name} needs at least 1 request per at least 1 s`);
    }
    overrides[name as LimitName] = { max: Number(max), windowMs };
  }
  return overrides;
}

export function effectiveLimits(overrides: LimitOverrides = {}): Record<LimitName, Limit> {
  return Object.fromEntries(
    LIMIT_NAMES.map((name) => [name, overrides[name] ?? LIMITS[name].default]),
  ) as Record<LimitName, Limit>;
}
