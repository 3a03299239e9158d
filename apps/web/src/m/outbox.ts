// Steps taken without a network (a basement, a lift, a village edge) wait on the phone and go when
// it is back: on the `online` event, when the app is shown again, and every 30 seconds. Each keeps
// the Idempotency-Key it was given when the worker pressed the button, so a resend whose first copy
// did arrive is answered once by the server (`Idempotent-Replayed`), never acted on twice.
//
// Kept in IndexedDB (idb-keyval), not localStorage: photos are Blobs of ~400 KB each, and a worker
// may queue several cases' worth; localStorage holds 5 MB of strings.

import type { AppealDetail, Submitted, UploadReply } from '@doorstep/contracts';
import { createStore, del, get, set, values } from 'idb-keyval';
import { ref } from 'vue';
import { createApiClient, isRetryable } from '../shared/api';
import { photoFileName } from '../shared/photos';
import { api, messageOf } from './session';

/** A step the workbench may queue: an action on a case, or a finding reported on patrol (a new appeal). */
export type QueuedStep = 'claim' | 'start' | 'resolve' | 'verify' | 'note' | 'report';

export interface QueuedAction {
  /** The Idempotency-Key: fixed for the life of the entry. */
  key: string;
  /** The case acted on ('' for a report: the server gives it its id). */
  appealId: string;
  /** What the worker sees in the waiting list. */
  title: string;
  step: QueuedStep;
  body: Record<string, unknown>;
  /** Photos not uploaded yet; they go one by one before the action, each id into `uploaded`. */
  photos: Blob[];
  uploaded: string[];
  savedAt: string;
  /** The server's final refusal (not a network failure): shown, never retried by itself. */
  error: string | null;
}

const store = createStore('doorstep-m', 'outbox');
// Photos travel over slow mobile links: an upload gets more time than a JSON call.
const uploadApi = createApiClient({ timeoutMs: 60_000 });

/** The waiting steps, oldest first, for the page to show. */
export const queue = ref<QueuedAction[]>([]);

/** The stored entries, oldest first (plain objects: a Vue proxy cannot be stored in IndexedDB). */
async function stored(): Promise<QueuedAction[]> {
  const all = await values<QueuedAction>(store);
  return all.sort((a, b) => a.savedAt.localeCompare(b.savedAt));
}

async function reload(): Promise<void> {
  queue.value = await stored();
}

/** 128 random bits. Not crypto.randomUUID(): that exists only on HTTPS, and intranets serve HTTP. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `m-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Keeps a step to send later (its photos with it). */
export async function enqueue(entry: QueuedAction): Promise<void> {
  await set(entry.key, entry, store);
  await reload();
}

export async function discard(key: string): Promise<void> {
  await del(key, store);
  await reload();
}

/**
 * One attempt at a step: its waiting photos first, then the action, always under the same key.
 * Resolves with the case as the server now has it; rejects with the API error (entry kept).
 */
export async function deliver(entry: QueuedAction): Promise<AppealDetail | Submitted> {
  while (entry.photos.length > 0) {
    const form = new FormData();
    form.append('file', entry.photos[0]!, photoFileName(entry.photos[0]!));
    const upload = await uploadApi.post<UploadReply>('/uploads', form);
    entry.uploaded = [...entry.uploaded, upload.id];
    entry.photos = entry.photos.slice(1);
    // Saved after each photo: a crash between two does not upload the first one again.
    await set(entry.key, entry, store);
  }
  const body = entry.uploaded.length ? { ...entry.body, attachments: entry.uploaded } : entry.body;
  if (entry.step === 'report') {
    const submitted = await api.post<Submitted>('/appeals', body, {
      headers: { 'Idempotency-Key': entry.key },
    });
    await discard(entry.key);
    return submitted;
  }
  // No If-Match: minutes or hours later the version has moved on for harmless reasons (a 催办);
  // the server's state and role rules still decide whether the step may be taken.
  const appeal = await api.post<AppealDetail>(`/appeals/${entry.appealId}/actions/${entry.step}`, body, {
    headers: { 'Idempotency-Key': entry.key },
  });
  await discard(entry.key);
  return appeal;
}

let flushing: Promise<void> | null = null;

/** Tries every waiting step once, in order; a network failure ends the round (still offline). */
export function flushQueue(
  onSent?: (appeal: AppealDetail | Submitted, entry: QueuedAction) => void,
): Promise<void> {
  flushing ??= (async () => {
    try {
      for (const entry of await stored()) {
        if (entry.error) continue;
        try {
          onSent?.(await deliver(entry), entry);
        } catch (error) {
          if (isRetryable(error)) break;
          entry.error = messageOf(error);
          await set(entry.key, entry, store);
        }
      }
      await reload();
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

/** A refused step the worker asks to send again. */
export async function retryRefused(key: string): Promise<void> {
  const entry = await get<QueuedAction>(key, store);
  if (entry) await set(key, { ...entry, error: null }, store);
  await flushQueue(listener);
}

let listener: ((appeal: AppealDetail | Submitted, entry: QueuedAction) => void) | undefined;

/** Starts the resends for the life of the app; `onSent` hears of each step that went. */
export function startQueue(onSent: (appeal: AppealDetail | Submitted, entry: QueuedAction) => void): void {
  listener = onSent;
  const flush = () => void flushQueue(listener);
  window.addEventListener('online', flush);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') flush();
  });
  // `online` is not fired when the phone had a network all along and only the server was away.
  window.setInterval(flush, 30_000);
  flush();
}
