export {
  createJobQueue,
  DEFAULT_MAX_ATTEMPTS,
  exponentialBackoff,
  type JobContext,
  type JobHandler,
  type JobHandlers,
  type JobQueue,
  type NewJob,
} from './job-queue.ts';
export { createJobRunner, type JobRunner, type JobRunnerLog } from './job-runner.ts';
export type { JobRow } from './jobs.repository.ts';
