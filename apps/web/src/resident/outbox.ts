// Submissions that could not be sent (no network, gateway down) wait in localStorage and are sent
// again on the `online` event, when the page becomes visible, every minute, and on the next visit —
// always under the Idempotency-Key they were first given, so however many times a retry reaches
// the server, one appeal exists. The tracking codes of sent appeals are kept too ("我的反映").

import type { NewAppeal, Submitted } from '@doorstep/contracts';
import { compactCode } from '@doorstep/contracts/vocabulary';
import { ref } from 'vue';
import { isRetryable, residentApi } from './api';
import { describeError } from './errors';

export interface OutboxEntry {
  /** The Idempotency-Key: fixed for the life of the entry. */
  key: string;
  savedAt: string;
  categoryName: string | null;
  body: NewAppeal;
  /** Photos not uploaded yet, as data URLs; uploaded one by one before the first POST. */
  pendingPhotos: string[];
  /**
   * A POST has been attempted. From then on the body never changes: the server may already hold
   * it under this key, and the same key with another body is refused (422 idempotency_key_reused).
   */
  posted: boolean;
  /** The server's final refusal (not a network failure): shown, never retried by itself. */
  error: string | null;
}

/** A sent appeal kept on this device: the server's receipt, and what the resident picked. */
export type RecentAppeal = Pick<Submitted, 'trackingCode' | 'submittedAt' | 'acceptDueAt'> & {
  key: string;
  categoryName: string | null;
  /** The 评价码 (kept so the resident rates from this phone without typing it; absent before it existed). */
  ratingToken?: string | null;
};

const OUTBOX = 'doorstep.resident.outbox.v1';
const RECENT = 'doorstep.resident.recent.v1';
const RECENT_MAX = 20;

function read<T>(name: string): T[] {
  try {
    const value: unknown = JSON.parse(window.localStorage.getItem(name) ?? '[]');
    return Array.isArray(value) ? (value as T[]) : [];
  } catch {
    return [];
  }
}

/** False when the browser refused (storage full, or disabled in a private window). */
function write(name: string, value: unknown): boolean {
  try {
    window.localStorage.setItem(name, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export const outbox = ref<OutboxEntry[]>(read<OutboxEntry>(OUTBOX));
export const recent = ref<RecentAppeal[]>(read<RecentAppeal>(RECENT));

// Another tab sent or saved something: show the same lists here.
window.addEventListener('storage', (event) => {
  if (event.key === OUTBOX) outbox.value = read<OutboxEntry>(OUTBOX);
  if (event.key === RECENT) recent.value = read<RecentAppeal>(RECENT);
});

/** 128 random bits. Not crypto.randomUUID(): that exists only on HTTPS, and intranets serve HTTP. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `h5-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function saveOutbox(): boolean {
  return write(OUTBOX, outbox.value);
}

/**
 * Keeps an entry to send later. Photos are large: when storage is full they are dropped (the text
 * still goes) and the count of dropped photos is returned so the page can say so.
 */
export function keep(entry: OutboxEntry): { droppedPhotos: number } {
  outbox.value = [...outbox.value.filter((e) => e.key !== entry.key), entry];
  if (saveOutbox()) return { droppedPhotos: 0 };
  const droppedPhotos = entry.pendingPhotos.length;
  entry.pendingPhotos = [];
  outbox.value = [...outbox.value];
  saveOutbox();
  return { droppedPhotos };
}

export function discard(key: string): void {
  outbox.value = outbox.value.filter((e) => e.key !== key);
  saveOutbox();
}

function remember(entry: OutboxEntry, submitted: Submitted): RecentAppeal {
  const item: RecentAppeal = {
    key: entry.key,
    trackingCode: submitted.trackingCode,
    ratingToken: submitted.ratingToken,
    categoryName: entry.categoryName,
    submittedAt: submitted.submittedAt,
    acceptDueAt: submitted.acceptDueAt,
  };
  recent.value = [item, ...recent.value.filter((r) => r.key !== entry.key)].slice(0, RECENT_MAX);
  write(RECENT, recent.value);
  discard(entry.key);
  return item;
}

/** The 评价码 this phone keeps for a tracking code, if it filed that appeal. */
export function ratingTokenFor(trackingCode: string): string | null {
  const wanted = compactCode(trackingCode);
  return recent.value.find((r) => compactCode(r.trackingCode) === wanted)?.ratingToken ?? null;
}

function dataUrlToBlob(dataUrl: string): Blob {
  // Decoded by hand: fetch('data:…') would need `connect-src data:` in the CSP.
  const [head = '', data = ''] = dataUrl.split(',', 2);
  const type = /^data:([^;]+)/.exec(head)?.[1] ?? 'image/jpeg';
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

const isKept = (entry: OutboxEntry) => outbox.value.some((e) => e.key === entry.key);

/**
 * One attempt at sending an entry: its waiting photos first, then the appeal. Resolves with the
 * receipt (and records it in 我的反映); rejects with the API error, the entry updated in place.
 */
export async function deliver(entry: OutboxEntry): Promise<RecentAppeal> {
  while (entry.pendingPhotos.length > 0) {
    const upload = await residentApi.upload(dataUrlToBlob(entry.pendingPhotos[0]!), 'photo.jpg');
    entry.body.attachments = [...(entry.body.attachments ?? []), upload.id];
    entry.pendingPhotos = entry.pendingPhotos.slice(1);
    if (isKept(entry)) saveOutbox();
  }
  if (!entry.posted) {
    entry.posted = true;
    if (isKept(entry)) saveOutbox();
  }
  const submitted = await residentApi.submit(entry.body, entry.key);
  return remember(entry, submitted);
}

let flushing: Promise<void> | null = null;

/** Tries every waiting entry once, in order; a network failure stops the round (still offline). */
export function flushOutbox(onSent?: (item: RecentAppeal) => void): Promise<void> {
  flushing ??= (async () => {
    try {
      for (const entry of [...outbox.value]) {
        if (entry.error) continue;
        try {
          onSent?.(await deliver(entry));
        } catch (error) {
          if (isRetryable(error)) break;
          entry.error = describeError(error);
          outbox.value = [...outbox.value];
          saveOutbox();
        }
      }
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

/** A refused entry the resident asks to send again (e.g. after the server was fixed). */
export function retryRefused(key: string, onSent?: (item: RecentAppeal) => void): Promise<void> {
  const entry = outbox.value.find((e) => e.key === key);
  if (entry) entry.error = null;
  return flushOutbox(onSent);
}

/** Starts the retries for the life of the page. */
export function startOutbox(onSent: (item: RecentAppeal) => void): void {
  const flush = () => {
    if (outbox.value.some((e) => !e.error)) void flushOutbox(onSent);
  };
  window.addEventListener('online', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') flush();
  });
  // `online` is not fired when the phone was on a network all along and only the server was down.
  window.setInterval(flush, 60_000);
  flush();
}
