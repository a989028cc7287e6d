// The single-byte character sets French accounting files are written in, through iconv-lite (its
// tables are generated from the Unicode consortium's mappings: no hand-written code page here).
// - ISO 8859-15 (Latin-9): one of the three article A47 A-1 of the LPF allows for a FEC (with ASCII
//   and EBCDIC).
// - Windows-1252: what Windows software reads as « ANSI » (Quadra, Sage 100).
// - CP850: the DOS code page of EBP's text import and of Sage 50's (Ciel's) XImport.
// A character outside the set is written as its letter without accent when it has one (ą → a),
// typographic quotes and dashes as their ASCII counterparts, anything else as « ? ».
import iconv from 'iconv-lite';

export type Charset = 'iso-8859-15' | 'windows-1252' | 'cp850';

function representable(char: string, charset: Charset): boolean {
  return iconv.decode(iconv.encode(char, charset), charset) === char;
}

function plainOf(char: string): string {
  return char
    .replace(/[\u2018\u2019\u201A\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/[\u00A0\u2000-\u200B\u202F]/g, ' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
}

const fallbacks = new Map<string, string>();

/** What a character outside ASCII becomes in the charset: itself, its plain letter, or « ? ». */
function inCharset(char: string, charset: Charset): string {
  const key = `${charset}:${char}`;
  let out = fallbacks.get(key);
  if (out === undefined) {
    const plain = plainOf(char);
    out = representable(char, charset)
      ? char
      : plain.length > 0 && [...plain].every((c) => representable(c, charset))
        ? plain
        : '?';
    // Bounded: merchants' names come from outside, and every code point could be a key.
    if (fallbacks.size < 10_000) fallbacks.set(key, out);
  }
  return out;
}

/** The text in the charset's bytes (only the characters outside ASCII are looked at). */
export function encodeText(text: string, charset: Charset): Buffer {
  return iconv.encode(
    text.replace(/[^\u0000-\u007f]/gu, (char) => inCharset(char, charset)),
    charset,
  );
}

/** The charset's bytes back to text (the validators read files this way). */
export function decodeText(bytes: Uint8Array, charset: Charset): string {
  return iconv.decode(Buffer.from(bytes), charset);
}
