import { onBeforeUnmount, onMounted } from 'vue';

/** The server ends a console session after 10 idle minutes (等保 2.0). */
export const SERVER_IDLE_TIMEOUT_MS = 10 * 60_000;

const activityEvents = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * Calls `onIdle` once the user has done nothing for `idleMs`, and again after every further
 * `idleMs`. The console uses it to ask the server whether the session survived, so an unattended
 * screen falls back to the login page instead of showing personal data until the next click.
 */
export function useIdleCheck(onIdle: () => void, idleMs = SERVER_IDLE_TIMEOUT_MS + 5_000): void {
  let lastActivity = Date.now();
  let timer: ReturnType<typeof setInterval> | undefined;

  const markActive = () => {
    lastActivity = Date.now();
  };
  const check = () => {
    if (Date.now() - lastActivity < idleMs) return;
    lastActivity = Date.now();
    onIdle();
  };
  // Timers are throttled in background tabs; check as soon as the tab is visible again.
  const onVisible = () => {
    if (document.visibilityState === 'visible') check();
  };

  onMounted(() => {
    for (const event of activityEvents) window.addEventListener(event, markActive, { passive: true });
    document.addEventListener('visibilitychange', onVisible);
    timer = setInterval(check, 15_000);
  });
  onBeforeUnmount(() => {
    for (const event of activityEvents) window.removeEventListener(event, markActive);
    document.removeEventListener('visibilitychange', onVisible);
    clearInterval(timer);
  });
}
