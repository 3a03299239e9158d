/**
 * How well the duplicate test tells one matter in other words from another matter (issue #22):
 * generated pairs from the shared 泰迪杯 messages — a message's title against its own content (the
 * same matter, said twice by different hands) and a title against another message's content (a
 * different matter nearby). Prints recall and false-suggestion rate at the product's threshold.
 *
 *   npx tsx bench/triage-duplicates.ts [../shared/data/appeals-teddy2020/train.jsonl]
 */
import { readFileSync } from 'node:fs';
import { createRandom } from '../apps/server/src/modules/triage/classifier/random.ts';
import { DUPLICATE_MIN_SIMILARITY } from '../apps/server/src/modules/triage/index.ts';
import { bigrams, similarity } from '../apps/server/src/modules/triage/triage.similarity.ts';

const file = process.argv[2] ?? '../shared/data/appeals-teddy2020/train.jsonl';
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { title: string; content: string; label: string })
  .filter((row) => row.title && row.content);
const random = createRandom(20261207);
// A resident's report is short: the content's first 80 characters, as a second reporter would write.
const short = (text: string) => [...text].slice(0, 80).join('');

const sameScores: number[] = [];
const otherScores: number[] = [];
const sameLabelScores: number[] = [];
for (const row of rows) {
  const title = bigrams(row.title);
  sameScores.push(similarity(title, bigrams(short(row.content))));
  const stranger = rows[random.int(0, rows.length - 1)]!;
  if (stranger === row) continue;
  const score = similarity(title, bigrams(short(stranger.content)));
  otherScores.push(score);
  if (stranger.label === row.label) sameLabelScores.push(score);
}
const rate = (scores: number[], t: number) =>
  Math.round((scores.filter((s) => s >= t).length / Math.max(scores.length, 1)) * 10_000) / 10_000;
const at = (t: number) => ({
  threshold: t,
  recall: rate(sameScores, t),
  falseSuggestionRate: rate(otherScores, t),
  falseSuggestionRateSameLabel: rate(sameLabelScores, t),
});
console.log(
  JSON.stringify({
    file,
    pairs: { same: sameScores.length, other: otherScores.length, otherSameLabel: sameLabelScores.length },
    product: at(DUPLICATE_MIN_SIMILARITY),
    curve: [0.1, 0.15, 0.2, 0.25, 0.3, 0.4].map(at),
  }),
);
