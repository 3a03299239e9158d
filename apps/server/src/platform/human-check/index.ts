/**
 * A check that a person, not a script, is behind a request that hit a rate limit. Public intake
 * asks for one when an address has used up its limit: many residents share one address behind a
 * carrier's NAT, so refusing them outright would silence a neighbourhood. The local adapter is a
 * proof of work (proof-of-work.ts); an SMS-code check can implement the same interface.
 */
export interface HumanCheckChallenge {
  /** Which adapter issued it, so a client knows how to answer. */
  kind: 'proof-of-work';
  /** Opaque to the server's callers; the client solves it and sends the proof back. */
  challenge: unknown;
  /** The request header the proof goes in. */
  header: typeof HUMAN_CHECK_HEADER;
}

export type HumanCheckResult =
  | { passed: true }
  | { passed: false; reason: 'malformed' | 'invalid' | 'expired' | 'spent' };

export interface HumanCheck {
  issue(): Promise<HumanCheckChallenge>;
  /** A proof passes once: a second request with the same proof is `spent`. */
  verify(proof: string): Promise<HumanCheckResult>;
}

export const HUMAN_CHECK_HEADER = 'x-doorstep-proof';

export { createProofOfWorkCheck, type ProofOfWorkOptions } from './proof-of-work.ts';
