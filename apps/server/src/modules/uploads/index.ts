export { UploadReply } from '@doorstep/contracts';
export { uploadPolicies } from './uploads.policy.ts';
export {
  CLAIM_WINDOW_MS,
  claimForAppeal,
  listForAppeal,
  type UploadRow,
} from './uploads.repository.ts';
export { sendUpload, uploadRoutes } from './uploads.routes.ts';
export {
  createUploadService,
  DEFAULT_UPLOAD_MAX_BYTES,
  type UploadService,
  type UploadView,
} from './uploads.service.ts';
