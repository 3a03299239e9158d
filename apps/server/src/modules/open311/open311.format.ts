import { XMLBuilder } from 'fast-xml-parser';
import { LONE_SURROGATE } from './open311.input.ts';
import type { Format } from './open311.types.ts';

/**
 * The two wire formats. JSON is the spec's "Spark convention" mapping of the XML: a list becomes
 * a JSON array, and in XML each list element wraps one element per item, named here.
 */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  service_requests: 'request',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  notes: 'note',
  errors: 'error',
};

const builder = new XMLBuilder({ format: true, ignoreAttributes: false, processEntities: true });

/**
 * Characters XML 1.0 cannot carry at all, even escaped (and C1 controls, which it discourages);
 * text from older channels may hold them.
 */
const NOT_XML = /(?![\t\n\r])\p{Cc}|[\uFFFE\uFFFF]/gu;

function spark(value: unknown, key: string): unknown {
  if (Array.isArray(value)) {
    const item = ITEM_NAMES[key];
    if (!item) throw new Error(`no XML item name for the list ${key}`);
    return { [item]: value.map((v) => spark(v, item)) };
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, spark(v, k)]),
    );
  }
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '').replace(NOT_XML, '');
  return value;
}

/** `<?xml version="1.0" encoding="utf-8"?>` then the root element; no namespace, as the spec asks. */
export function toXml(root: string, value: unknown): string {
  return builder.build({ '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' }, [root]: spark(value, root) });
}

/** One document in the format the URL asked for: `root` names the XML element (lists: its plural). */
export function render(format: Format, root: string, value: unknown): string {
  return format === 'json' ? JSON.stringify(value) : toXml(root, value);
}

/** The spec's error document: `[{"code":404,"description":"…"}]` / `<errors><error>…</error></errors>`. */
export function renderErrors(format: Format, list: { code: number; description: string }[]): string {
  return render(format, 'errors', list);
}

// Open311 datetimes carry the China offset (the spec requires a zone): platform/calendar says how.
export { chinaIso } from '../../platform/calendar/index.ts';

/** The format named by a path's extension; XML (the spec's required format) for anything else. */
export function formatOfUrl(url: string): Format {
  return (url.split('?')[0] ?? '').endsWith('.json') ? 'json' : 'xml';
}
