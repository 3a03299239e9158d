import type { HumanCheckChallenge } from '@doorstep/contracts';
import { ApiError } from '../shared/api';

/**
 * The server asks for a proof of work when an address has filed many appeals (often a whole
 * carrier NAT). Solving it takes the phone a second or two; the solver (altcha-lib) is loaded
 * only then, so it costs the first page nothing. Returns the header to send, or null when the
 * error is not such a request or this browser cannot answer it (WebCrypto needs HTTPS or
 * localhost): the caller then treats the 429 as it would any other.
 */
export async function answerHumanCheck(error: unknown): Promise<Record<string, string> | null> {
  if (!(error instanceof ApiError) || error.status !== 429) return null;
  const check = error.details.humanCheck as Partial<HumanCheckChallenge> | undefined;
  if (check?.kind !== 'proof-of-work' || !check.header || !check.challenge) return null;
  if (!globalThis.crypto?.subtle) return null;
  const [{ solveChallenge }, { deriveKey }] = await Promise.all([
    import('altcha-lib'),
    import('altcha-lib/algorithms/web/sha'),
  ]);
  const challenge = check.challenge as Parameters<typeof solveChallenge>[0]['challenge'];
  const solution = await solveChallenge({ challenge, deriveKey, timeout: 60_000 });
  if (!solution) return null;
  return { [check.header]: btoa(JSON.stringify({ challenge, solution })) };
}
