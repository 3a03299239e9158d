import { gunzipSync, gzipSync } from 'node:zlib';
import type { ExternalLink } from './external.ts';
import { type ClassifierConfig, MODEL_FORMAT, type TriageModel } from './model.ts';
import type { QuantizedLinear } from './quantize.ts';
import type { SelectionReport } from './selection.ts';

/**
 * The model file: gzip of  "DTC1" | u32 header length | header JSON | binary sections.
 * The header holds everything small and human-readable (labels, feature settings, stacker
 * weights); the sections hold the IDF tables (Float32) and each member's 8-bit weights, per-row
 * scales and biases. Nothing time- or machine-dependent is written, so the same training run
 * gives the same bytes.
 */
const MAGIC = 'DTC1';

interface Header {
  format: string;
  labels: string[];
  config: ClassifierConfig;
  stacker: { memberWeights: number[]; classBias: number[] };
  trainedOn: { examples: number };
  selection?: SelectionReport;
  external?: ExternalLink[];
  sections: { name: string; bytes: number }[];
}

export class ModelFileError extends Error {
  override name = 'ModelFileError';
}

function bytesOf(array: Float32Array | Int8Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

export function serializeModel(model: TriageModel): Buffer {
  const sections: { name: string; data: Uint8Array }[] = [];
  model.idf.forEach((idf, v) => {
    sections.push({ name: `idf.${v}`, data: bytesOf(idf) });
  });
  model.members.forEach((member, m) => {
    sections.push({ name: `member.${m}.codes`, data: bytesOf(member.codes) });
    sections.push({ name: `member.${m}.scales`, data: bytesOf(member.scales) });
    sections.push({ name: `member.${m}.bias`, data: bytesOf(member.bias) });
  });
  const header: Header = {
    format: model.format,
    labels: model.labels,
    config: model.config,
    stacker: {
      memberWeights: [...model.stacker.memberWeights],
      classBias: [...model.stacker.classBias],
    },
    trainedOn: model.trainedOn,
    ...(model.selection ? { selection: model.selection } : {}),
    ...(model.external ? { external: model.external } : {}),
    sections: sections.map(({ name, data }) => ({ name, bytes: data.byteLength })),
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  return gzipSync(Buffer.concat([Buffer.from(MAGIC), length, headerBytes, ...sections.map((s) => s.data)]), {
    level: 9,
  });
}

export function deserializeModel(file: Uint8Array): TriageModel {
  let raw: Buffer;
  try {
    raw = gunzipSync(file);
  } catch {
    throw new ModelFileError('not a triage model file (not gzip)');
  }
  if (raw.length < 8 || raw.subarray(0, 4).toString('latin1') !== MAGIC) {
    throw new ModelFileError('not a triage model file');
  }
  const headerLength = raw.readUInt32LE(4);
  const header = JSON.parse(raw.subarray(8, 8 + headerLength).toString('utf8')) as Header;
  if (header.format !== MODEL_FORMAT) {
    throw new ModelFileError(`unsupported model format ${header.format}; this build reads ${MODEL_FORMAT}`);
  }
  const sections = new Map<string, Uint8Array>();
  let offset = 8 + headerLength;
  for (const { name, bytes } of header.sections) {
    // Copy: typed arrays over the shared buffer would need 4-byte alignment we do not guarantee.
    sections.set(name, Uint8Array.prototype.slice.call(raw, offset, offset + bytes));
    offset += bytes;
  }
  if (offset !== raw.length) throw new ModelFileError('model file is truncated or has trailing data');
  const section = (name: string): ArrayBuffer => {
    const data = sections.get(name);
    if (!data) throw new ModelFileError(`model file lacks section ${name}`);
    return data.buffer as ArrayBuffer;
  };
  const classes = header.labels.length;
  const members: QuantizedLinear[] = header.config.members.map((member, m) => {
    const bits = header.config.views[member.view]!.bits;
    const codes = new Int8Array(section(`member.${m}.codes`));
    const scales = new Float32Array(section(`member.${m}.scales`));
    if (codes.length !== classes << bits || scales.length !== 1 << bits) {
      throw new ModelFileError(`member ${m} has the wrong size`);
    }
    return {
      classes,
      bits,
      codes,
      scales,
      bias: new Float32Array(section(`member.${m}.bias`)),
    };
  });
  return {
    format: MODEL_FORMAT,
    labels: header.labels,
    // Files written before selection existed lack `select`; their config was fixed.
    config: { ...header.config, select: header.config.select ?? false },
    idf: header.config.views.map((_, v) => new Float32Array(section(`idf.${v}`))),
    members,
    stacker: {
      memberWeights: Float64Array.from(header.stacker.memberWeights),
      classBias: Float64Array.from(header.stacker.classBias),
    },
    trainedOn: header.trainedOn,
    ...(header.selection ? { selection: header.selection } : {}),
    ...(header.external ? { external: header.external } : {}),
  };
}
