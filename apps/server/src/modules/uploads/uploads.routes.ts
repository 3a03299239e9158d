import type { Readable } from 'node:stream';
import { errorReplies, SECURITY, UploadIdParams, UploadReply } from '@doorstep/contracts';
import fastifyMultipart from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errors } from '../../platform/errors.ts';
import type { UploadService, UploadView } from './uploads.service.ts';

const FILE_FIELD = 'file';
const LOCATION_FIELD = 'keepLocation';

/** Turns the multipart plugin's and busboy's errors into the API's error model. */
function multipartError(error: unknown, maxBytes: number): AppError {
  if (error instanceof AppError) return error;
  switch ((error as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('file_too_large', 413, `a file may have at most ${maxBytes} bytes`, { maxBytes });
    case 'FST_FILES_LIMIT':
      return errors.validation('send one file per request');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('unsupported_media_type', 415, 'send multipart/form-data');
    default:
      // Truncated bodies, bad boundaries, too many fields: all the client's doing.
      return new AppError('invalid_body', 400, 'the multipart body could not be read');
  }
}

/** One file in the field `file`, and optionally `keepLocation=true|false`; nothing else. */
async function readUploadForm(request: FastifyRequest, maxBytes: number) {
  if (!request.isMultipart()) {
    throw new AppError(
      'unsupported_media_type',
      415,
      `send multipart/form-data with the file in "${FILE_FIELD}"`,
    );
  }
  let bytes: Buffer | null = null;
  let keepLocation = false;
  try {
    const parts = request.parts({
      limits: { fileSize: maxBytes, files: 1, fields: 2, fieldSize: 100, parts: 3, headerPairs: 20 },
    });
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== FILE_FIELD) {
          throw errors.validation(`send the file in the field "${FILE_FIELD}"`, { field: part.fieldname });
        }
        bytes = await part.toBuffer();
      } else if (part.fieldname === LOCATION_FIELD) {
        if (part.value !== 'true' && part.value !== 'false') {
          throw errors.validation(`${LOCATION_FIELD} must be true or false`);
        }
        keepLocation = part.value === 'true';
      } else {
        throw errors.validation(`unknown field "${part.fieldname}"`, { field: part.fieldname });
      }
    }
  } catch (error) {
    throw multipartError(error, maxBytes);
  }
  if (!bytes) throw errors.validation(`send the file in the field "${FILE_FIELD}"`);
  return { bytes, keepLocation };
}

export function uploadRoutes(deps: { uploads: UploadService }) {
  return async (plugin: FastifyInstance) => {
    // Registered here, inside this plugin's encapsulated scope: only the upload route accepts
    // multipart; every other route keeps answering 415 to it.
    await plugin.register(fastifyMultipart, { throwFileSizeLimit: true });
    const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
    const { uploads } = deps;
    const tags = ['uploads'];

    app.post(
      '/api/v1/uploads',
      {
        // Residents upload before they submit, without an account. Staff may send a token: then the
        // upload names them, escapes the per-address quota, and may be a PDF.
        config: { public: true },
        schema: {
          tags,
          summary: 'Upload one photo (or, for staff, a PDF) for an appeal',
          description:
            'multipart/form-data with one file in the field "file" and optionally keepLocation=true. ' +
            'The type is detected from the content (JPEG, PNG, WebP; PDF for staff); photos are ' +
            're-encoded without any metadata. The EXIF GPS position is returned and kept only with ' +
            'keepLocation=true. An upload no appeal claims within 24 hours is removed.',
          consumes: ['multipart/form-data'],
          response: { 201: UploadReply, ...errorReplies(400, 413, 415, 429) },
        },
      },
      async (request, reply) => {
        const form = await readUploadForm(request, uploads.limits.maxBytes);
        const created = await uploads.create({ ...form, actor: request.actor, ip: request.ip });
        return reply.status(201).send(created);
      },
    );

    app.get(
      '/api/v1/uploads/:id',
      {
        // Readable by id while unattached; once an appeal holds it, staff only (see the service).
        config: { public: true },
        schema: {
          tags,
          security: [{}, ...SECURITY],
          summary: 'The bytes of an upload',
          params: UploadIdParams,
          response: errorReplies(400, 404),
        },
      },
      async (request, reply) => {
        const { upload, body } = await uploads.open(request.params.id, request.actor);
        return sendUpload(reply, upload, body);
      },
    );
  };
}

/** An upload's bytes as a reply that can run nothing, whoever asked and whatever it holds. */
export function sendUpload(reply: FastifyReply, upload: UploadView, body: Readable) {
  const extension = upload.contentType.split('/')[1] === 'jpeg' ? 'jpg' : upload.contentType.split('/')[1];
  const inline = upload.contentType.startsWith('image/');
  return (
    reply
      .type(upload.contentType)
      .header('content-length', upload.byteSize)
      .header('cache-control', 'private, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .header('cross-origin-resource-policy', 'same-origin')
      // Opened as a page, the file may run nothing and reach nothing.
      .header('content-security-policy', "default-src 'none'; sandbox")
      // Photos show in place; a PDF downloads rather than opening in our origin.
      .header(
        'content-disposition',
        `${inline ? 'inline' : 'attachment'}; filename="${upload.id}.${extension}"`,
      )
      .send(body)
  );
}
