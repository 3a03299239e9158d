import turfBbox from '@turf/bbox';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { MultiPolygon, Polygon } from 'geojson';
import { systemActor } from '../../src/platform/auth/actor.ts';
import { bearer, type Harness } from './harness.ts';

export const V2 = '/open311/v2';

/** Elements that are lists in GeoReport v2 XML: always arrays after parsing, even with one item. */
const LISTS = new Set(['service', 'request', 'attribute', 'value', 'endpoint', 'format', 'note', 'error']);

const parser = new XMLParser({
  // Keep every value as the text the server wrote: the tests compare strings, as a client reads them.
  parseTagValue: false,
  isArray: (name) => LISTS.has(name),
});

/** Parses an XML reply back, after checking it is well-formed and starts with the declaration. */
export function parseXml(body: string): Record<string, unknown> {
  if (!body.startsWith('<?xml version="1.0" encoding="utf-8"?>')) {
    throw new Error(`no XML declaration: ${body.slice(0, 80)}`);
  }
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new Error(`malformed XML: ${JSON.stringify(valid.err)}`);
  const parsed = parser.parse(body) as Record<string, unknown>;
  delete parsed['?xml'];
  return parsed;
}

/** An application/x-www-form-urlencoded body, as the spec's example request sends it. */
export function form(fields: Record<string, string | string[]>): string {
  return Object.entries(fields)
    .flatMap(([name, value]) =>
      [value].flat().map((v) => `${encodeURIComponent(name)}=${encodeURIComponent(v)}`),
    )
    .join('&');
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

/** A new API key through the same service the CLI uses; returns the key's value. */
export async function createKey(h: Harness, name: string, ratePerMinute?: number): Promise<string> {
  const created = await h.services.open311Keys.create(systemActor(['system_admin']), { name, ratePerMinute });
  return created.key;
}

/** A point inside the grid worker's grid, so a pin lands in a known place. */
export async function pointInGrid(h: Harness): Promise<{ lat: number; long: number; gridId: number }> {
  const token = await h.login('grid-worker');
  const me = (await h.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).json().user;
  const grid = (await h.app.inject({ url: `/api/v1/orgs/${me.orgId}`, headers: bearer(token) })).json();
  const boundary = grid.boundary as Polygon | MultiPolygon;
  const [minLng, minLat, maxLng, maxLat] = turfBbox(boundary);
  for (let i = 1; i < 20; i++) {
    for (let j = 1; j < 20; j++) {
      const lng = minLng + ((maxLng - minLng) * i) / 20;
      const lat = minLat + ((maxLat - minLat) * j) / 20;
      if (booleanPointInPolygon([lng, lat], boundary)) {
        return { lat: Number(lat.toFixed(6)), long: Number(lng.toFixed(6)), gridId: me.orgId };
      }
    }
  }
  throw new Error('no point found inside the grid');
}

/** The demo catalogue's manhole item (required list attribute cover_type) and street-light item. */
export const MANHOLE = 'SP-SZ-001';
export const STREET_LIGHT = 'SP-SZ-003';
