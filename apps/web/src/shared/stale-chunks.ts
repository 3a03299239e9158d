// A page left open across a release still runs the old build: its lazily loaded chunks have
// content-hashed names the new build no longer serves, so the first page it opens fails with a
// 404 on the import. The cure is what a person would do — reload, which fetches the new HTML and
// its new chunk names. Once per half minute at most, so a chunk that is truly missing (a broken
// deployment) shows its error instead of reloading forever.
const KEY = 'doorstep.reloadedForStaleChunk';
const MIN_INTERVAL_MS = 30_000;

/** Reloads the page if it has not just done so; true when a reload is under way. */
export function reloadForStaleChunk(): boolean {
  let last = 0;
  try {
    last = Number(sessionStorage.getItem(KEY) ?? 0);
    if (Date.now() - last < MIN_INTERVAL_MS) return false;
    sessionStorage.setItem(KEY, String(Date.now()));
  } catch {
    return false; // no storage: never risk a reload loop
  }
  window.location.reload();
  return true;
}

/** Wraps a dynamic import: on failure, reload once (and never settle, the page is going away). */
export function importOrReload<T>(load: () => Promise<T>): () => Promise<T> {
  return () =>
    load().catch((error: unknown) => {
      if (reloadForStaleChunk()) return new Promise<T>(() => {});
      throw error;
    });
}
