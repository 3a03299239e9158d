// Which pages each user finds in the menu: a page is shown to whoever holds the permission its
// calls need, as the server's policy table grants it (the `permissions` of /auth/me and the login
// reply). This only decides what to show; every call is still checked by the server.
import type { SessionUser } from '@doorstep/contracts';
import { SCREEN_PERMISSION } from '../shared/permissions';
import type { RouteName } from './router';
import { strings } from './strings';

export interface MenuEntry {
  route: RouteName;
  label: string;
  /** Shown to whoever holds any of these. */
  permission: string | readonly string[];
}

export const MENU: readonly MenuEntry[] = [
  { route: 'home', label: strings.menu.home, permission: 'appeals.read' },
  // The reception hall's desk (一窗受理): hall clerks, and the desks that also receive visitors.
  { route: 'visits', label: strings.menu.visits, permission: 'visits.desk' },
  { route: 'hall-board', label: strings.menu.hallBoard, permission: 'visits.desk' },
  { route: 'inbox', label: strings.menu.inbox, permission: 'appeals.read' },
  { route: 'appeals', label: strings.menu.appeals, permission: 'appeals.read' },
  { route: 'disputes', label: strings.menu.disputes, permission: 'disputes.read' },
  { route: 'supervision', label: strings.menu.supervision, permission: 'appeals.supervise' },
  { route: 'accountability', label: strings.menu.accountability, permission: 'accountability.read' },
  // The directory of units and their phones: every working role (a dispatcher looks up whom to
  // call) and the system admin. 三权分立: each admin role sees its own page and nothing else.
  { route: 'orgs', label: strings.menu.orgs, permission: ['appeals.read', 'orgs.manage'] },
  { route: 'users', label: strings.menu.users, permission: 'users.manage' },
  { route: 'audit', label: strings.menu.audit, permission: 'audit.read' },
];

type Holder = Pick<SessionUser, 'permissions'>;

const allows = (entry: MenuEntry, user: Holder) =>
  (typeof entry.permission === 'string' ? [entry.permission] : entry.permission).some((permission) =>
    user.permissions.includes(permission),
  );

export function menuFor(user: Holder): MenuEntry[] {
  return MENU.filter((entry) => allows(entry, user));
}

/** The page a route shows to these roles: the route itself if allowed, else their first page. */
export function allowedRoute(name: RouteName, user: Holder): RouteName | null {
  // The detail page belongs to the list: whoever may see the list may open an appeal.
  const owner = name === 'appeal' ? 'appeals' : name === 'dispute' ? 'disputes' : name;
  const entry = MENU.find((item) => item.route === owner);
  if (entry && allows(entry, user)) return name;
  return menuFor(user)[0]?.route ?? null;
}

/** The command-centre wall: dispatch desks and leaders (stats.policy.ts). */
export const canOpenScreen = (user: Holder) => user.permissions.includes(SCREEN_PERMISSION);

/** Roles that work on foot: on a phone the console offers them the mobile workbench (/m/). */
const FIELD_ROLES = ['grid_worker', 'station_staff', 'community_staff', 'department_handler', 'mediator'];
export const isFieldWorker = (user: Pick<SessionUser, 'roles'>) =>
  user.roles.some((role) => FIELD_ROLES.includes(role));

/** The live event stream is business data: the three admin roles are refused it (events.policy.ts). */
export const canReceiveEvents = (user: Holder) => user.permissions.includes('events.read');
