import { compactCode, dashedTrackingCode } from '@doorstep/contracts/vocabulary';
import { formatChinaDateTime } from '../shared/china-time';

/** Dates as residents read them, always in China time whatever the phone's zone. */
export const formatDateTime = (iso: string | null | undefined) => formatChinaDateTime(iso);

/** Upper case with dashes, as printed on the receipt: 7bz9vtyryf → 7BZ9-VTYR-YF. */
export function normaliseTrackingCode(input: string): string {
  return dashedTrackingCode(input) ?? compactCode(input);
}

export const isTrackingCode = (code: string) => /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/.test(code);
