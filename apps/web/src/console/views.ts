// Filters of the appeal list, their query string for `GET /api/v1/appeals`, and the user's saved
// views. Views stay in this browser (localStorage, per user): they are a convenience, not shared
// configuration, and hold no personal data — only filter values.

export interface AppealFilter {
  q: string;
  status: string[];
  categoryId: number | null;
  channel: string;
  orgId: number | null;
  overdue: boolean;
  dueSoon: boolean;
  escalationLevel: number | null;
  /** China dates, YYYY-MM-DD, both inclusive. */
  from: string;
  to: string;
  /** submitted: newest first; due: finish deadline soonest first. */
  sort: 'submitted' | 'due';
}

export interface SavedView {
  name: string;
  filter: AppealFilter;
}

export const emptyFilter = (): AppealFilter => ({
  q: '',
  status: [],
  categoryId: null,
  channel: '',
  orgId: null,
  overdue: false,
  dueSoon: false,
  escalationLevel: null,
  from: '',
  to: '',
  sort: 'submitted',
});

/** A plain copy (the page's filter is a reactive proxy, which structuredClone refuses). */
export const copyFilter = (filter: AppealFilter): AppealFilter => ({ ...filter, status: [...filter.status] });

/** Start of a China date (UTC+8, no daylight saving) as an ISO instant. */
const chinaDayStart = (date: string) => new Date(`${date}T00:00:00+08:00`);

/** The filters as query parameters, shared by the list and the export. */
function filterParams(filter: AppealFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.q.trim()) params.set('q', filter.q.trim());
  for (const status of filter.status) params.append('status', status);
  if (filter.categoryId) params.set('categoryId', String(filter.categoryId));
  if (filter.channel) params.set('channel', filter.channel);
  if (filter.orgId) params.set('orgId', String(filter.orgId));
  if (filter.overdue) params.set('overdue', 'true');
  if (filter.dueSoon) params.set('dueSoon', 'true');
  if (filter.escalationLevel !== null) params.set('escalationLevel', String(filter.escalationLevel));
  if (filter.from) params.set('from', chinaDayStart(filter.from).toISOString());
  if (filter.to) {
    // `to` is exclusive on the server: the start of the next China day.
    const next = chinaDayStart(filter.to);
    next.setUTCDate(next.getUTCDate() + 1);
    params.set('to', next.toISOString());
  }
  if (filter.sort === 'due') params.set('sort', 'due');
  return params;
}

/** The list's query: the first page asks for the total too. */
export function filterQuery(filter: AppealFilter, cursor?: string | null, limit = 50): string {
  const params = filterParams(filter);
  if (cursor) params.set('cursor', cursor);
  else params.set('count', 'true');
  params.set('limit', String(limit));
  return params.toString();
}

/** The export's query: the same filters, the file's format. */
export function exportQuery(filter: AppealFilter, format: 'csv' | 'xlsx'): string {
  const params = filterParams(filter);
  params.set('format', format);
  return params.toString();
}

const storageKey = (userId: string) => `doorstep.console.views.${userId}`;

export function loadViews(userId: string): SavedView[] {
  try {
    const raw = JSON.parse(localStorage.getItem(storageKey(userId)) ?? '[]') as unknown;
    if (!Array.isArray(raw)) return [];
    return raw
      .filter((view): view is SavedView => typeof view?.name === 'string' && typeof view?.filter === 'object')
      .map((view) => ({ name: view.name, filter: { ...emptyFilter(), ...view.filter } }));
  } catch {
    return []; // storage disabled or a corrupt entry: start without views
  }
}

export function storeViews(userId: string, views: SavedView[]): void {
  try {
    localStorage.setItem(storageKey(userId), JSON.stringify(views));
  } catch {
    // Private mode or full storage: the view lives until the page closes.
  }
}
