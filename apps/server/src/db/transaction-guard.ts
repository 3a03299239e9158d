import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks the async context of an open transaction so that a query on the outer Db handle made from
 * inside it fails loudly instead of deadlocking (PGlite) or silently escaping the transaction
 * (PostgreSQL). Both adapters use the same guard, so the PGlite test run catches the mistake.
 */
export function createTransactionGuard() {
  const storage = new AsyncLocalStorage<true>();
  return {
    run<T>(work: () => Promise<T>): Promise<T> {
      return storage.run(true, work);
    },
    assertOutside(): void {
      if (storage.getStore()) {
        throw new Error('a query on the outer Db handle was made inside a transaction; use the tx handle');
      }
    },
  };
}
