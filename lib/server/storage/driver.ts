/** Where the bytes of a stored file live. Both drivers read and write in chunks: memory does not grow with the file. */
export interface StorageDriver {
  readonly name: 'postgres' | 's3';
  /** Stores every byte of `source` under `id`. On failure, what was written is removed and the error thrown. */
  write(id: string, source: AsyncIterable<Uint8Array>, contentType: string): Promise<void>;
  /** The bytes, chunk by chunk. */
  read(id: string): AsyncIterable<Uint8Array>;
  remove(id: string): Promise<void>;
}

/** Cuts a stream into pieces of exactly `size` bytes (the last one shorter). */
export async function* rechunk(source: AsyncIterable<Uint8Array>, size: number): AsyncIterable<Buffer> {
  let parts: Buffer[] = [];
  let length = 0;
  for await (const chunk of source) {
    let piece = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (piece.length > 0) {
      const take = Math.min(size - length, piece.length);
      parts.push(piece.subarray(0, take));
      length += take;
      piece = piece.subarray(take);
      if (length === size) {
        yield Buffer.concat(parts, length);
        parts = [];
        length = 0;
      }
    }
  }
  if (length > 0) yield Buffer.concat(parts, length);
}
