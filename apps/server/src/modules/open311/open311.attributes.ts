import { type Answer, checkAnswers, type ExtraField, type FieldDatatype } from '../catalog/index.ts';
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

/**
 * Checks attribute[code] values against the service definition (the catalogue's shared rules) and
 * returns them as the appeal stores them. All problems are reported at once, in Open311's format.
 */
export function checkAttributes(
  fields: readonly ExtraField[],
  given: Record<string, string[]>,
): Record<string, Answer> {
  const { answers, problems } = checkAnswers(fields, given, {
    nameOf: (code) => `attribute[${code}]`,
    itemWord: 'service',
    parseDateTime: (raw) => {
      try {
        return parseDateTime('', raw);
      } catch {
        return null;
      }
    },
  });
  if (problems.length) throw invalid(...problems);
  return answers;
}
