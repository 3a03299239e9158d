// The public API the resident app calls, with the shapes of its replies. These mirror the server's
// TypeBox schemas (catalog.schema.ts, orgs.schema.ts, uploads.schema.ts, appeals.schema.ts and the
// public view in appeals.views.ts) until packages/contracts exports them.
import { ApiError, clientErrorCodes, createApiClient } from '../shared/api';
import type { LatLng } from '../shared/map';
import { answerHumanCheck } from './human-check';

export type CategoryKind =
  | 'patrol'
  | 'snapshot'
  | 'dispute'
  | 'complaint'
  | 'suggestion'
  | 'help'
  | 'consultation';

export interface ExtraField {
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist';
  required: boolean;
  description: string;
  order: number;
  values?: { key: string; name: string }[];
}

export interface PublicCategory {
  id: number;
  code: string;
  name: string;
  kind: CategoryKind;
  urgency: 'normal' | 'urgent' | 'critical';
  sortOrder: number;
  popularity: number;
  keywords: string[];
  extraFields: ExtraField[];
}

export interface PublicCatalog {
  kinds: {
    id: number;
    code: string;
    name: string;
    kind: CategoryKind;
    items: PublicCategory[];
    groups: { id: number; code: string; name: string; items: PublicCategory[] }[];
  }[];
}

export interface Station {
  code: string;
  name: string;
  location: LatLng;
  distanceM: number;
  serviceRadiusM: number;
  openingHours: string | null;
  services: string[];
  phone: string | null;
}

export interface Upload {
  id: string;
  contentType: string;
  byteSize: number;
  width: number | null;
  height: number | null;
}

export interface NewAppeal {
  channel: 'h5' | 'qr';
  categoryCode?: string;
  content: string;
  location?: LatLng & { address?: string };
  stationCode?: string;
  contact?: { name?: string; phone?: string };
  anonymous?: boolean;
  attachments?: string[];
  attributes?: Record<string, unknown>;
}

export interface Submitted {
  id: string;
  trackingCode: string;
  status: string;
  statusLabel: string;
  submittedAt: string;
  acceptDueAt: string | null;
}

export type RatingScore = 'satisfied' | 'basically_satisfied' | 'unsatisfied';

export interface TrackView {
  trackingCode: string;
  status: string;
  statusLabel: string;
  category: string | null;
  title: string;
  submittedAt: string;
  finishDueAt: string | null;
  mergedInto: string | null;
  rating: RatingScore | null;
  canRate: boolean;
  photos: { uploadId: string; stage: string }[];
  timeline: { at: string; label: string; detail?: string }[];
}

const api = createApiClient();
// Photos travel over slow mobile links: give an upload more time than a JSON call.
const uploadApi = createApiClient({ timeoutMs: 60_000 });

export const residentApi = {
  categories: () => api.get<PublicCatalog>('/public/categories'),
  stations: (at: LatLng, radius = 500) =>
    api.get<{ items: Station[] }>(`/public/stations?lat=${at.lat}&lng=${at.lng}&radius=${radius}`),
  upload(file: Blob, name: string) {
    const form = new FormData();
    form.append('file', file, name);
    return uploadApi.post<Upload>('/uploads', form);
  },
  async submit(body: NewAppeal, idempotencyKey: string) {
    const send = (extra: Record<string, string> = {}) =>
      api.post<Submitted>('/appeals', body, { headers: { 'Idempotency-Key': idempotencyKey, ...extra } });
    try {
      return await send();
    } catch (error) {
      // Past the per-address limit: answer the proof of work once, with the same Idempotency-Key.
      const proof = await answerHumanCheck(error);
      if (!proof) throw error;
      return send(proof);
    }
  },
  track: (code: string) => api.get<TrackView>(`/track/${encodeURIComponent(code)}`),
  rate: (code: string, score: RatingScore, comment?: string) =>
    api.post<TrackView>(`/track/${encodeURIComponent(code)}/rating`, { score, comment }),
};

/**
 * Failures worth trying again later with the same request: no answer at all, a gateway that could
 * not reach us, an overloaded server, or the rate limit. Anything else is the server's final word.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === clientErrorCodes.network || error.code === clientErrorCodes.timeout) return true;
  return [429, 502, 503, 504].includes(error.status);
}
