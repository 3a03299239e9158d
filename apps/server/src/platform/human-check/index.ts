/** Human checks (platform/human-check): the interface, and its local proof-of-work adapter. */
export {
  HUMAN_CHECK_HEADER,
  type HumanCheck,
  type HumanCheckChallenge,
  type HumanCheckResult,
} from './human-check.ts';
export { createProofOfWorkCheck, type ProofOfWorkOptions } from './proof-of-work.ts';
