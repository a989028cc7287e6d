import { readFile } from '@/lib/server/storage';

/**
 * A stored file as a response: inline (images and PDFs open in the browser), with the type it was
 * stored with (decided from its content on arrival), nosniff, and never cached by a proxy.
 */
export function storedFileResponse(file: {
  fileId: string;
  driver: string;
  contentType: string;
  size: number;
  filename: string;
}): Response {
  const body = readFile(file.fileId, file.driver);
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for await (const chunk of body) controller.enqueue(chunk);
        controller.close();
      } catch (error) {
        controller.error(error);
      }
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': file.contentType,
      'content-length': String(file.size),
      'content-disposition': `inline; filename="${file.filename}"`,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
    },
  });
}
