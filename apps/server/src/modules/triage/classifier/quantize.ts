import type { SparseVector } from './features.ts';
import type { LinearModel } from './linear-svm.ts';

/**
 * A trained linear model as it is kept and scored: 8-bit weights with one scale per feature row
 * (the K class weights of one hash bucket share it).
 *
 * Why 8 bits: scoring a text reads one weight row per feature at random places in the table, so it
 * is bound by memory, not arithmetic; a quarter of the bytes is several times faster. The file
 * stays small too (a Float32 member of 2^18 buckets is 7 MB at 7 labels and grows with the label
 * count). The rounding error is under 0.4 % of a row's largest weight and costs no measurable
 * accuracy. Training rounds straight away, so the model in memory is exactly the one on disk.
 */
export interface QuantizedLinear {
  classes: number;
  bits: number;
  codes: Int8Array;
  scales: Float32Array;
  bias: Float32Array;
}

export function quantize(model: LinearModel): QuantizedLinear {
  const { classes, weights } = model;
  const rows = weights.length / classes;
  const codes = new Int8Array(weights.length);
  const scales = new Float32Array(rows);
  for (let j = 0; j < rows; j++) {
    const base = j * classes;
    let max = 0;
    for (let k = 0; k < classes; k++) max = Math.max(max, Math.abs(weights[base + k]!));
    if (max === 0) continue;
    const scale = Math.fround(max / 127);
    scales[j] = scale;
    for (let k = 0; k < classes; k++) {
      codes[base + k] = Math.max(-127, Math.min(127, Math.round(weights[base + k]! / scale)));
    }
  }
  return { classes, bits: model.bits, codes, scales, bias: model.bias };
}

/** Raw margins, one per class. */
export function margins(
  model: QuantizedLinear,
  doc: SparseVector,
  out = new Float64Array(model.classes),
): Float64Array {
  const { classes, codes, scales, bias } = model;
  for (let k = 0; k < classes; k++) out[k] = bias[k]!;
  const { index, value } = doc;
  for (let t = 0; t < index.length; t++) {
    const j = index[t]!;
    const scale = scales[j]!;
    if (scale === 0) continue;
    const v = value[t]! * scale;
    const base = j * classes;
    for (let k = 0; k < classes; k++) out[k]! += codes[base + k]! * v;
  }
  return out;
}
