import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeText } from './text.ts';

/** Feed `bytes` through decodeText in chunks of `size` bytes; the text and how it was read. */
async function read(bytes: Buffer, size: number) {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  const decoder = decodeText();
  let text = '';
  await pipeline(Readable.from(chunks), decoder, async (source: AsyncIterable<string>) => {
    for await (const s of source) text += s;
  });
  return { text, encoding: decoder.encoding() };
}

const names = 'Zoë Siân Seán Łukasz Jiří Ngozi Ọlá 😀 Müller\n'.repeat(50);

describe('decodeText', () => {
  it('reads UTF-8 whole, however the chunks split its characters', async () => {
    for (const size of [1, 2, 3, 5, 7, 64]) {
      expect(await read(Buffer.from(names, 'utf8'), size)).toEqual({ text: names, encoding: 'utf-8' });
    }
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\n', 'utf8')]);
    expect((await read(bom, 2)).text).toBe('\uFEFFa,b\n');
  });

  it('reads a file whose first character beyond ASCII is not UTF-8 as Windows-1252', async () => {
    // "Siân Müller – £5" as Excel's "CSV" saves it on Windows.
    const latin = Buffer.concat([
      Buffer.from('First Name,Last Name\n'.repeat(20), 'ascii'),
      Buffer.from([0x53, 0x69, 0xe2, 0x6e, 0x2c, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x96, 0x20, 0xa3, 0x35]),
    ]);
    for (const size of [1, 16]) {
      expect(await read(latin, size)).toEqual({
        text: `${'First Name,Last Name\n'.repeat(20)}Siân,Müller – £5`,
        encoding: 'windows-1252',
      });
    }
  });

  it('reads UTF-16 with its byte-order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zoë,Siân\n', 'utf16le')]);
    expect(await read(utf16, 3)).toEqual({ text: 'Zoë,Siân\n', encoding: 'utf-16le' });
  });

  it('marks bytes that are not UTF-8, in a file that began as UTF-8, as U+FFFD for the reader to report', async () => {
    const mixed = Buffer.concat([Buffer.from('Zoë\n', 'utf8'), Buffer.from([0x53, 0x69, 0xe2, 0x6e, 0x0a])]);
    expect(await read(mixed, 4)).toEqual({ text: 'Zoë\nSi\uFFFDn\n', encoding: 'utf-8' });
    // A character cut off by the end of the file.
    expect((await read(Buffer.from([0xc3, 0xa9, 0x61, 0xc3]), 1)).text).toBe('éa\uFFFD');
    // ... unless nothing before it was beyond ASCII: then it is a Windows-1252 letter.
    expect(await read(Buffer.from('a,Jos\u00e9', 'latin1'), 16)).toEqual({ text: 'a,José', encoding: 'windows-1252' });
  });

  it('reads a whole file by the same rule (decodeBytes)', () => {
    expect(decodeBytes(Buffer.from(names, 'utf8'))).toBe(names);
    expect(decodeBytes(Buffer.from('Se\u00e1n,M\u00fcller', 'latin1'))).toBe('Seán,Müller');
    // Windows-1252's own characters in 0x80-0x9F: € ‘ ’ “ ” – — ™ Š Ÿ.
    const c1 = Buffer.from([0x80, 0x91, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x8a, 0x9f, 0x20, 0xe9]);
    expect(decodeBytes(c1)).toBe('€‘’“”–—™ŠŸ é');
    expect(decodeBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zoë', 'utf16le')]))).toBe('Zoë');
    expect(decodeBytes(Buffer.from('plain,ascii\n'))).toBe('plain,ascii\n');
  });
});
