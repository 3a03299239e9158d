/** One line of a result file: the scenario over HTTP, and its baseline measured in the same run. */
export interface ScenarioResult {
  name: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
  non2xx: number;
  baselinePerSec: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  /** Statements one baseline operation runs (the server may run more: sessions, limits, views). */
  baselineStatements: number;
  /** reqPerSec / baselinePerSec: the share of the bare database work's throughput the API keeps. */
  ratio: number | null;
}

/** The table on stdout, one block per database size. */
export function printTable(all: { rows: number; scenarios: ScenarioResult[] }[]) {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'baseline/s', 'ratio'];
  for (const { rows, scenarios } of all) {
    const lines = scenarios.map((s) => [
      s.name,
      String(s.reqPerSec),
      String(s.p50Ms),
      String(s.p99Ms),
      String(s.non2xx + s.errors),
      String(s.baselinePerSec),
      s.ratio === null ? '–' : s.ratio.toFixed(2),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const format = (cells: string[]) =>
      cells.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
    console.log(`\n${rows.toLocaleString('en')} appeals`);
    console.log(format(header));
    for (const line of lines) console.log(format(line));
  }
}
