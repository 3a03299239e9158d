import { createHash } from 'node:crypto';
import { type Challenge, createChallenge, randomInt, type Solution, verifySolution } from 'altcha-lib';
import { deriveKey } from 'altcha-lib/algorithms/sha';
import type { Db } from '../../db/db.ts';
import type { Clock } from '../clock.ts';
import { hmacHex } from '../crypto.ts';
import { hit, peek } from '../rate-limit/rate-limit.repository.ts';
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
  /**
   * Proofs solved per minute, all clients together, that a district sees on a normal busy day.
   * Above it the work asked grows in proportion (up to MAX_SCALE times): a flood of appeals from
   * a few machines gets slower for each of them, while on a quiet day a phone pays the base cost.
   */
  normalPerMinute?: number;
}

/** The most the base work is multiplied under load: 16 × ~150 ms is a few seconds on a phone. */
export const MAX_SCALE = 16;
const LOAD_KEY = 'proof:solved-per-minute';
const MINUTE_MS = 60_000;

/**
 * ALTCHA's proof of work (altcha-lib, MIT; the same challenge format its widget and solver use).
 * Deterministic mode: the server picks the counter and signs the derived key, so verifying costs
 * one HMAC, not a search. A solved challenge is recorded in the shared `rate_limit` table as
 * spent until it expires, so one proof buys one request on every app process.
 */
export function createProofOfWorkCheck(options: ProofOfWorkOptions): HumanCheck {
  const [min, max] = options.counterRange ?? [30_000, 60_000];
  const validSeconds = options.validSeconds ?? 300;
  const normalPerMinute = options.normalPerMinute ?? 60;

  /** How many times the base work the next challenge asks: 1 until the load passes normal. */
  async function scale(): Promise<number> {
    const solved = await peek(options.db, loadKey(), options.clock.now());
    return Math.min(MAX_SCALE, Math.max(1, solved / normalPerMinute));
  }
  /** A fixed minute window, keyed by the minute, shared by every app process through the database. */
  const loadKey = () => `${LOAD_KEY}:${Math.floor(options.clock.now().getTime() / MINUTE_MS)}`;
  const signatureSecret = hmacHex(options.secret, 'human-check-signature');
  const keySecret = hmacHex(options.secret, 'human-check-key');

  return {
    async issue() {
      const factor = await scale();
      const challenge = await createChallenge({
        algorithm: 'SHA-256',
        cost: 1,
        counter: randomInt(Math.round(min * factor), Math.round(max * factor)),
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
      if (current !== 1) return { passed: false, reason: 'spent' };
      await hit(options.db, loadKey(), options.clock.now(), MINUTE_MS);
      return { passed: true };
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
