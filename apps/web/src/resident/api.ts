// The public API the resident app calls. The shapes of its bodies and replies are the server's own
// schemas (@doorstep/contracts): a change on the server breaks this app's type check.
import type {
  AreaNear,
  NearbyStation,
  NewAppeal,
  PlaceFound,
  PublicCatalog,
  PublicDispute,
  PublicTracking,
  Rating,
  Submitted,
  UploadReply,
} from '@doorstep/contracts';
import { createApiClient } from '../shared/api';
import type { LatLng } from '../shared/map';
import { answerHumanCheck } from './human-check';

const api = createApiClient();
// Photos travel over slow mobile links: give an upload more time than a JSON call.
const uploadApi = createApiClient({ timeoutMs: 60_000 });

export const residentApi = {
  categories: () => api.get<PublicCatalog>('/public/categories'),
  stations: (at: LatLng, radius = 500) =>
    api.get<{ items: NearbyStation[] }>(`/public/stations?lat=${at.lat}&lng=${at.lng}&radius=${radius}`),
  places: (text: string) => api.get<{ items: PlaceFound[] }>(`/public/places?q=${encodeURIComponent(text)}`),
  areas: (at: LatLng, radius = 800) =>
    api.get<{ items: AreaNear[] }>(`/public/areas?lat=${at.lat}&lng=${at.lng}&radius=${radius}`),
  upload(file: Blob, name: string) {
    const form = new FormData();
    form.append('file', file, name);
    return uploadApi.post<UploadReply>('/uploads', form);
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
  track: (code: string) => api.get<PublicTracking>(`/track/${encodeURIComponent(code)}`),
  /** Where a result photo of a tracked appeal is served (an <img> source, not a JSON call). */
  resultPhotoUrl: (code: string, uploadId: string) =>
    `/api/v1/track/${encodeURIComponent(code)}/photos/${encodeURIComponent(uploadId)}`,
  rate: (code: string, ratingToken: string, score: Rating, comment?: string) =>
    api.post<PublicTracking>(`/track/${encodeURIComponent(code)}/rating`, { score, comment, ratingToken }),
  trackDispute: (code: string) => api.get<PublicDispute>(`/track/disputes/${encodeURIComponent(code)}`),
  confirmAgreement: (code: string, confirmationCode: string) =>
    api.post<PublicDispute>(`/track/disputes/${encodeURIComponent(code)}/confirmation`, {
      code: confirmationCode,
    }),
};

export { isRetryable } from '../shared/api';
