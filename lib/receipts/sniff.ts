// What a receipt may be: PDF or a photo, decided from the file's first bytes (never its name or
// declared type), and the most it may weigh. Shared by every way a receipt arrives.

export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;

/** What a receipt may be, decided from the file's first bytes (never its name or declared type). */
const ACCEPTED = new Map([
  ['application/pdf', 'pdf'],
  ['image/jpeg', 'jpg'],
  ['image/png', 'png'],
  ['image/heic', 'heic'],
  ['image/heif', 'heif'],
  ['image/webp', 'webp'],
]);

export function extensionOf(contentType: string): string {
  return ACCEPTED.get(contentType) ?? 'bin';
}

// file-type is an ES module: loaded on first use.
export async function sniffReceipt(head: Uint8Array): Promise<string | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  const type = await fileTypeFromBuffer(head);
  return type && ACCEPTED.has(type.mime) ? type.mime : undefined;
}
