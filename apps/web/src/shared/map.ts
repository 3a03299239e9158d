// Map settings for every app, in one place. Coordinates: the API, the database and the browser's
// geolocation all speak WGS-84. Tiles of Chinese providers (AutoNavi/Gaode, Tencent) are drawn in
// GCJ-02, so a point is shifted WGS-84 → GCJ-02 only to draw it on such tiles, and a pin dragged on
// them is shifted back before it is sent. With WGS-84 tiles (OpenStreetMap, a government GIS in
// CGCS2000, which differs from WGS-84 by centimetres) or no tiles at all, nothing is converted.
import gcoord from 'gcoord';
import { reactive } from 'vue';

export interface TileSource {
  /** Leaflet URL template, e.g. `https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}`. */
  url: string;
  /** The datum the tiles are drawn in. */
  crs: 'WGS84' | 'GCJ02';
  attribution: string;
  subdomains?: string;
  maxZoom?: number;
}

export interface LatLng {
  lat: number;
  lng: number;
}

export const mapConfig: {
  /**
   * null: no tiles. The maps then draw only our own data (pins, stations, grids) on a blank
   * background, so they work on an isolated government network with no tile server. The server's
   * DOORSTEP_TILE_URL sets a source (loadMapConfig reads it from GET /api/v1/public/map).
   */
  tiles: TileSource | null;
  /** Where a map opens when nothing better is known: the middle of the demo district (光明区). */
  defaultCenter: LatLng;
  /** Street level: a 500 m station radius fills a phone screen. */
  defaultZoom: number;
} = reactive({
  tiles: null,
  defaultCenter: { lat: 22.7687, lng: 113.9357 },
  defaultZoom: 16,
});

let loading: Promise<void> | null = null;

/**
 * Asks the server once which base map to draw. Maps wait for it before drawing (a point drawn for
 * WGS-84 tiles would sit wrong on GCJ-02 ones); no answer within 3 s (offline): no tiles.
 */
export function loadMapConfig(): Promise<void> {
  loading ??= fetch('/api/v1/public/map', { signal: AbortSignal.timeout(3000) })
    .then((response) => (response.ok ? (response.json() as Promise<{ tiles: TileSource | null }>) : null))
    .then((reply) => {
      mapConfig.tiles = reply?.tiles ?? null;
    })
    .catch(() => undefined);
  return loading;
}

const tilesAreGcj = () => mapConfig.tiles?.crs === 'GCJ02';

/** A WGS-84 point from the API or the GPS → where to draw it on the configured tiles. */
export function toDisplay(point: LatLng): LatLng {
  if (!tilesAreGcj()) return point;
  const [lng, lat] = gcoord.transform([point.lng, point.lat], gcoord.WGS84, gcoord.GCJ02);
  return { lat, lng };
}

/** A point picked on the map → WGS-84 for the API. */
export function fromDisplay(point: LatLng): LatLng {
  if (!tilesAreGcj()) return point;
  const [lng, lat] = gcoord.transform([point.lng, point.lat], gcoord.GCJ02, gcoord.WGS84);
  return { lat, lng };
}

/**
 * Text for a Leaflet tooltip or popup. Leaflet writes a string with `innerHTML`, so a title, an
 * address or a unit's name would become live markup (an `<img src=…>` planted in an appeal ran in
 * the dispatcher's browser): data goes in as a text node, never as a string.
 */
export function mapText(text: string): HTMLElement {
  const span = document.createElement('span');
  span.textContent = text;
  return span;
}
