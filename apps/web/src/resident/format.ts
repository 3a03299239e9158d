import { compactCode } from '@doorstep/contracts/vocabulary';
import { formatChinaDateTime } from '../shared/china-time';

/** Dates as residents read them, always in China time whatever the phone's zone. */
export const formatDateTime = (iso: string | null | undefined) => formatChinaDateTime(iso);

/** Upper case with dashes, as printed on the receipt: 7bz9vtyryf → 7BZ9-VTYR-YF. */
export function normaliseTrackingCode(input: string): string {
  const compact = compactCode(input);
  return compact.length === 10
    ? `${compact.slice(0, 4)}-${compact.slice(4, 8)}-${compact.slice(8)}`
    : compact;
}

export const isTrackingCode = (code: string) => /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/.test(code);
