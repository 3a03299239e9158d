// Client-side routes of the resident app, on the History API: the server answers index.html for any
// path without a file extension (outside /console and /screen), so every URL here can be reloaded
// or shared. Written by hand rather than with vue-router: four flat routes, no guards, no nesting —
// a page of code instead of ~10 KB gzipped on the first screen of a phone on a slow network.
import { shallowRef } from 'vue';
import { readQrLanding } from './station-code';

export type Route =
  | { name: 'home' }
  /** `/report`, `/report?station=CODE` (from the nearby list), `/q/CODE` (a station's QR code). */
  | { name: 'report'; stationCode: string | null; viaQr: boolean; invalidQr: boolean }
  | { name: 'track'; code: string | null }
  | { name: 'nearby' };

export function parseRoute(pathname: string, search = ''): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (path.startsWith('/q/') || path === '/q') {
    const landing = readQrLanding(pathname);
    return landing.kind === 'station'
      ? { name: 'report', stationCode: landing.stationCode, viaQr: true, invalidQr: false }
      : { name: 'report', stationCode: null, viaQr: false, invalidQr: true };
  }
  if (path === '/report') {
    const station = new URLSearchParams(search).get('station');
    const valid = station !== null && /^[A-Za-z0-9_-]{1,64}$/.test(station);
    return { name: 'report', stationCode: valid ? station : null, viaQr: false, invalidQr: false };
  }
  if (path === '/track') return { name: 'track', code: null };
  const track = /^\/track\/([^/]+)$/.exec(path);
  if (track) return { name: 'track', code: safeDecode(track[1] ?? '') };
  if (path === '/nearby') return { name: 'nearby' };
  return { name: 'home' };
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

export const route = shallowRef<Route>(parseRoute(window.location.pathname, window.location.search));

/** Pages reached inside the app carry this state, so 返回 knows whether there is a page to go back to. */
const IN_APP = { doorstep: true };

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = new URL(to, window.location.origin);
  if (options.replace) window.history.replaceState(window.history.state, '', url);
  else window.history.pushState(IN_APP, '', url);
  route.value = parseRoute(url.pathname, url.search);
  window.scrollTo(0, 0);
}

/** Back within the app; to the home page when this page was opened directly (a shared or scanned link). */
export function goBack(): void {
  if ((window.history.state as typeof IN_APP | null)?.doorstep) window.history.back();
  else navigate('/', { replace: true });
}

window.addEventListener('popstate', () => {
  route.value = parseRoute(window.location.pathname, window.location.search);
});

export const trackingLink = (code: string) => `${window.location.origin}/track/${encodeURIComponent(code)}`;
