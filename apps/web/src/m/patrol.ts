// The patrol on the phone: positions from the browser's geolocation, kept in IndexedDB and sent in
// batches; a batch that could not go (no network) is sent again later. The server keys positions
// by their time, so a resend never stores a position twice.

import type { Patrol, PatrolKind } from '@doorstep/contracts';
import { createStore, del, entries, set } from 'idb-keyval';
import { ref } from 'vue';
import { isRetryable } from '../shared/api';
import { api } from './session';

interface Fix {
  patrolId: string;
  lat: number;
  lng: number;
  at: string;
  accuracyM?: number;
}

const store = createStore('doorstep-m-track', 'points');
/** Positions a batch may carry (the server takes up to 500). */
const BATCH = 200;

export const patrol = ref<Patrol | null>(null);
/** Positions taken and not yet acknowledged by the server. */
export const unsent = ref(0);
export const taken = ref(0);
export const lastFix = ref<{ lat: number; lng: number; accuracyM?: number } | null>(null);

let watchId: number | null = null;
let timer: number | null = null;

async function pending(patrolId: string): Promise<[string, Fix][]> {
  const all = (await entries<string, Fix>(store)).filter(([, fix]) => fix.patrolId === patrolId);
  return all.sort(([a], [b]) => a.localeCompare(b));
}

async function countUnsent() {
  unsent.value = patrol.value ? (await pending(patrol.value.id)).length : 0;
}

/** Sends what is waiting, in batches; stops at the first network failure (still offline). */
export async function sendTrack(): Promise<void> {
  const current = patrol.value;
  if (!current) return;
  const waiting = await pending(current.id);
  for (let i = 0; i < waiting.length; i += BATCH) {
    const batch = waiting.slice(i, i + BATCH);
    try {
      await api.post(`/patrols/${current.id}/track`, {
        points: batch.map(([, f]) => ({
          lat: f.lat,
          lng: f.lng,
          at: f.at,
          ...(f.accuracyM ? { accuracyM: f.accuracyM } : {}),
        })),
      });
    } catch (error) {
      if (isRetryable(error)) break;
      // Refused for good (a time outside the patrol): dropping it is all that can be done.
    }
    for (const [key] of batch) await del(key, store);
  }
  await countUnsent();
}

function record(position: GeolocationPosition) {
  const current = patrol.value;
  if (!current) return;
  const fix: Fix = {
    patrolId: current.id,
    lat: position.coords.latitude,
    lng: position.coords.longitude,
    at: new Date(position.timestamp || Date.now()).toISOString(),
    accuracyM: Math.min(100_000, Math.round(position.coords.accuracy)),
  };
  lastFix.value = { lat: fix.lat, lng: fix.lng, accuracyM: fix.accuracyM };
  taken.value++;
  void set(`${current.id}:${fix.at}`, fix, store).then(countUnsent);
}

function follow() {
  if (watchId === null && 'geolocation' in navigator) {
    watchId = navigator.geolocation.watchPosition(record, () => undefined, {
      enableHighAccuracy: true,
      maximumAge: 5_000,
      timeout: 30_000,
    });
  }
  timer ??= window.setInterval(() => void sendTrack(), 15_000);
}

function stopFollowing() {
  if (watchId !== null) navigator.geolocation.clearWatch(watchId);
  if (timer !== null) window.clearInterval(timer);
  watchId = null;
  timer = null;
}

/** Picks up a patrol left open (a reload, a new day of the app). */
export async function resumePatrol(): Promise<void> {
  const { patrol: open } = await api.get<{ patrol: Patrol | null }>('/patrols/current');
  patrol.value = open;
  if (open) follow();
  await countUnsent();
}

export async function startPatrol(kind: PatrolKind): Promise<void> {
  const { id } = await api.post<{ id: string }>('/patrols', { kind });
  await resumePatrol();
  if (!patrol.value) patrol.value = { id } as Patrol;
  follow();
}

/** Sends the rest of the track, then finishes: the server sums the walk. */
export async function finishPatrol(): Promise<{ distanceM: number; points: number }> {
  const current = patrol.value;
  if (!current) throw new Error('no patrol');
  await sendTrack();
  const done = await api.post<{ distanceM: number; points: number }>(`/patrols/${current.id}/finish`, {});
  stopFollowing();
  patrol.value = null;
  taken.value = 0;
  lastFix.value = null;
  await countUnsent();
  return done;
}

window.addEventListener('online', () => void sendTrack());
