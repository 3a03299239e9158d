import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';
import { type RunningDoorstep, startDoorstep } from './doorstep.ts';

/**
 * The product and a browser for one test file: started before its tests (generously: the server
 * loads the demo district first, slow on a busy machine), stopped after. Read `product.doorstep`
 * and `product.browser` inside tests and hooks.
 */
export function useProduct(env: Record<string, string> = {}) {
  const product = {} as { doorstep: RunningDoorstep; browser: Browser };
  beforeAll(async () => {
    [product.doorstep, product.browser] = await Promise.all([startDoorstep(env), launchBrowser()]);
  }, 120_000);
  afterAll(async () => {
    await product.browser?.close();
    await product.doorstep?.stop();
  });
  return product;
}
