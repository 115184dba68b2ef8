/**
 * `decodeNote` validates UTF-8 with `isUtf8` and decodes without checks: it must accept and reject
 * exactly the bytes a fatal `TextDecoder` accepts and rejects, and give the same text (a leading BOM
 * dropped), on random bytes and on the encodings of random strings.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeNote } from '../../../server/src/host/files';

const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** What the former decoder said about `bytes`: the text, or undefined when it refused them. */
function reference(bytes: Uint8Array): string | undefined {
  try {
    return fatal.decode(bytes);
  } catch {
    return undefined;
  }
}

function assertSame(bytes: Uint8Array): void {
  // UTF-16 byte order marks and NUL bytes take other paths, checked elsewhere.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff) || bytes.includes(0)) return;
  const r = decodeNote(bytes);
  const want = reference(bytes);
  if (want === undefined) assert.equal(r.ok, false, `accepted ${Buffer.from(bytes).toString('hex')}`);
  else assert.deepEqual(r, { ok: true, text: want, encoding: 'utf8' });
}

describe('decodeNote and a fatal TextDecoder agree', () => {
  it('on the edges of UTF-8', () => {
    const cases = [
      [], [0xef, 0xbb, 0xbf], [0xef, 0xbb, 0xbf, 0x61], [0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], [0xef, 0xbb], [0x61, 0xef, 0xbb, 0xbf],
      [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0x9f, 0xbf], [0xed, 0xa0, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80],
      [0xf5, 0x80, 0x80, 0x80], [0xf0, 0x9f, 0x98, 0x80], [0xf0, 0x9f, 0x98], [0xe6, 0x95, 0xb0, 0xe6, 0x95], [0x80], [0xff], [0x0d, 0x0a, 0x7f],
    ];
    for (const c of cases) assertSame(Uint8Array.from(c));
  });

  it('on a Buffer, a Uint8Array and a view into a larger buffer', () => {
    const text = '\ufeff数据墙 😀 **bold**\r\n';
    const encoded = Buffer.from(text, 'utf8');
    const padded = Buffer.concat([Buffer.from('xx'), encoded, Buffer.from('yy')]);
    for (const bytes of [encoded, new Uint8Array(encoded), padded.subarray(2, 2 + encoded.length)]) {
      assert.deepEqual(decodeNote(bytes), { ok: true, text: text.slice(1), encoding: 'utf8' });
    }
  });

  it('on random bytes and random text', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => assertSame(bytes)), { numRuns: 3000 });
    const biased = fc.array(fc.constantFrom(0x61, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xbb, 0xf0, 0xf4, 0x9f, 0xa0, 0x90), { maxLength: 12 });
    fc.assert(fc.property(biased, (bytes) => assertSame(Uint8Array.from(bytes))), { numRuns: 3000 });
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.boolean(), (s, bom) => assertSame(Buffer.from((bom ? '\ufeff' : '') + s, 'utf8'))), { numRuns: 1000 });
  });
});
