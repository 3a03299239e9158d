/**
 * A check that a person, not a script, is behind a request that hit a rate limit. Public intake
 * asks for one when an address has used up its limit: many residents share one address behind a
 * carrier's NAT, so refusing them outright would silence a neighbourhood. The local adapter is a
 * proof of work (proof-of-work.ts); an SMS-code check can implement the same interface.
 */
import type { HumanCheckChallenge } from '@doorstep/contracts';

// What a client is sent is part of the API contract.
export { HUMAN_CHECK_HEADER, type HumanCheckChallenge } from '@doorstep/contracts';

export type HumanCheckResult =
  | { passed: true }
  | { passed: false; reason: 'malformed' | 'invalid' | 'expired' | 'spent' };

export interface HumanCheck {
  issue(): Promise<HumanCheckChallenge>;
  /** A proof passes once: a second request with the same proof is `spent`. */
  verify(proof: string): Promise<HumanCheckResult>;
}
