import { describe, expect, it } from 'vitest';
import { noticeNumber } from './coordination.notices.ts';

describe('notice numbers', () => {
  it('carry the district’s short name, the China year and six digits', () => {
    expect(noticeNumber('光明区', 2026, 1)).toBe('光明-协调-2026-000001');
    expect(noticeNumber('前海新区', 2027, 123456)).toBe('前海-协调-2027-123456');
    // A district whose name does not end in 区 keeps its name whole.
    expect(noticeNumber('东莞市', 2026, 42)).toBe('东莞市-协调-2026-000042');
  });
});
