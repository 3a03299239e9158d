// Everything the wall shows, kept fresh: the session gate, the figures, the open appeals and the
// boundaries, refreshed from the live stream (debounced) and every minute regardless.
import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import {
  type AppealSummary,
  type Boundary,
  chinaToday,
  DISPUTE_STATS_PERMISSION,
  type DisputeStats,
  HOTSPOTS_PERMISSION,
  type HotspotsReply,
  loadBoundaries,
  loadDisputeStats,
  loadHotspots,
  loadOpenAppeals,
  loadPatrols,
  loadStats,
  PATROLS_PERMISSION,
  type PatrolOfDay,
  SCREEN_PERMISSION,
  type SessionUser,
  type Stats,
  whoAmI,
} from './data';

/** A burst of changes (a batch dispatched) becomes one refresh. */
const LIVE_DEBOUNCE_MS = 2_000;
/** Even with no events (a quiet night, a dropped stream), deadlines pass: refresh anyway. */
const POLL_MS = 60_000;
/** After the server is unreachable or the stream was refused, ask again this often. */
const RETRY_MS = 15_000;

export type Gate = 'checking' | 'signed-out' | 'forbidden' | 'ready';

export function useWallData() {
  const gate = ref<Gate>('checking');
  const me = ref<SessionUser | null>(null);
  const today = shallowRef<Stats | null>(null);
  const month = shallowRef<Stats | null>(null);
  const disputes = shallowRef<DisputeStats | null>(null);
  const risks = shallowRef<HotspotsReply | null>(null);
  const openAppeals = shallowRef<AppealSummary[]>([]);
  const overdue = shallowRef<AppealSummary[]>([]);
  const patrols = shallowRef<PatrolOfDay[]>([]);
  const boundaries = shallowRef<Boundary[]>([]);
  const failed = ref(false);
  const updatedAt = ref<Date | null>(null);
  const live = ref(false);

  async function refresh() {
    const may = (permission: string) => me.value?.permissions.includes(permission) ?? false;
    const [todayStats, monthStats, open, late, mediation, hotspots, walks] = await Promise.allSettled([
      loadStats({ from: chinaToday(), to: chinaToday() }),
      loadStats(),
      loadOpenAppeals(1000),
      loadOpenAppeals(200, { overdue: 'true' }),
      may(DISPUTE_STATS_PERMISSION) ? loadDisputeStats(chinaToday()) : Promise.resolve(null),
      may(HOTSPOTS_PERMISSION) ? loadHotspots() : Promise.resolve(null),
      may(PATROLS_PERMISSION) ? loadPatrols(chinaToday()) : Promise.resolve([]),
    ]);
    if (walks.status === 'fulfilled') patrols.value = walks.value;
    if (mediation.status === 'fulfilled') disputes.value = mediation.value;
    if (hotspots.status === 'fulfilled') risks.value = hotspots.value;
    if (todayStats.status === 'fulfilled') today.value = todayStats.value;
    if (monthStats.status === 'fulfilled') month.value = monthStats.value;
    if (open.status === 'fulfilled') openAppeals.value = open.value;
    if (late.status === 'fulfilled') overdue.value = late.value;
    failed.value = [todayStats, monthStats, open, late, mediation, hotspots, walks].some(
      (r) => r.status === 'rejected',
    );
    updatedAt.value = new Date();
  }

  let stream: EventSource | null = null;
  let debounce: ReturnType<typeof setTimeout> | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;

  function listen() {
    const source = new EventSource('/api/v1/events');
    stream = source;
    source.addEventListener('ready', () => {
      live.value = true;
    });
    source.onmessage = () => {
      if (debounce) return;
      debounce = setTimeout(() => {
        debounce = undefined;
        void refresh();
      }, LIVE_DEBOUNCE_MS);
    };
    source.onerror = () => {
      live.value = source.readyState === EventSource.OPEN;
      // Refused for good (401 once the session ended): find out why, back to the gate if so.
      if (source.readyState === EventSource.CLOSED) retry = setTimeout(() => void start(), RETRY_MS);
    };
    source.addEventListener('end', () => {
      live.value = false;
      void start(); // the session ended (idle, logout) or the server restarts
    });
  }

  async function start() {
    clearTimeout(retry);
    let who: SessionUser | 'signed-out';
    try {
      who = await whoAmI();
    } catch {
      // Server down or the network gone: the wall keeps trying by itself.
      failed.value = true;
      retry = setTimeout(() => void start(), RETRY_MS);
      return;
    }
    if (who === 'signed-out') {
      gate.value = 'signed-out';
      stream?.close();
      return;
    }
    me.value = who;
    if (!who.permissions.includes(SCREEN_PERMISSION)) {
      gate.value = 'forbidden';
      return;
    }
    gate.value = 'ready';
    void loadBoundaries(who.orgId)
      .then((list) => {
        boundaries.value = list;
      })
      .catch(() => undefined);
    await refresh();
    if (!stream || stream.readyState === EventSource.CLOSED) listen();
  }

  let poll: ReturnType<typeof setInterval> | undefined;
  onMounted(() => {
    poll = setInterval(() => {
      if (gate.value === 'ready') void refresh();
    }, POLL_MS);
    void start();
  });
  onBeforeUnmount(() => {
    clearInterval(poll);
    clearTimeout(debounce);
    clearTimeout(retry);
    stream?.close();
  });

  return {
    gate,
    me,
    today,
    month,
    disputes,
    risks,
    openAppeals,
    overdue,
    patrols,
    boundaries,
    failed,
    updatedAt,
    live,
  };
}
