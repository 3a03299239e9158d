// Which pages each role finds in the menu. This only decides what to show: every call behind a
// page is still checked by the server's policy tables (apps/server/src/modules/*/*.policy.ts), and
// the lists below follow them — a menu entry whose calls would all answer 403 is a broken promise.
import type { RouteName } from './router';
import { strings } from './strings';

const BUSINESS = [
  'grid_worker',
  'station_staff',
  'community_staff',
  'subdistrict_dispatcher',
  'district_dispatcher',
  'department_handler',
  'mediator',
  'leader',
];
/** Who oversees overdue work: the dispatch desks and leaders (督办 is theirs in the transition table). */
const OVERSEERS = ['district_dispatcher', 'subdistrict_dispatcher', 'leader', 'community_staff'];
/** The big screen is a command-centre view (stats of a subtree, live map): dispatchers and leaders. */
export const SCREEN_ROLES = ['district_dispatcher', 'subdistrict_dispatcher', 'leader'];

export interface MenuEntry {
  route: RouteName;
  label: string;
  roles: readonly string[];
}

export const MENU: readonly MenuEntry[] = [
  { route: 'home', label: strings.menu.home, roles: BUSINESS },
  { route: 'inbox', label: strings.menu.inbox, roles: BUSINESS },
  { route: 'appeals', label: strings.menu.appeals, roles: BUSINESS },
  { route: 'supervision', label: strings.menu.supervision, roles: OVERSEERS },
  // 三权分立: each admin role sees its own page and nothing else (orgs.manage / users.manage / audit.read).
  { route: 'orgs', label: strings.menu.orgs, roles: ['system_admin'] },
  { route: 'users', label: strings.menu.users, roles: ['security_admin'] },
  { route: 'audit', label: strings.menu.audit, roles: ['auditor'] },
];

const allows = (entry: MenuEntry, roles: readonly string[]) =>
  roles.some((role) => entry.roles.includes(role));

export function menuFor(roles: readonly string[]): MenuEntry[] {
  return MENU.filter((entry) => allows(entry, roles));
}

/** The page a route shows to these roles: the route itself if allowed, else their first page. */
export function allowedRoute(name: RouteName, roles: readonly string[]): RouteName | null {
  // The detail page belongs to the list: whoever may see the list may open an appeal.
  const owner = name === 'appeal' ? 'appeals' : name;
  const entry = MENU.find((item) => item.route === owner);
  if (entry && allows(entry, roles)) return name;
  return menuFor(roles)[0]?.route ?? null;
}

export const canOpenScreen = (roles: readonly string[]) => roles.some((role) => SCREEN_ROLES.includes(role));

/** The live event stream is business data: the three admin roles are refused it (events.policy.ts). */
export const canReceiveEvents = (roles: readonly string[]) =>
  roles.some((role) => !['system_admin', 'security_admin', 'auditor'].includes(role));
