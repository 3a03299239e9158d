export type { JournalRow } from './journal.repository.ts';
export {
  createJournal,
  type Journal,
  type JournalEntryInput,
  SECURITY_STREAM,
  type VerifyReport,
} from './journal.ts';
export { journalPersonalDataView } from './personal-data.ts';
