import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { rechunk, type StorageDriver } from './driver';

// S3's smallest multipart part: a file up to this size is one PutObject, a larger one goes up part
// by part. Memory holds one part at most, whatever the file's size.
const PART = 5 * 1024 * 1024;

export type S3Settings = {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
};

/** S3-compatible object storage (AWS, Scaleway, OVH, MinIO…): objects named by the file's id, never public. */
export function s3Driver(settings: S3Settings): StorageDriver {
  const client = new S3Client({
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint, forcePathStyle: true } : {}),
    ...(settings.accessKeyId && settings.secretAccessKey
      ? { credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey } }
      : {}),
  });
  const Bucket = settings.bucket;
  const key = (id: string) => `receipts/${id}`;
  return {
    name: 's3',
    async write(id, source, contentType) {
      const parts = rechunk(source, PART)[Symbol.asyncIterator]();
      const first = await parts.next();
      const second = first.done ? first : await parts.next();
      if (second.done) {
        await client.send(
          new PutObjectCommand({
            Bucket,
            Key: key(id),
            Body: first.value ?? Buffer.alloc(0),
            ContentType: contentType,
          }),
        );
        return;
      }
      const { UploadId } = await client.send(
        new CreateMultipartUploadCommand({ Bucket, Key: key(id), ContentType: contentType }),
      );
      try {
        const done: { ETag: string | undefined; PartNumber: number }[] = [];
        let part: IteratorResult<Buffer> = first;
        let next: IteratorResult<Buffer> | undefined = second;
        for (let number = 1; !part.done; number += 1) {
          const { ETag } = await client.send(
            new UploadPartCommand({ Bucket, Key: key(id), UploadId, PartNumber: number, Body: part.value }),
          );
          done.push({ ETag, PartNumber: number });
          part = next ?? (await parts.next());
          next = undefined;
        }
        await client.send(
          new CompleteMultipartUploadCommand({ Bucket, Key: key(id), UploadId, MultipartUpload: { Parts: done } }),
        );
      } catch (error) {
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key: key(id), UploadId })).catch(() => undefined);
        throw error;
      }
    },
    async *read(id) {
      const object = await client.send(new GetObjectCommand({ Bucket, Key: key(id) }));
      if (!object.Body) return;
      yield* object.Body as AsyncIterable<Uint8Array>;
    },
    async remove(id) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key(id) }));
    },
  };
}
