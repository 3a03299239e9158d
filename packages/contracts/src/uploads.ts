import { type Static, Type } from 'typebox';
import { StringEnum } from './common.ts';
import { DOCUMENT_TYPES, IMAGE_TYPES } from './vocabulary.ts';

export const UploadContentTypeSchema = StringEnum([...IMAGE_TYPES, ...DOCUMENT_TYPES], {
  description: 'detected from the bytes, not from the file name or the client’s claim',
});

export const UploadReply = Type.Object({
  id: Type.String({ format: 'uuid' }),
  contentType: UploadContentTypeSchema,
  byteSize: Type.Integer({ description: 'size of the stored, re-encoded file' }),
  width: Type.Union([Type.Integer(), Type.Null()]),
  height: Type.Union([Type.Integer(), Type.Null()]),
  location: Type.Optional(
    Type.Object(
      { lat: Type.Number(), lng: Type.Number() },
      {
        description:
          'the photo’s EXIF GPS position (WGS-84), present only when keepLocation=true was sent and the photo had one',
      },
    ),
  ),
});
export type UploadReply = Static<typeof UploadReply>;

export const UploadIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
