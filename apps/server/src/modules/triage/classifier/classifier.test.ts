import { describe, expect, test } from 'vitest';
import { parseJsonl, stratifiedFolds } from './dataset.ts';
import { type ExternalScorer, ExternalScorerError, fitLink, linkMargins } from './external.ts';
import { evaluate } from './metrics.ts';
import { createPredictor, trainClassifier } from './model.ts';
import { candidatePool, macroF1Of, selectMembers } from './selection.ts';
import { deserializeModel, ModelFileError, serializeModel } from './serialize.ts';

/*
 * The classifier's own unit tests (issue #22): its metrics against figures computed by hand, its
 * determinism given a seed, and a model's round trip through the file format.
 */

/** A small labelled set whose words separate the labels: a classifier that learns anything gets it right. */
function toySet() {
  const topics: Record<string, string[]> = {
    交通运输: ['公交车站', '红绿灯', '道路拥堵', '停车位', '出租车'],
    环境保护: ['噪音扰民', '污水排放', '垃圾焚烧', '油烟污染', '扬尘'],
    教育文体: ['学校招生', '幼儿园', '学位', '课外培训', '体育馆'],
  };
  const rows = [];
  for (const [label, words] of Object.entries(topics)) {
    for (let i = 0; i < 24; i++) {
      const a = words[i % words.length]!;
      const b = words[(i * 3 + 1) % words.length]!;
      rows.push({
        title: `${a}问题`,
        content: `小区附近${a}和${b}的情况很严重，第${i}次反映，希望尽快处理${b}。`,
        label,
      });
    }
  }
  return rows;
}

describe('metrics, against figures computed by hand', () => {
  // truth A A A B B C; predicted A A B B C C.
  const items = [
    { truth: 'A', ranked: ['A', 'B', 'C'], confidence: 0.9, needsHuman: false },
    { truth: 'A', ranked: ['A', 'C', 'B'], confidence: 0.8, needsHuman: false },
    { truth: 'A', ranked: ['B', 'A', 'C'], confidence: 0.55, needsHuman: true },
    { truth: 'B', ranked: ['B', 'A', 'C'], confidence: 0.7, needsHuman: false },
    { truth: 'B', ranked: ['C', 'A', 'D'], confidence: 0.5, needsHuman: true },
    { truth: 'C', ranked: ['C', 'B', 'A'], confidence: 0.95, needsHuman: false },
  ];
  const result = evaluate(items, 2);

  test('accuracy, per-label precision / recall / F1, macro-F1 and top-3', () => {
    expect(result.accuracy).toBe(0.6667); // 4 of 6
    // A: 2 hits of 2 predicted, 3 actual → P 1, R 2/3, F1 0.8.
    expect(result.perLabel.A).toEqual({ precision: 1, recall: 0.6667, f1: 0.8, support: 3 });
    // B: 1 hit of 2 predicted, 2 actual → P 0.5, R 0.5, F1 0.5.
    expect(result.perLabel.B).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    // C: 1 hit of 2 predicted, 1 actual → P 0.5, R 1, F1 2/3.
    expect(result.perLabel.C).toEqual({ precision: 0.5, recall: 1, f1: 0.6667, support: 1 });
    expect(result.macroF1).toBe(0.6556); // (0.8 + 0.5 + 0.6667) / 3
    // Every truth is among the top three except the fifth row's (B ∉ C, A, D).
    expect(result.top3Accuracy).toBe(0.8333);
  });

  test('needs-a-human rate, automated accuracy and calibration error', () => {
    expect(result.needsHumanRate).toBe(0.3333);
    // Of the four decided alone, all four are right.
    expect(result.automatedAccuracy).toBe(1);
    // Bins of width 1/15: every item falls in its own bin; |correct − confidence| summed over 6:
    // 0.1 + 0.2 + 0.55 + 0.3 + 0.5 + 0.05 = 1.7 → 0.2833.
    expect(result.expectedCalibrationError).toBe(0.2833);
    expect(result.items).toBe(6);
    expect(result.msPerItem).toBe(2);
  });

  test('a label only ever predicted counts with F1 0 in the macro average', () => {
    const skewed = evaluate([{ truth: 'A', ranked: ['B'], confidence: 1, needsHuman: false }], 0);
    expect(skewed.perLabel.B).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(skewed.macroF1).toBe(0);
  });
});

describe('folds and parsing', () => {
  test('stratified folds hold every label in every fold, the same for the same seed', () => {
    const labels = [...Array(9).fill('x'), ...Array(6).fill('y'), ...Array(3).fill('z')];
    const folds = stratifiedFolds(labels, 3, 7);
    for (let f = 0; f < 3; f++) {
      for (const label of ['x', 'y', 'z']) {
        expect(labels.filter((l, i) => l === label && folds[i] === f)).toHaveLength(
          labels.filter((l) => l === label).length / 3,
        );
      }
    }
    expect([...stratifiedFolds(labels, 3, 7)]).toEqual([...folds]);
    expect([...stratifiedFolds(labels, 3, 8)]).not.toEqual([...folds]);
  });

  test('a malformed line is an error naming it, not a smaller data set', () => {
    expect(() => parseJsonl('{"content":"a","label":"x"}\nnot json', 'f.jsonl')).toThrow('f.jsonl:2');
    expect(() => parseJsonl('{"content":"a"}', 'f.jsonl')).toThrow('"label"');
  });
});

describe('selection', () => {
  test('macro-F1 over class indices, by hand: truth 0 0 1 2, predicted 0 1 1 1', () => {
    // class 0: F1 2·1/(2+1) = 2/3; class 1: 2·1/(1+3) = 1/2; class 2: 0 → mean 7/18.
    expect(macroF1Of(Int32Array.from([0, 0, 1, 2]), Int32Array.from([0, 1, 1, 1]), 3)).toBeCloseTo(
      7 / 18,
      10,
    );
  });

  test('picks the candidate whose margins carry the labels, and adds no member that does not help', () => {
    // Three classes, 60 rows; candidate 1 scores the truth, candidates 0 and 2 are noise.
    const classes = 3;
    const labels = Int32Array.from({ length: 60 }, (_, i) => i % classes);
    let state = 7;
    const noise = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state / 2147483648 - 0.5;
    };
    const margins = (informative: boolean) =>
      Float64Array.from({ length: 60 * classes }, (_, j) =>
        informative && labels[Math.floor(j / classes)] === j % classes ? 1 + noise() : noise(),
      );
    const oof = [margins(false), margins(true), margins(false)];
    const picked = selectMembers(oof, labels, classes, 1);
    expect(picked.chosen).toEqual([1]);
    expect(picked.macroF1).toBe(1);
    expect(picked.candidateScores[1]).toBe(1);
    expect(picked.candidateScores[0]).toBeLessThan(0.6);
  });
});

describe('an external scorer in the stack (the domain model for an item model)', () => {
  test('the label link is each class’s mean scorer distribution, smoothed: by hand', () => {
    // Rows: label 0 → [0.8, 0.2] and [0.6, 0.4]; label 1 → [0.1, 0.9]. Smoothing adds 1/2 per
    // domain and 1 per class: k0 = (1.4 + 0.5) / 3, (0.6 + 0.5) / 3; k1 = (0.1 + 0.5) / 2, (0.9 + 0.5) / 2.
    const link = fitLink(
      Float64Array.from([0.8, 0.2, 0.6, 0.4, 0.1, 0.9]),
      Int32Array.from([0, 0, 1]),
      [0, 1, 2],
      2,
      2,
    );
    expect(link.map((x) => Math.round(x * 10_000) / 10_000)).toEqual([0.6333, 0.3667, 0.3, 0.7]);
    // A text the scorer calls [1, 0]: log(0.6333) for class 0, log(0.3) for class 1.
    const margins = linkMargins(link, [1, 0], 2);
    expect(margins[0]).toBeCloseTo(Math.log(0.6333), 3);
    expect(margins[1]).toBeCloseTo(Math.log(0.3), 3);
  });

  /** Says 交通 for texts about roads and lights, 其他 otherwise. */
  const coarse: ExternalScorer = {
    name: 'coarse',
    labels: ['交通', '其他'],
    score: (title, content) =>
      /公交|红绿灯|道路|停车|出租车/.test(`${title ?? ''}${content}`)
        ? Float64Array.from([0.9, 0.1])
        : Float64Array.from([0.2, 0.8]),
  };

  test('a model trained with it predicts with it, keeps it in its file, and refuses to run without it', () => {
    const examples = toySet();
    const model = trainClassifier(examples, { seed: 6, select: false }, () => {}, [coarse]);
    expect(model.external).toHaveLength(1);
    expect(model.external![0]!.labels).toEqual(['交通', '其他']);
    expect(model.stacker.memberWeights).toHaveLength(3);
    const loaded = deserializeModel(serializeModel(model));
    expect(loaded.external).toEqual(model.external);
    const a = createPredictor(model, undefined, [coarse]);
    const b = createPredictor(loaded, undefined, [coarse]);
    expect(b('', '红绿灯坏了')).toEqual(a('', '红绿灯坏了'));
    expect(a('', '红绿灯坏了，道路拥堵').ranked[0]!.label).toBe('交通运输');
    expect(() => createPredictor(loaded)).toThrow(ExternalScorerError);
    expect(() => createPredictor(loaded, undefined, [{ ...coarse, labels: ['a', 'b'] }])).toThrow(
      ExternalScorerError,
    );
  });

  test('selection leaves out a scorer that adds nothing', () => {
    const noise: ExternalScorer = {
      name: 'noise',
      labels: ['x', 'y'],
      score: () => Float64Array.from([0.5, 0.5]),
    };
    const model = trainClassifier(toySet(), { seed: 6 }, () => {}, [noise]);
    expect(model.selection!.candidates.at(-1)!.name).toBe('external noise');
    expect(model.external).toBeUndefined();
  });
});

describe('training', () => {
  const examples = toySet();

  test('learns a separable set and ranks every label with confidences summing to one', () => {
    const model = trainClassifier(examples, { seed: 3 });
    const predict = createPredictor(model);
    const prediction = predict('红绿灯坏了', '路口的红绿灯不亮，道路拥堵严重');
    expect(prediction.ranked[0]!.label).toBe('交通运输');
    expect(prediction.ranked.map((r) => r.label).sort()).toEqual(model.labels);
    expect(prediction.ranked.reduce((sum, r) => sum + r.confidence, 0)).toBeCloseTo(1, 6);
    expect(predict('', '幼儿园学位不够，学校招生太少').ranked[0]!.label).toBe('教育文体');
  });

  test('is deterministic given a seed: the same bytes twice', () => {
    const first = serializeModel(trainClassifier(examples, { seed: 5 }));
    const second = serializeModel(trainClassifier(examples, { seed: 5 }));
    expect(first.equals(second)).toBe(true);
  });

  test('round-trips through its file format with the same predictions', () => {
    const model = trainClassifier(examples, { seed: 2 });
    const loaded = deserializeModel(serializeModel(model));
    expect(loaded.labels).toEqual(model.labels);
    expect(loaded.config).toEqual(model.config);
    const a = createPredictor(model);
    const b = createPredictor(loaded);
    for (const example of examples.slice(0, 20)) {
      expect(b(example.title, example.content)).toEqual(a(example.title, example.content));
    }
  });

  test('selection keeps what it chose, and what it tried, in the model and its file', () => {
    const model = trainClassifier(examples, { seed: 4 });
    const pool = candidatePool(model.config.views[0]!);
    expect(model.selection!.candidates).toHaveLength(pool.members.length);
    expect(model.config.members).toHaveLength(model.selection!.chosen.length);
    // Every chosen member reads a view the model kept, and the stored members are the chosen ones
    // (in pool order).
    [...model.selection!.chosen]
      .sort((a, b) => a - b)
      .forEach((candidate, m) => {
        const { view, ...rest } = pool.members[candidate]!;
        expect(model.config.members[m]).toMatchObject(rest);
        expect(model.config.views[model.config.members[m]!.view]).toEqual(pool.views[view]);
      });
    expect(deserializeModel(serializeModel(model)).selection).toEqual(model.selection);
    const fixed = trainClassifier(examples, { seed: 4, select: false });
    expect(fixed.selection).toBeUndefined();
    expect(fixed.config.members).toHaveLength(2);
  });

  test('a file that is not a model is refused with a clear error', () => {
    expect(() => deserializeModel(Buffer.from('not a model'))).toThrow(ModelFileError);
  });
});
