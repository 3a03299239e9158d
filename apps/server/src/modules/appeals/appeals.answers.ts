import type { ExtraField } from '@doorstep/contracts';

/**
 * The reporter's answers to the item's questions, for reading: in the order the item asks them,
 * each with its prompt, list keys turned into their names (`plastic` → 塑料井盖). An answer to a
 * question the item no longer asks (the appeal was 改类 to another item) keeps its code as prompt.
 */
export function answersOf(
  attributes: Record<string, unknown>,
  questions: readonly ExtraField[],
): { code: string; question: string; answer: string }[] {
  const asked = [...questions].sort((a, b) => a.order - b.order);
  const known = new Set(asked.map((q) => q.code));
  const words = (question: ExtraField | undefined, value: unknown): string => {
    const nameOf = (key: string) => question?.values?.find((v) => v.key === key)?.name ?? key;
    if (Array.isArray(value)) return value.map((key) => nameOf(String(key))).join('、');
    if (typeof value === 'string') return question?.values ? nameOf(value) : value;
    return String(value);
  };
  const answered = (value: unknown) =>
    value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);
  return [
    ...asked
      .filter((q) => answered(attributes[q.code]))
      .map((q) => ({ code: q.code, question: q.description, answer: words(q, attributes[q.code]) })),
    ...Object.entries(attributes)
      .filter(([code, value]) => !known.has(code) && answered(value))
      .map(([code, value]) => ({ code, question: code, answer: words(undefined, value) })),
  ];
}
