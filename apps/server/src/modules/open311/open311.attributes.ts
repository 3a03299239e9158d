import type { ExtraField, FieldDatatype } from '../catalog/index.ts';
import { invalid, parseDateTime } from './open311.input.ts';

/**
 * A catalogue item's extra fields are the service's Open311 attributes: the same codes,
 * datatypes, order and list values, so a definition read here is what the H5 form asks.
 */

/** "A description of the datatype which helps the user provide their input" (zh-CN, for people). */
const DATATYPE_HELP: Record<FieldDatatype, string> = {
  string: '一行文字',
  number: '数字，如 12 或 3.5',
  datetime: '日期时间，ISO 8601 带时区，如 2026-10-09T09:00:00+08:00',
  text: '文字，可以换行',
  singlevaluelist: '从 values 中选一项，提交其 key',
  multivaluelist: '从 values 中选一项或多项，提交其 key，如 attribute[code][]=a&attribute[code][]=b',
};

const isList = (datatype: FieldDatatype) => datatype === 'singlevaluelist' || datatype === 'multivaluelist';

export function serviceAttribute(field: ExtraField) {
  return {
    // Every extra field asks the reporter something; none is information only.
    variable: true,
    code: field.code,
    datatype: field.datatype,
    required: field.required,
    datatype_description: DATATYPE_HELP[field.datatype],
    order: field.order,
    description: field.description,
    ...(isList(field.datatype)
      ? { values: (field.values ?? []).map((v) => ({ key: v.key, name: v.name })) }
      : {}),
  };
}

const NUMBER = /^[+-]?\d{1,15}(\.\d{1,15})?$/;

/**
 * Checks attribute[code] values against the service definition and returns them as the appeal
 * stores them (numbers as numbers, multi-value lists as arrays). All problems are reported at once.
 */
export function checkAttributes(
  fields: readonly ExtraField[],
  given: Record<string, string[]>,
): Record<string, string | number | string[]> {
  const problems: string[] = [];
  const result: Record<string, string | number | string[]> = {};
  const byCode = new Map(fields.map((f) => [f.code, f]));
  for (const [code, values] of Object.entries(given)) {
    // An empty value counts as not sent (the spec's rule for optional arguments).
    if (!byCode.has(code) && values.some((v) => v !== '')) {
      problems.push(`attribute[${code}] is not an attribute of this service`);
    }
  }
  for (const field of fields) {
    const values = (given[field.code] ?? []).filter((v) => v !== '');
    const name = `attribute[${field.code}]`;
    if (!values.length) {
      if (field.required) problems.push(`${name} is required for this service`);
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
        else if ([...value].length > 500) problems.push(`${name} is longer than 500 characters`);
        else result[field.code] = value;
        break;
      case 'text':
        result[field.code] = value;
        break;
      case 'number':
        if (NUMBER.test(value)) result[field.code] = Number(value);
        else problems.push(`${name} must be a number`);
        break;
      case 'datetime':
        try {
          result[field.code] = parseDateTime(name, value).toISOString();
        } catch {
          problems.push(`${name} must be a w3c datetime with a time zone`);
        }
        break;
      case 'singlevaluelist':
      case 'multivaluelist': {
        const keys = new Set((field.values ?? []).map((v) => v.key));
        const unknown = values.filter((v) => !keys.has(v));
        if (unknown.length) problems.push(`${name} has no value with the key ${unknown[0]!.slice(0, 60)}`);
        else result[field.code] = field.datatype === 'singlevaluelist' ? value : [...new Set(values)];
        break;
      }
    }
  }
  if (problems.length) throw invalid(...problems);
  return result;
}
