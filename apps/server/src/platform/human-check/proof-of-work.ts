import { createHash } from 'node:crypto';
import { type Challenge, createChallenge, randomInt, type Solution, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Db } from '../../db/db.ts';
import type { Clock } from '../clock.ts';
import { hmacHex } from '../crypto.ts';
import { hit } from '../rate-limit/rate-limit.repository.ts';
import { HUMAN_CHECK_HEADER, type HumanCheck, type HumanCheckResult } from './human-check.ts';

export interface ProofOfWorkOptions {
  db: Db;
  clock: Clock;
  /** Signs challenges so a client cannot make up an easy one. */
  secret: string;
  /**
   * The counter the client must find lies in [min, max]: SHA-256 over salt + nonce + counter,
   * one hash per try. 30,000–60,000 tries take a phone's browser well under two seconds and a
   * flood of thousands of requests thousands of times that.
   */
  counterRange?: [number, number];
  /** How long a challenge may be answered. */
  validSeconds?: number;
}

/**
 * ALTCHA's proof of work (altcha-lib, MIT; the same challenge format its widget and solver use).
 * Deterministic mode: the server picks the counter and signs the derived key, so verifying costs
 * one HMAC, not a search. A solved challenge is recorded in the shared `rate_limit` table as
 * spent until it expires, so one proof buys one request on every app process.
 */
export function createProofOfWorkCheck(options: ProofOfWorkOptions): HumanCheck {
  const [min, max] = options.counterRange ?? [30_000, 60_000];
  const validSeconds = options.validSeconds ?? 300;
  const signatureSecret = hmacHex(options.secret, 'human-check-signature');
  const keySecret = hmacHex(options.secret, 'human-check-key');

  return {
    async issue() {
      const challenge = await createChallenge({
        algorithm: 'SHA-256',
        cost: 1,
        counter: randomInt(min, max),
        deriveKey,
        // In the signed data, not altcha's own expiresAt: altcha compares that with the wall clock,
        // and time here comes from the injected Clock.
        data: { validUntil: Math.floor(options.clock.now().getTime() / 1000) + validSeconds },
        hmacSignatureSecret: signatureSecret,
        hmacKeySignatureSecret: keySecret,
      });
      return { kind: 'proof-of-work', challenge, header: HUMAN_CHECK_HEADER };
    },

    async verify(proof: string): Promise<HumanCheckResult> {
      const decoded = decode(proof);
      if (!decoded) return { passed: false, reason: 'malformed' };
      let result: Awaited<ReturnType<typeof verifySolution>>;
      try {
        result = await verifySolution({
          challenge: decoded.challenge,
          solution: decoded.solution,
          deriveKey,
          hmacSignatureSecret: signatureSecret,
          hmacKeySignatureSecret: keySecret,
        });
      } catch {
        return { passed: false, reason: 'malformed' };
      }
      if (!result.verified) return { passed: false, reason: 'invalid' };
      // Signed, so trustworthy once the signature holds.
      const validUntil = Number(decoded.challenge.parameters.data?.validUntil);
      if (!(validUntil * 1000 > options.clock.now().getTime())) return { passed: false, reason: 'expired' };
      const spentKey = `proof:${createHash('sha256').update(decoded.challenge.parameters.nonce).digest('hex').slice(0, 40)}`;
      const { current } = await hit(options.db, spentKey, options.clock.now(), validSeconds * 1000);
      return current === 1 ? { passed: true } : { passed: false, reason: 'spent' };
    },
  };
}

/** The header carries base64 of `{ challenge, solution }`, as ALTCHA's widget sends its payload. */
function decode(proof: string): { challenge: Challenge; solution: Solution } | null {
  if (proof.length > 4096) return null;
  try {
    const value = JSON.parse(Buffer.from(proof, 'base64').toString('utf8')) as {
      challenge?: Challenge;
      solution?: Solution;
    };
    const parameters = value?.challenge?.parameters;
    const solution = value?.solution;
    if (
      !parameters ||
      typeof parameters.nonce !== 'string' ||
      typeof parameters.salt !== 'string' ||
      typeof value.challenge?.signature !== 'string' ||
      !solution ||
      !Number.isSafeInteger(solution.counter) ||
      typeof solution.derivedKey !== 'string'
    ) {
      return null;
    }
    return { challenge: value.challenge as Challenge, solution };
  } catch {
    return null;
  }
}
