import type { ExtraField } from './catalog.types.ts';

/**
 * A reporter's answers to a catalogue item's questions (its extra fields), checked against the
 * item: the same rules whether they come from the H5 form (JSON) or an Open311 client
 * (attribute[code]=value), so neither door stores what the item does not ask. Each value arrives
 * as a list of strings (Open311's form model); callers turn their own input into that.
 */
export type Answer = string | number | string[];

const NUMBER = /^[+-]?\d{1,15}(\.\d{1,15})?$/;
/** One line of an answer; a `text` answer may be longer and break lines. */
const MAX_STRING_CHARS = 500;
const MAX_TEXT_CHARS = 2000;

export interface AnswerCheck {
  answers: Record<string, Answer>;
  problems: string[];
}

export function checkAnswers(
  fields: readonly ExtraField[],
  given: Record<string, string[]>,
  options: {
    /** How a problem names the field: `attribute[code]` for Open311, `attributes.code` for JSON. */
    nameOf: (code: string) => string;
    /** What the item is called to this caller: Open311 says `service`. */
    itemWord: string;
    /** A date-time with its zone, or null when the text is not one. */
    parseDateTime: (raw: string) => Date | null;
  },
): AnswerCheck {
  const problems: string[] = [];
  const answers: Record<string, Answer> = {};
  const byCode = new Map(fields.map((f) => [f.code, f]));
  for (const [code, values] of Object.entries(given)) {
    // An empty value counts as not sent (Open311's rule for optional arguments).
    if (!byCode.has(code) && values.some((v) => v !== '')) {
      problems.push(`${options.nameOf(code.slice(0, 60))} is not an attribute of this ${options.itemWord}`);
    }
  }
  for (const field of fields) {
    const values = (given[field.code] ?? []).filter((v) => v !== '');
    const name = options.nameOf(field.code);
    if (!values.length) {
      if (field.required) problems.push(`${name} is required for this ${options.itemWord}`);
      continue;
    }
    if (field.datatype !== 'multivaluelist' && values.length > 1) {
      problems.push(`${name} takes one value`);
      continue;
    }
    const value = values[0]!;
    switch (field.datatype) {
      case 'string':
        if (/[\r\n]/.test(value)) problems.push(`${name} must be a single line`);
        else if ([...value].length > MAX_STRING_CHARS)
          problems.push(`${name} is longer than ${MAX_STRING_CHARS} characters`);
        else answers[field.code] = value;
        break;
      case 'text':
        if ([...value].length > MAX_TEXT_CHARS)
          problems.push(`${name} is longer than ${MAX_TEXT_CHARS} characters`);
        else answers[field.code] = value;
        break;
      case 'number':
        if (NUMBER.test(value)) answers[field.code] = Number(value);
        else problems.push(`${name} must be a number`);
        break;
      case 'datetime': {
        const at = options.parseDateTime(value);
        if (at) answers[field.code] = at.toISOString();
        else problems.push(`${name} must be a w3c datetime with a time zone`);
        break;
      }
      case 'singlevaluelist':
      case 'multivaluelist': {
        const keys = new Set((field.values ?? []).map((v) => v.key));
        const unknown = values.filter((v) => !keys.has(v));
        if (unknown.length) problems.push(`${name} has no value with the key ${unknown[0]!.slice(0, 60)}`);
        else answers[field.code] = field.datatype === 'singlevaluelist' ? value : [...new Set(values)];
        break;
      }
    }
  }
  return { answers, problems };
}
