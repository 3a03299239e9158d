import { canonicalMobile } from '@doorstep/contracts/vocabulary';
import { AppError } from '../../platform/errors.ts';
import {
  MAX_DESCRIPTION,
  MAX_PAGE_SIZE,
  type NewServiceRequest,
  type RequestQuery,
  WINDOW_DAYS,
} from './open311.types.ts';

/**
 * Everything a client sends, read strictly: the spec requires UTF-8 everywhere, so bytes that are
 * not UTF-8, characters PostgreSQL cannot store and out-of-range values are refused with a 400
 * naming the field, rather than stored mangled or failing deep inside the database.
 */

/** Fields as sent: each name with every value it was given (form fields may repeat). */
export type Fields = Map<string, string[]>;

/** A 400 carrying one or more of the spec's error entries. */
export function invalid(...problems: string[]): AppError {
  return new AppError('open311_invalid', 400, problems[0] ?? 'the request is not valid', { problems });
}

const MAX_FIELDS = 200;
/** Control characters other than tab, line feed and carriage return (NUL cannot even be stored). */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;
/** Half of a surrogate pair on its own: no UTF-8 encodes it (JSON's "\ud800" can still send one). */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * application/x-www-form-urlencoded, the spec's POST format. Written out rather than using
 * fast-querystring (which @fastify/formbody uses by default) because that one keeps a `%FF` it
 * cannot decode as literal text; here an escape that is not UTF-8 is an error.
 */
export function parseForm(text: string): Fields {
  // Raw bytes that were not UTF-8 arrive as U+FFFD after decoding: no form field carries one honestly.
  if (text.includes('\uFFFD')) throw invalid('the request body is not valid UTF-8');
  const fields: Fields = new Map();
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const [rawName, rawValue] = at === -1 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replaceAll('+', ' '));
      value = decodeURIComponent(rawValue.replaceAll('+', ' '));
    } catch {
      throw invalid('the request body has a %-escape that is not valid UTF-8');
    }
    add(fields, name, value);
  }
  return fields;
}

/**
 * A JSON body, for clients that prefer it: `{"service_code": "…", "attribute": {"code": "v"}}` or
 * the form's own names (`"attribute[code]": "v"`). Read from bytes so invalid UTF-8 is refused.
 */
export function parseJson(bytes: Buffer): Fields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw invalid(
      error instanceof TypeError
        ? 'the request body is not valid UTF-8'
        : 'the request body is not valid JSON',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalid('the JSON body must be an object of fields');
  }
  const fields: Fields = new Map();
  const scalar = (name: string, value: unknown): string => {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value === 'boolean') return String(value);
    throw invalid(`${name} must be a string or a number`);
  };
  for (const [name, value] of Object.entries(parsed)) {
    if (value === null || value === undefined) continue;
    if (name === 'attribute' && typeof value === 'object' && !Array.isArray(value)) {
      for (const [code, given] of Object.entries(value)) {
        for (const one of [given].flat())
          add(fields, `attribute[${code}][]`, scalar(`attribute[${code}]`, one));
      }
      continue;
    }
    for (const one of [value].flat()) add(fields, name, scalar(name, one));
  }
  return fields;
}

function add(fields: Fields, name: string, value: string) {
  const list = fields.get(name);
  if (list) list.push(value);
  else {
    if (fields.size >= MAX_FIELDS) throw invalid(`the request has more than ${MAX_FIELDS} fields`);
    fields.set(name, [value]);
  }
}

/** The query string, as Fastify parsed it, in the same shape. */
export function queryFields(query: unknown): Fields {
  const fields: Fields = new Map();
  for (const [name, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    for (const one of [value].flat()) if (typeof one === 'string') add(fields, name, one);
  }
  return fields;
}

/** Checks that every %-escape of a raw query string decodes as UTF-8. */
export function checkQueryEncoding(url: string): void {
  const at = url.indexOf('?');
  if (at === -1) return;
  for (const part of url.slice(at + 1).split(/[&=]/)) {
    try {
      decodeURIComponent(part.replaceAll('+', ' '));
    } catch {
      throw invalid('the query string has a %-escape that is not valid UTF-8');
    }
  }
}

/**
 * One optional field: absent or empty means "not given" (the spec's rule for optional
 * arguments); given twice, or with characters that are not text, is an error.
 */
export function single(fields: Fields, name: string, max: number, options: { lines?: boolean } = {}) {
  const values = fields.get(name);
  if (!values || values.length === 0) return null;
  if (values.length > 1) throw invalid(`${name} was given more than once`);
  const value = text(name, values[0]!, max, options);
  return value === '' ? null : value;
}

function text(name: string, raw: string, max: number, options: { lines?: boolean } = {}): string {
  if (new RegExp(LONE_SURROGATE.source).test(raw) || CONTROL.test(raw))
    throw invalid(`${name} contains characters that are not text`);
  if (!options.lines && /[\r\n]/.test(raw)) throw invalid(`${name} must be a single line`);
  const value = raw.trim();
  if ([...value].length > max) throw invalid(`${name} is longer than ${max} characters`);
  return value;
}

const DECIMAL = /^[+-]?(\d{1,3}(\.\d{1,15})?)$/;

function coordinate(name: string, raw: string | null, limit: number): number | null {
  if (raw === null) return null;
  if (!DECIMAL.test(raw)) throw invalid(`${name} must be a decimal number of degrees (WGS-84)`);
  const value = Number(raw);
  if (value < -limit || value > limit) throw invalid(`${name} must lie between -${limit} and ${limit}`);
  return value;
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;
/** "This may contain line breaks, but not html or code." */
const HTML = /<\s*[a-zA-Z!/?]/;
const ATTRIBUTE = /^attribute\[([^\][]{1,60})\](\[\])?$/;

/** A POST Service Request's fields, checked one by one; all problems are reported together. */
export function readServiceRequest(fields: Fields): NewServiceRequest {
  const problems: string[] = [];
  const take = <T>(read: () => T, fallback: T): T => {
    try {
      return read();
    } catch (error) {
      if (error instanceof AppError) problems.push(...((error.details.problems as string[]) ?? []));
      else throw error;
      return fallback;
    }
  };
  const serviceCode = take(() => single(fields, 'service_code', 60), null);
  if (!serviceCode) problems.push('service_code was not provided');
  const lat = take(() => coordinate('lat', single(fields, 'lat', 30), 90), null);
  const long = take(() => coordinate('long', single(fields, 'long', 30), 180), null);
  if ((lat === null) !== (long === null) && !problems.some((p) => /^(lat|long) /.test(p))) {
    problems.push('lat and long must be sent together');
  }
  const addressString = take(() => single(fields, 'address_string', 300), null);
  const addressId = take(() => single(fields, 'address_id', 40), null);
  if (addressId && !/^[A-Za-z0-9-]+$/.test(addressId)) problems.push('address_id is not a valid address id');
  const placeProblem = problems.some((p) => /^(lat|long|address)/.test(p));
  if (lat === null && long === null && !addressString && !addressId && !placeProblem) {
    problems.push('a location is required: lat and long, address_string or address_id');
  }
  const description = take(() => single(fields, 'description', MAX_DESCRIPTION, { lines: true }), null);
  if (description && HTML.test(description)) problems.push('description may not contain HTML or code');
  const mediaUrl = take(() => single(fields, 'media_url', 2000), null);
  if (mediaUrl && !isWebUrl(mediaUrl)) problems.push('media_url must be an http or https URL');
  const email = take(() => single(fields, 'email', 254), null);
  if (email && !EMAIL.test(email)) problems.push('email is not an e-mail address');
  // The same rule as a resident's phone in the appeal form: a mainland mobile, stored canonical.
  const typedPhone = take(() => single(fields, 'phone', 24), null);
  const phone = typedPhone ? canonicalMobile(typedPhone) : null;
  if (typedPhone && !phone) problems.push('phone must be a mainland China mobile number');
  const firstName = take(() => single(fields, 'first_name', 40), null);
  const lastName = take(() => single(fields, 'last_name', 40), null);
  const deviceId = take(() => single(fields, 'device_id', 200), null);
  const accountId = take(() => single(fields, 'account_id', 200), null);
  // Our extension: a client app that asked its user may say so; silence publishes no text.
  const consent = take(() => single(fields, 'public_consent', 5), null);
  if (consent !== null && !/^(true|false)$/.test(consent))
    problems.push('public_consent must be true or false');
  // No prototype: a client's attribute[__proto__] is just an unknown code.
  const attributes: Record<string, string[]> = Object.create(null);
  for (const [name, values] of fields) {
    const match = ATTRIBUTE.exec(name);
    if (!match) {
      if (name.startsWith('attribute'))
        problems.push(`${name.slice(0, 80)} is not of the form attribute[code]`);
      continue;
    }
    const code = match[1]!;
    if (attributes[code]) {
      problems.push(`attribute[${code}] was given more than once`);
      continue;
    }
    if (values.length > 20) problems.push(`attribute[${code}] has more than 20 values`);
    attributes[code] = values
      .slice(0, 20)
      .map((value) => take(() => text(`attribute[${code}]`, value, 2000, { lines: true }), ''));
  }
  if (problems.length) throw invalid(...problems);
  return {
    serviceCode: serviceCode!,
    lat,
    long,
    addressString,
    addressId,
    description,
    mediaUrl,
    email,
    deviceId,
    accountId,
    firstName,
    lastName,
    phone,
    publicConsent: consent === 'true',
    attributes,
  };
}

function isWebUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

const W3C_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A w3c datetime (the spec's format, e.g. 2010-01-01T00:00:00Z). A time must carry its zone; a
 * bare date is midnight China time.
 */
export function parseDateTime(name: string, raw: string): Date {
  const m = W3C_DATETIME.exec(raw);
  if (!m) throw invalid(`${name} must be a w3c datetime with a time zone, e.g. 2026-10-01T00:00:00+08:00`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = '+08:00'] = m;
  const at = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${frac}${zone}`);
  const sameDay = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).toISOString().slice(0, 10);
  if (Number.isNaN(at.getTime()) || sameDay !== `${y}-${mo}-${d}` || Number(h) > 23 || Number(mi) > 59) {
    throw invalid(`${name} is not a real date and time`);
  }
  return at;
}

const DAY_MS = 86_400_000;

function positive(name: string, raw: string | null, fallback: number, max: number): number {
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
    throw invalid(`${name} must be a whole number from 1 to ${max}`);
  }
  return Number(raw);
}

/** Comma-separated and/or repeated values ("can be declared multiple times, comma delimited"). */
function list(fields: Fields, name: string, max: number): string[] | null {
  const values = (fields.get(name) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim());
  const given = values.filter(Boolean);
  if (!given.length) return null;
  if (given.length > max) throw invalid(`${name} lists more than ${max} values`);
  for (const value of given) text(name, value, 100);
  return [...new Set(given)];
}

/** `extensions=true` (a common extension): the whole public timeline with each request. */
export function readExtensions(fields: Fields): boolean {
  const raw = single(fields, 'extensions', 5);
  if (raw !== null && raw !== 'true' && raw !== 'false') throw invalid('extensions must be true or false');
  return raw === 'true';
}

/**
 * GET requests filters. Without dates the window is the most recent 90 days; start_date and
 * end_date may not span more than 90 days; a list of service_request_id overrides everything else.
 * `updated_after` (a common extension) alone replaces the window, and may reach back 90 days.
 */
export function readRequestQuery(fields: Fields, now: Date): RequestQuery {
  const page = positive('page', single(fields, 'page', 12), 1, 100_000);
  const pageSize = positive('page_size', single(fields, 'page_size', 12), MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const base = { page, pageSize, extensions: readExtensions(fields) };
  const ids = list(fields, 'service_request_id', MAX_PAGE_SIZE);
  if (ids) {
    return { ...base, ids, serviceCodes: null, status: null, requested: null, updatedAfter: null };
  }
  const status = list(fields, 'status', 2);
  if (status?.some((s) => s !== 'open' && s !== 'closed'))
    throw invalid('status must be open, closed or both');
  const serviceCodes = list(fields, 'service_code', 200);
  const read = (name: string) => {
    const raw = single(fields, name, 40);
    return raw === null ? null : parseDateTime(name, raw);
  };
  const start = read('start_date');
  const end = read('end_date');
  const updatedAfter = read('updated_after');
  const window = WINDOW_DAYS * DAY_MS;
  let requested: RequestQuery['requested'];
  if (start && end) {
    if (end < start) throw invalid('end_date is before start_date');
    if (end.getTime() - start.getTime() > window) {
      throw invalid(`start_date and end_date may not span more than ${WINDOW_DAYS} days`);
    }
    requested = { from: start, to: end };
  } else if (start) requested = { from: start, to: new Date(start.getTime() + window) };
  else if (end) requested = { from: new Date(end.getTime() - window), to: end };
  else if (updatedAfter) {
    if (now.getTime() - updatedAfter.getTime() > window) {
      throw invalid(`updated_after may reach back at most ${WINDOW_DAYS} days`);
    }
    requested = null;
  } else requested = { from: new Date(now.getTime() - window), to: now };
  return {
    ...base,
    ids: null,
    serviceCodes,
    status: status as RequestQuery['status'],
    requested,
    updatedAfter,
  };
}
