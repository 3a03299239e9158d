// Client-side routes of the console, on the History API under /console/ (the server answers
// console/index.html for any path below it, so every page can be reloaded or bookmarked).
// Written by hand rather than with vue-router, like the resident app's router: ten flat routes,
// one parameter, no nesting — and no extra dependency for the three apps to agree on.
import { shallowRef } from 'vue';

export const BASE = '/console';

export type RouteName =
  | 'home'
  | 'inbox'
  | 'appeals'
  | 'appeal'
  | 'visits'
  | 'hall-board'
  | 'disputes'
  | 'dispute'
  | 'supervision'
  | 'accountability'
  | 'orgs'
  | 'users'
  | 'audit';

export interface Route {
  name: RouteName;
  /** The record id of `/console/appeals/{id}` and `/console/disputes/{id}`. */
  id?: string;
  query: URLSearchParams;
}

const SIMPLE: Record<string, RouteName> = {
  '': 'home',
  inbox: 'inbox',
  appeals: 'appeals',
  visits: 'visits',
  'hall-board': 'hall-board',
  disputes: 'disputes',
  supervision: 'supervision',
  accountability: 'accountability',
  orgs: 'orgs',
  users: 'users',
  audit: 'audit',
};

export function parseRoute(pathname: string, search = ''): Route {
  const query = new URLSearchParams(search);
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean);
  const record = parts.length === 2 && /^[0-9a-f-]{36}$/i.test(parts[1]!) ? parts[1] : undefined;
  if (record && parts[0] === 'appeals') return { name: 'appeal', id: record, query };
  if (record && parts[0] === 'disputes') return { name: 'dispute', id: record, query };
  return { name: SIMPLE[parts.join('/')] ?? 'home', query };
}

export const route = shallowRef<Route>(parseRoute(window.location.pathname, window.location.search));

/** The URL of a route, for links (`href`) and navigation. */
export function hrefOf(
  name: RouteName,
  params: { id?: string; query?: Record<string, string> } = {},
): string {
  const path =
    name === 'home'
      ? '/'
      : name === 'appeal'
        ? `/appeals/${params.id}`
        : name === 'dispute'
          ? `/disputes/${params.id}`
          : `/${name}`;
  const query = params.query ? new URLSearchParams(params.query).toString() : '';
  return `${BASE}${path}${query ? `?${query}` : ''}`;
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const url = new URL(href, window.location.origin);
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  route.value = parseRoute(url.pathname, url.search);
  if (!options.replace) window.scrollTo(0, 0);
}

/** Plain left clicks on our own links navigate in place; other clicks (new tab…) keep the browser's way. */
export function onLinkClick(event: MouseEvent, href: string): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(href);
}

window.addEventListener('popstate', () => {
  route.value = parseRoute(window.location.pathname, window.location.search);
});
