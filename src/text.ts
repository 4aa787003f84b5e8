import { isAscii } from 'node:buffer';
import { Transform } from 'node:stream';

/** How the bytes of a text file were read. */
export type TextEncoding = 'utf-8' | 'windows-1252' | 'utf-16le';

/** What each encoding is called on an import's report (the page and the command line). */
export const encodingNames: Record<TextEncoding, string> = {
  'utf-8': 'UTF-8',
  'windows-1252': 'Windows-1252 (the plain "CSV" that Excel saves on Windows)',
  'utf-16le': 'UTF-16 (Excel\'s "Unicode text")',
};

const isContinuation = (b: number) => (b & 0xc0) === 0x80;

/** Bytes in the UTF-8 character that `lead` starts (1 for ASCII), or 0 when no well-formed character starts so. */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** UTF-16 little-endian's byte-order mark, which Excel's "Unicode text" begins with. */
const utf16Mark = (buf: Buffer) => buf[0] === 0xff && buf[1] === 0xfe;

/**
 * Bytes at the end of `buf` that start a UTF-8 character the buffer does not finish (0 to 3): a file read in
 * chunks splits characters such as "ë" (two bytes) between them. A byte that starts no UTF-8 character (a
 * Windows-1252 letter such as 0xFC) is held back too, for the next chunk to show what it is.
 */
function unfinished(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const b = buf[buf.length - back];
    if (isContinuation(b)) continue; // its lead byte is further back
    return (utf8Length(b) || 4) > back ? back : 0;
  }
  return 0;
}

// Windows-1252 is Latin-1 but for 0x80-0x9F, which hold punctuation and a few letters (0x96 is "–"). Node's own
// TextDecoder('windows-1252') has read those bytes as Latin-1's control characters in one call, so the table is ours.
const C1 = Array.from(
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
    '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178',
);
const C1_RANGE = /[\u0080-\u009f]/g;

/** Windows-1252 bytes as text (one byte, one character: a chunk needs nothing from the one before). */
function windows1252(bytes: Buffer): string {
  return bytes.toString('latin1').replace(C1_RANGE, (c) => C1[c.charCodeAt(0) - 0x80]);
}

/** Whether the first byte of `buf` above ASCII starts a well-formed UTF-8 character (`buf` holds one). */
function startsUtf8(buf: Buffer): boolean {
  let i = 0;
  while (buf[i] < 0x80) i++;
  const length = utf8Length(buf[i]);
  if (length === 0 || i + length > buf.length) return false;
  for (let k = 1; k < length; k++) if (!isContinuation(buf[i + k])) return false;
  return true;
}

/**
 * A stream from the bytes of a text file (a local file or an upload, in chunks of any size) to its text, as
 * strings. The file's first character beyond ASCII decides how it is read: UTF-8 when that character is
 * well-formed UTF-8 (or there is none), otherwise Windows-1252, the "CSV" that Excel saves on Windows ("é" is
 * the single byte 0xE9 there, never the start of a UTF-8 "é"). A file starting with the UTF-16 little-endian
 * mark (Excel's "Unicode text") is read as UTF-16. A character split between two chunks is read whole. UTF-8's
 * byte-order mark is kept, for the reader of the header to drop; UTF-16's is dropped here. In a file read as
 * UTF-8, later bytes that are not UTF-8 become U+FFFD, for the reader to report on their line rather than guess.
 * `encoding()` says how the file was read, once it has been.
 */
export function decodeText(): Transform & { encoding(): TextEncoding } {
  // Until the first character beyond ASCII, UTF-8 and Windows-1252 read the same.
  let mode: TextEncoding | 'ascii' = 'ascii';
  let started = false;
  let carry: Buffer | null = null;
  let decoder: TextDecoder | null = null; // UTF-16
  const stream = new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, done) {
      if (!started) {
        started = true;
        if (utf16Mark(chunk)) {
          mode = 'utf-16le';
          decoder = new TextDecoder('utf-16le');
        }
      }
      if (mode === 'windows-1252') return done(null, windows1252(chunk) || undefined);
      if (decoder) return done(null, decoder.decode(chunk, { stream: true }) || undefined);
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      const keep = unfinished(buf);
      const whole = keep ? buf.subarray(0, buf.length - keep) : buf;
      if (mode === 'ascii' && !isAscii(whole)) {
        mode = startsUtf8(whole) ? 'utf-8' : 'windows-1252';
        if (mode === 'windows-1252') {
          carry = null;
          return done(null, windows1252(buf) || undefined);
        }
      }
      carry = keep ? Buffer.from(buf.subarray(buf.length - keep)) : null;
      done(null, whole.length ? whole.toString('utf8') : undefined);
    },
    flush(done) {
      if (decoder) return done(null, decoder.decode() || undefined);
      if (!carry) return done();
      // Held back as the start of a UTF-8 character the file never finished: in a file that was ASCII until
      // then, a Windows-1252 letter ("José" at the very end); in UTF-8, a cut-off character, U+FFFD.
      if (mode === 'ascii') mode = 'windows-1252';
      done(null, mode === 'windows-1252' ? windows1252(carry) : carry.toString('utf8'));
    },
  });
  return Object.assign(stream, { encoding: (): TextEncoding => (mode === 'ascii' ? 'utf-8' : mode) });
}

/**
 * The text of a whole file's bytes (an upload held in memory, a file read from disk), by the same rule as
 * decodeText: UTF-16 with its mark; otherwise UTF-8 unless the first character beyond ASCII is not UTF-8, then
 * Windows-1252.
 */
export function decodeBytes(bytes: Buffer): string {
  if (utf16Mark(bytes)) return new TextDecoder('utf-16le').decode(bytes);
  if (isAscii(bytes) || startsUtf8(bytes)) return bytes.toString('utf8');
  return windows1252(bytes);
}
