import path from 'node:path';
import type { TileConfig } from '@doorstep/contracts';
import { TRIAGE_DEFAULTS } from './modules/triage/triage.defaults.ts';
import { parseTileOrigins, parseTileUrl } from './platform/http/security-headers.ts';
import { passwordPolicyProblem } from './platform/password-policy.ts';
import { type LimitOverrides, parseLimitOverrides } from './platform/rate-limit/limits.ts';
import { parseNetworkList } from './platform/rate-limit/networks.ts';

/**
 * Every environment variable the server reads, parsed and validated once (convention 6).
 * A bad value stops start-up with a message naming the variable. No secret has a default:
 * absent secrets are generated into the data folder by platform/secrets.ts.
 */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  seed: 'demo' | 'none';
  demoPassword: string | null;
  sessionSecret: string | null;
  dataKey: Buffer | null;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  cookieSecure: boolean;
  /** Addresses or CIDRs of the reverse proxies whose X-Forwarded-* headers are believed; none when empty. */
  trustProxy: string[];
  /** The address residents and partners reach the server at (https://…); Open311 discovery names it. */
  publicUrl: string | null;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  shutdownGraceSeconds: number;
  /** Largest file one upload may carry (photos are re-encoded after). */
  uploadMaxBytes: number;
  /** Office hours in China time over which working-day deadlines run, e.g. ['09:00-12:00', '13:30-18:00']. */
  officeHours: string[];
  /** The Open311 API key the demo seed installs (named "demo"); none when unset. */
  demoOpen311Key: string | null;
  /** The data key being replaced, while `doorstep keys rotate` re-encrypts with `dataKey`. */
  dataKeyPrevious: Buffer | null;
  /** CIDRs exempt from the per-address rate limits (kiosk networks, gateways, the benchmark). */
  trustedNetworks: string[];
  /** Changed rate limits (platform/rate-limit/limits.ts holds the defaults). */
  rateLimits: LimitOverrides;
  /** Rate-limit counters in Redis instead of the database. */
  redisUrl: string | null;
  /** Map tile servers the web apps may load images from (Content-Security-Policy img-src). */
  tileOrigins: string[];
  /** The base map the web apps draw (DOORSTEP_TILE_URL, _CRS, _ATTRIBUTION, _SUBDOMAINS); null: none. */
  tiles: TileConfig | null;
  /** Base32 TOTP secret the demo seed enrols for admin, security and auditor; generated when unset. */
  demoTotpSecret: string | null;
  /** Days after closing before an appeal's contact fields are anonymised (PIPL); null keeps them. */
  retentionDays: number | null;
  /** SMS handed to the gateway per rolling hour across all recipients (SMS-pumping bound). */
  smsBudgetPerHour: number;
  /** Below this top confidence of the domain model an appeal needs a person (triage). */
  triageThreshold: number;
  /** 自动派单: the platform accepts and dispatches appeals whose responsible unit is certain. */
  autoDispatch: boolean;
  /** Open appeals this near and this recent, with similar text, are offered as duplicates. */
  duplicateRadiusM: number;
  duplicateDays: number;
  /** A cluster alerts when it grew by this share over the day before (1 = doubled)… */
  hotspotAlertGrowth: number;
  /** … and holds at least this many reports in the last day. */
  hotspotAlertMinReports: number;
  /**
   * Without an SMS provider, a file the local gateway appends each message to (one JSON line, the
   * phone and codes in clear): for a demo or a test bench, never for residents' real numbers.
   */
  smsFile: string | null;
  /** Proofs of work solved per minute that count as a normal busy day; above it the work grows. */
  powNormalPerMinute: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(name: string, min: number, max: number) {
  return (raw: string): number => {
    if (!/^-?\d+$/.test(raw.trim())) throw new Error(`${name} must be an integer, got "${raw}"`);
    const value = Number.parseInt(raw, 10);
    if (value < min || value > max)
      throw new Error(`${name} must be between ${min} and ${max}, got ${value}`);
    return value;
  };
}

function oneOf<T extends string>(name: string, values: readonly T[]) {
  return (raw: string): T => {
    if (!values.includes(raw as T))
      throw new Error(`${name} must be one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };
}

function boolean(name: string) {
  return (raw: string): boolean => {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new Error(`${name} must be true or false, got "${raw}"`);
  };
}

function databaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('DATABASE_URL must be a URL like postgres://user@host:5432/db');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, got "${url.protocol}//"`);
  }
  return raw;
}

function dataKey(raw: string, name = 'DOORSTEP_DATA_KEY'): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new Error(`${name} must be 32 bytes, as 64 hex digits or base64`);
  return key;
}

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  function read<T>(name: string, parse: (raw: string) => T, fallback: T): T {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    try {
      return parse(raw);
    } catch (error) {
      problems.push((error as Error).message);
      return fallback;
    }
  }
  const config: Config = {
    port: read('PORT', integer('PORT', 0, 65_535), 3000),
    host: read('HOST', (raw) => raw, '127.0.0.1'),
    databaseUrl: read('DATABASE_URL', databaseUrl, null),
    dataDir: path.resolve(
      cwd,
      read('DOORSTEP_DATA_DIR', (raw) => raw, '.doorstep'),
    ),
    // A production install never fills itself with demo accounts unless asked to (DOORSTEP_SEED=demo).
    seed: read(
      'DOORSTEP_SEED',
      oneOf('DOORSTEP_SEED', ['demo', 'none'] as const),
      env.NODE_ENV === 'production' ? 'none' : 'demo',
    ),
    demoPassword: read(
      'DOORSTEP_DEMO_PASSWORD',
      (raw) => {
        const problem = passwordPolicyProblem(raw);
        if (problem) throw new Error(`DOORSTEP_DEMO_PASSWORD is too weak: ${problem}`);
        return raw;
      },
      null,
    ),
    sessionSecret: read(
      'DOORSTEP_SESSION_SECRET',
      (raw) => {
        if (raw.length < 32) throw new Error('DOORSTEP_SESSION_SECRET must be at least 32 characters');
        return raw;
      },
      null,
    ),
    dataKey: read('DOORSTEP_DATA_KEY', dataKey, null),
    sessionIdleMinutes: read(
      'DOORSTEP_SESSION_IDLE_MINUTES',
      integer('DOORSTEP_SESSION_IDLE_MINUTES', 1, 1440),
      10,
    ),
    sessionMaxHours: read('DOORSTEP_SESSION_MAX_HOURS', integer('DOORSTEP_SESSION_MAX_HOURS', 1, 168), 12),
    // 等保 2.0 level 3: lock after at most 5 failures, for at least 10 minutes.
    lockoutThreshold: read('DOORSTEP_LOCKOUT_THRESHOLD', integer('DOORSTEP_LOCKOUT_THRESHOLD', 1, 5), 5),
    lockoutMinutes: read('DOORSTEP_LOCKOUT_MINUTES', integer('DOORSTEP_LOCKOUT_MINUTES', 10, 1440), 10),
    cookieSecure: read('DOORSTEP_COOKIE_SECURE', boolean('DOORSTEP_COOKIE_SECURE'), false),
    trustProxy: read(
      'DOORSTEP_TRUST_PROXY',
      (raw) => {
        if (/^(0|false|no|off|)$/i.test(raw.trim())) return [];
        // Trusting every hop lets any client forge its address (and so dodge the rate limits).
        if (/^(1|true|yes|on)$/i.test(raw.trim())) {
          throw new Error(
            'DOORSTEP_TRUST_PROXY takes the addresses of your reverse proxies (e.g. 10.0.0.5,10.0.1.0/24), not true',
          );
        }
        return parseNetworkList(raw, 'DOORSTEP_TRUST_PROXY');
      },
      [] as string[],
    ),
    publicUrl: read(
      'DOORSTEP_PUBLIC_URL',
      (raw) => {
        let url: URL;
        try {
          url = new URL(raw.trim());
        } catch {
          throw new Error(`DOORSTEP_PUBLIC_URL must be an absolute http(s) URL, got "${raw}"`);
        }
        if (!/^https?:$/.test(url.protocol) || url.search || url.hash) {
          throw new Error(
            `DOORSTEP_PUBLIC_URL must be an http(s) URL without query or fragment, got "${raw}"`,
          );
        }
        return url.href.replace(/\/$/, '');
      },
      null,
    ),
    logLevel: read(
      'LOG_LEVEL',
      oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
      'info',
    ),
    shutdownGraceSeconds: read(
      'DOORSTEP_SHUTDOWN_GRACE_SECONDS',
      integer('DOORSTEP_SHUTDOWN_GRACE_SECONDS', 1, 600),
      10,
    ),
    uploadMaxBytes: read(
      'DOORSTEP_UPLOAD_MAX_BYTES',
      integer('DOORSTEP_UPLOAD_MAX_BYTES', 65_536, 100 * 1024 * 1024),
      10 * 1024 * 1024,
    ),
    officeHours: read(
      'DOORSTEP_OFFICE_HOURS',
      (raw) => {
        const windows = raw.split(',').map((w) => w.trim());
        const valid = /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/;
        if (!windows.every((w) => valid.test(w) && w.slice(0, 5) < w.slice(6))) {
          throw new Error(`DOORSTEP_OFFICE_HOURS must be comma-separated HH:MM-HH:MM windows, got "${raw}"`);
        }
        return windows;
      },
      ['09:00-18:00'],
    ),
    demoTotpSecret: read(
      'DOORSTEP_DEMO_TOTP_SECRET',
      (raw) => {
        const secret = raw.replace(/\s+/g, '').toUpperCase();
        // 16 base32 characters = 80 bits, the least RFC 4226 allows; 32 = the 160 bits it recommends.
        if (!/^[A-Z2-7]{16,128}=*$/.test(secret)) {
          throw new Error('DOORSTEP_DEMO_TOTP_SECRET must be base32 (A-Z, 2-7), at least 16 characters');
        }
        return secret;
      },
      null,
    ),
    retentionDays: read<number | null>(
      'DOORSTEP_RETENTION_DAYS',
      integer('DOORSTEP_RETENTION_DAYS', 30, 36_500),
      null,
    ),
    smsBudgetPerHour: read(
      'DOORSTEP_SMS_BUDGET_PER_HOUR',
      integer('DOORSTEP_SMS_BUDGET_PER_HOUR', 1, 1_000_000),
      2000,
    ),
    triageThreshold: read(
      'DOORSTEP_TRIAGE_THRESHOLD',
      (raw) => {
        const value = Number(raw);
        if (!(value >= 0 && value <= 1)) throw new Error('DOORSTEP_TRIAGE_THRESHOLD must be between 0 and 1');
        return value;
      },
      TRIAGE_DEFAULTS.threshold,
    ),
    autoDispatch: read('DOORSTEP_AUTO_DISPATCH', boolean('DOORSTEP_AUTO_DISPATCH'), false),
    duplicateRadiusM: read(
      'DOORSTEP_DUPLICATE_RADIUS_M',
      integer('DOORSTEP_DUPLICATE_RADIUS_M', 10, 5000),
      TRIAGE_DEFAULTS.duplicateRadiusM,
    ),
    duplicateDays: read(
      'DOORSTEP_DUPLICATE_DAYS',
      integer('DOORSTEP_DUPLICATE_DAYS', 1, 90),
      TRIAGE_DEFAULTS.duplicateDays,
    ),
    hotspotAlertGrowth: read(
      'DOORSTEP_HOTSPOT_ALERT_GROWTH',
      (raw) => {
        const value = Number(raw);
        if (!(value > 0 && value <= 100))
          throw new Error('DOORSTEP_HOTSPOT_ALERT_GROWTH must be above 0, at most 100');
        return value;
      },
      TRIAGE_DEFAULTS.alertGrowth,
    ),
    hotspotAlertMinReports: read(
      'DOORSTEP_HOTSPOT_ALERT_MIN_REPORTS',
      integer('DOORSTEP_HOTSPOT_ALERT_MIN_REPORTS', 2, 10_000),
      TRIAGE_DEFAULTS.alertMinReports,
    ),
    smsFile: read('DOORSTEP_SMS_FILE', (raw) => path.resolve(raw), null),
    powNormalPerMinute: read(
      'DOORSTEP_POW_NORMAL_PER_MINUTE',
      integer('DOORSTEP_POW_NORMAL_PER_MINUTE', 1, 100_000),
      60,
    ),
    demoOpen311Key: read(
      'DOORSTEP_DEMO_OPEN311_KEY',
      (raw) => {
        if (!/^[A-Za-z0-9_.~-]{16,200}$/.test(raw)) {
          throw new Error('DOORSTEP_DEMO_OPEN311_KEY must be 16 to 200 letters, digits or - _ . ~');
        }
        return raw;
      },
      null,
    ),
    dataKeyPrevious: read(
      'DOORSTEP_DATA_KEY_PREVIOUS',
      (raw) => dataKey(raw, 'DOORSTEP_DATA_KEY_PREVIOUS'),
      null,
    ),
    trustedNetworks: read('DOORSTEP_TRUSTED_NETWORKS', (raw) => parseNetworkList(raw), []),
    rateLimits: read('DOORSTEP_RATE_LIMITS', parseLimitOverrides, {}),
    redisUrl: read(
      'REDIS_URL',
      (raw) => {
        if (!/^rediss?:\/\/[^\s]+$/.test(raw)) throw new Error('REDIS_URL must look like redis://host:6379');
        return raw;
      },
      null,
    ),
    tileOrigins: read('DOORSTEP_TILE_ORIGINS', parseTileOrigins, []),
    tiles: null,
  };
  const tileUrl = read('DOORSTEP_TILE_URL', parseTileUrl, null);
  if (tileUrl) {
    const crs = read(
      'DOORSTEP_TILE_CRS',
      (raw) => {
        if (raw !== 'WGS84' && raw !== 'GCJ02') throw new Error('DOORSTEP_TILE_CRS must be WGS84 or GCJ02');
        return raw;
      },
      'WGS84' as 'WGS84' | 'GCJ02',
    );
    const subdomains = read('DOORSTEP_TILE_SUBDOMAINS', (raw) => raw, '');
    config.tiles = {
      url: tileUrl.url,
      crs,
      attribution: read('DOORSTEP_TILE_ATTRIBUTION', (raw) => raw, ''),
      ...(subdomains ? { subdomains } : {}),
    };
    // The tile images must pass the Content-Security-Policy: their origin joins img-src.
    if (!config.tileOrigins.includes(tileUrl.origin)) config.tileOrigins.push(tileUrl.origin);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
