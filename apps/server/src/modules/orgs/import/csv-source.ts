import { type CsvError, parse } from 'csv-parse/sync';
import { emptyRow, type ImportError, type RawRow, type SourceResult } from './import-types.ts';

const REQUIRED_COLUMNS = ['code', 'name', 'level', 'parent_code'] as const;
const KNOWN_COLUMNS = new Set<string>([...REQUIRED_COLUMNS, 'lng', 'lat', 'service_radius_m', 'geometry']);
/** Spellings people use for the same column; matched after lower-casing. */
const COLUMN_ALIASES: Record<string, string> = {
  parentcode: 'parent_code',
  serviceradiusm: 'service_radius_m',
  lon: 'lng',
};

interface ParsedRecord {
  record: string[];
  raw: string;
  info: { lines: number };
}

/**
 * Reads a CSV file (UTF-8, optional BOM, header row) into rows, each with the line where its record
 * starts. Line endings are normalised to \n first: csv-parse miscounts lines when a file mixes
 * \r\n and \n (common after hand edits), and \r\n, \r and \n each end one line in an editor, so
 * the numbering the user sees is unchanged.
 */
export function readCsv(source: string): SourceResult {
  const text = (source.charCodeAt(0) === 0xfeff ? source.slice(1) : source).replace(/\r\n?/g, '\n');
  const errors: ImportError[] = [];
  const syntaxLines = new Set<number>();
  let records: ParsedRecord[];
  try {
    records = parse(text, {
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      // Keep going after a malformed record so one stray quote does not hide every other error.
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined, raw: string | undefined) => {
        if (!error) return;
        const line = startLine(typeof error.lines === 'number' ? error.lines : 1, raw ?? '');
        // An unclosed quote after a bad closing quote is the same mistake; report it once.
        if (syntaxLines.has(line)) return;
        syntaxLines.add(line);
        errors.push({ line, message: `CSV syntax: ${error.message}` });
      },
    }) as unknown as ParsedRecord[];
  } catch (error) {
    const lines = (error as { lines?: number }).lines ?? 1;
    return {
      rows: [],
      errors: [{ line: lines, message: `CSV syntax: ${(error as Error).message}` }],
      fatal: true,
    };
  }

  const [header, ...body] = records;
  if (!header) return { rows: [], errors: [{ line: 1, message: 'the file is empty' }], fatal: true };
  const headerLine = startLine(header.info.lines, header.raw);
  const columns = header.record.map((name) => {
    const key = name.trim().toLowerCase();
    return COLUMN_ALIASES[key] ?? key;
  });
  const headerErrors = checkHeader(columns, headerLine);
  if (headerErrors.length > 0) return { rows: [], errors: headerErrors, fatal: true };

  const rows: RawRow[] = [];
  for (const { record, raw, info } of body) {
    // Rows of empty cells (",,,," as spreadsheets leave them) are blank lines, not units.
    if (record.every((cell) => cell.trim() === '')) continue;
    rows.push(recordRow(startLine(info.lines, raw), columns, record));
  }
  return { rows, errors, fatal: false };
}

function checkHeader(columns: string[], line: number): ImportError[] {
  const errors: ImportError[] = [];
  const missing = REQUIRED_COLUMNS.filter((column) => !columns.includes(column));
  if (missing.length > 0) {
    errors.push({
      line,
      message: `header is missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (required: ${REQUIRED_COLUMNS.join(', ')})`,
    });
  }
  const seen = new Set<string>();
  for (const [i, column] of columns.entries()) {
    if (column === '') errors.push({ line, message: `header column ${i + 1} has no name` });
    else if (seen.has(column)) errors.push({ line, message: `header column '${column}' appears twice` });
    seen.add(column);
  }
  return errors;
}

function recordRow(line: number, columns: string[], record: string[]): RawRow {
  const row = emptyRow(line);
  if (record.length !== columns.length) {
    row.problems.push({
      message: `row has ${record.length} fields but the header has ${columns.length}`,
    });
  }
  const cells = new Map<string, string>();
  for (const [i, column] of columns.entries()) {
    const value = (record[i] ?? '').trim();
    cells.set(column, value);
    if (!KNOWN_COLUMNS.has(column) && value !== '') row.properties[column] = value;
  }
  row.code = cells.get('code') ?? '';
  row.name = cells.get('name') ?? '';
  row.level = cells.get('level') ?? '';
  row.parentCode = cells.get('parent_code') ?? '';
  row.lng = cells.get('lng') || undefined;
  row.lat = cells.get('lat') || undefined;
  row.serviceRadiusM = cells.get('service_radius_m') || undefined;
  const geometry = cells.get('geometry');
  if (geometry) {
    try {
      row.geometry = JSON.parse(geometry);
    } catch (error) {
      row.problems.push({
        field: 'geometry',
        message: `geometry is not valid JSON: ${(error as Error).message}`,
      });
    }
  }
  return row;
}

/**
 * csv-parse reports the line where a record ends; a quoted field with newlines would push that past
 * the line the user must open. Counting the newlines inside the record's own text (without the blank
 * lines skipped before it and its final line break) gives the line where it starts.
 */
function startLine(endLine: number, raw: string): number {
  let start = 0;
  while (raw[start] === '\n') start++;
  let end = raw.length;
  if (end > start && raw[end - 1] === '\n') end--;
  let inner = 0;
  for (let i = start; i < end; i++) if (raw.charCodeAt(i) === 10) inner++;
  return endLine - inner;
}
