// Live updates: one EventSource on `GET /api/v1/events` for the whole console (same-origin, the
// session cookie goes with it). The server sends small notices ("appeal X changed"), never records;
// pages refetch what a notice names through the API, where scope and permissions apply.

import type { StaffEvent } from '@doorstep/contracts';
import { onBeforeUnmount, onMounted, ref } from 'vue';

type Listener = (event: StaffEvent) => void;

const listeners = new Set<Listener>();
/** For the header's indicator: is the stream open right now? */
export const liveState = ref<'off' | 'connecting' | 'open' | 'broken'>('off');

let source: EventSource | null = null;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let onLost: (() => void) | null = null;

// EventSource retries by itself after a dropped connection, but gives up for good when the answer
// is not a stream (401 after the session ended, 403, 5xx). Then we ask the session (a 401 sends the
// user to the login page) and try again later ourselves.
const MANUAL_RETRY_MS = 15_000;

function open() {
  clearTimeout(retryTimer);
  source?.close();
  liveState.value = 'connecting';
  const stream = new EventSource('/api/v1/events');
  source = stream;
  stream.addEventListener('ready', () => {
    liveState.value = 'open';
  });
  stream.onopen = () => {
    liveState.value = 'open';
  };
  stream.onmessage = (message) => {
    let event: StaffEvent;
    try {
      event = JSON.parse(message.data) as StaffEvent;
    } catch {
      return;
    }
    for (const listener of listeners) listener(event);
  };
  stream.addEventListener('end', () => {
    // session_ended or server_shutdown: the server closes the stream after this.
    onLost?.();
  });
  stream.onerror = () => {
    if (source !== stream) return;
    if (stream.readyState === EventSource.CLOSED) {
      liveState.value = 'broken';
      onLost?.();
      retryTimer = setTimeout(open, MANUAL_RETRY_MS);
    } else {
      liveState.value = 'connecting';
    }
  };
}

/** Opens the stream after login; `lost` is called when it ends, to re-check the session. */
export function startLive(lost: () => void): void {
  onLost = lost;
  if (!source) open();
}

export function stopLive(): void {
  clearTimeout(retryTimer);
  source?.close();
  source = null;
  onLost = null;
  liveState.value = 'off';
}

/** Calls `handler` for each notice while the component is mounted. */
export function useLiveEvents(handler: Listener): void {
  onMounted(() => listeners.add(handler));
  onBeforeUnmount(() => listeners.delete(handler));
}

/**
 * Calls `refresh` after notices matching `filter`, at most once per `delayMs`: a burst (a whole
 * batch dispatched at once) becomes one refetch, not fifty.
 */
export function useLiveRefresh(
  refresh: () => void,
  filter: (event: StaffEvent) => boolean = () => true,
  delayMs = 400,
): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  useLiveEvents((event) => {
    if (!filter(event) || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      refresh();
    }, delayMs);
  });
  onBeforeUnmount(() => clearTimeout(timer));
}
