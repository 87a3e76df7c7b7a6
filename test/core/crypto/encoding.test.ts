import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  base64Decode,
  base64Encode,
  base64UrlDecode,
  base64UrlDecodeUtf8,
  base64UrlEncode,
  base64UrlEncodeUtf8,
  binaryStringToBytes,
  bytesToBinaryString,
  pureEncoding,
  timingSafeEqualString,
  utf8Decode,
  utf8Encode,
} from '../../../src/core/encoding';
import { InvalidRequestError } from '../../../src/core/errors';
import { anyText } from './fixtures';

const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 300 }),
  fc.uint8Array({ minLength: 40_000, maxLength: 70_000 }),
);
const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Insert ASCII whitespace at random places, as PEM bodies and MIME encoders do. */
const withWhitespace = (text: string) =>
  fc
    .array(fc.tuple(fc.nat(text.length), fc.constantFrom(' ', '\n', '\r\n', '\t', '\f')), { maxLength: 10 })
    .map((inserts) => {
      let out = text;
      for (const [at, ws] of inserts.sort((a, b) => b[0] - a[0])) out = out.slice(0, at) + ws + out.slice(at);
      return out;
    });

describe('UTF-8', () => {
  it('utf8Encode equals Buffer and TextEncoder for any string, lone surrogates included', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const expected = Buffer.from(text, 'utf8').toString('hex');
        expect(hex(utf8Encode(text))).toBe(expected);
        expect(hex(pureEncoding.utf8Encode(text))).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('replaces lone surrogates with U+FFFD (EF BF BD) like Buffer', () => {
    expect(hex(utf8Encode('a\uD800b'))).toBe('61efbfbd62');
    expect(hex(pureEncoding.utf8Encode('\uDC00'))).toBe('efbfbd');
    expect(hex(utf8Encode('บาท'))).toBe('e0b89ae0b8b2e0b897');
  });

  it('utf8Decode equals Buffer#toString on arbitrary (also invalid) bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
        const expected = Buffer.from(input).toString('utf8');
        expect(utf8Decode(input)).toBe(expected);
        expect(pureEncoding.utf8Decode(input)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});

describe('Base64 encoding', () => {
  it('base64Encode and base64UrlEncode equal Buffer, on both the Buffer and the pure path', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const buffer = Buffer.from(input);
        expect(base64Encode(input)).toBe(buffer.toString('base64'));
        expect(pureEncoding.base64Encode(input)).toBe(buffer.toString('base64'));
        expect(base64UrlEncode(input)).toBe(buffer.toString('base64url'));
        expect(pureEncoding.base64UrlEncode(input)).toBe(buffer.toString('base64url'));
      }),
      { numRuns: 150 },
    );
  });

  it('encodes a view without reading bytes outside it', () => {
    const backing = new Uint8Array([9, 9, 0xfb, 0xff, 9]);
    const view = backing.subarray(2, 4);
    expect(base64Encode(view)).toBe('+/8=');
    expect(base64UrlEncode(view)).toBe('-_8');
    expect(pureEncoding.base64Encode(view)).toBe('+/8=');
  });

  it('base64UrlEncodeUtf8 equals Buffer.from(text).toString("base64url")', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(base64UrlEncodeUtf8(text)).toBe(Buffer.from(text, 'utf8').toString('base64url'));
        expect(pureEncoding.base64UrlEncode(pureEncoding.utf8Encode(text))).toBe(
          Buffer.from(text, 'utf8').toString('base64url'),
        );
      }),
      { numRuns: 300 },
    );
    expect(base64UrlEncodeUtf8('{"alg":"HS256","typ":"JWT"}')).toBe('eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9');
  });
});

describe('Base64 decoding', () => {
  it('round-trips Buffer output, padded or not, with whitespace anywhere', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }).chain((input) => {
          const padded = Buffer.from(input).toString('base64');
          return fc.tuple(
            fc.constant(input),
            withWhitespace(padded),
            withWhitespace(padded.replace(/=+$/, '')),
          );
        }),
        ([input, padded, unpadded]) => {
          expect(hex(base64Decode(padded))).toBe(hex(input));
          expect(hex(base64Decode(unpadded))).toBe(hex(input));
          const compact = padded.replace(/\s/g, '');
          expect(hex(pureEncoding.base64DecodeChecked(compact))).toBe(hex(input));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('base64UrlDecode round-trips Buffer base64url output; base64UrlDecodeUtf8 gives Buffer text', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (input) => {
        const url = Buffer.from(input).toString('base64url');
        expect(hex(base64UrlDecode(url))).toBe(hex(input));
        expect(hex(pureEncoding.base64UrlDecodeChecked(url))).toBe(hex(input));
        expect(base64UrlDecodeUtf8(url)).toBe(Buffer.from(input).toString('utf8'));
      }),
      { numRuns: 200 },
    );
    expect(base64UrlDecodeUtf8('eyJhbGciOiJIUzI1NiJ9')).toBe('{"alg":"HS256"}');
    expect(hex(base64UrlDecode('-_8='))).toBe('fbff');
  });

  it('base64UrlDecodeUtf8 reverses base64UrlEncodeUtf8 for well-formed text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(base64UrlDecodeUtf8(base64UrlEncodeUtf8(text))).toBe(text);
      }),
    );
  });

  it.each([
    ['a character outside the alphabet', 'ab$d', /outside the alphabet/],
    ['a base64url character in standard Base64', 'ab-_', /outside the alphabet/],
    ['padding in the middle', 'AB=CDEFG', /outside the alphabet/],
    ['too much padding', 'A===', /outside the alphabet/],
    ['padding that does not complete a group', 'AB=', /padding is misplaced/],
    ['an impossible length', 'ABCDE', /length is impossible/],
    ['a lone "="', '=', /padding is misplaced/],
    ['non-ASCII whitespace', 'AB\u00a0CD', /outside the alphabet/],
  ])('base64Decode refuses %s', (_name, input, reason) => {
    expect(() => base64Decode(input, 'signature')).toThrow(InvalidRequestError);
    expect(() => base64Decode(input, 'signature')).toThrow(reason);
    try {
      base64Decode(input, 'signature');
    } catch (error) {
      expect((error as InvalidRequestError).issues[0]?.field).toBe('signature');
    }
  });

  it.each([
    ['"+" and "/"', 'ab+/'],
    ['whitespace', 'ab cd'],
    ['an impossible length', 'abcde'],
  ])('base64UrlDecode refuses %s', (_name, input) => {
    expect(() => base64UrlDecode(input)).toThrow(InvalidRequestError);
  });

  it('decodes the empty string to no bytes', () => {
    expect(base64Decode('').length).toBe(0);
    expect(base64Decode(' \n ').length).toBe(0);
    expect(base64UrlDecode('').length).toBe(0);
  });
});

describe('binary strings', () => {
  it('bytesToBinaryString and binaryStringToBytes are inverse and match latin1, past the chunk size', () => {
    fc.assert(
      fc.property(bytes, (input) => {
        const binary = bytesToBinaryString(input);
        expect(binary).toBe(Buffer.from(input).toString('latin1'));
        expect(hex(binaryStringToBytes(binary))).toBe(hex(input));
      }),
      { numRuns: 50 },
    );
  });
});

describe('timingSafeEqualString', () => {
  it('answers exactly string equality', () => {
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        expect(timingSafeEqualString(a, b)).toBe(a === b);
        expect(timingSafeEqualString(a, a)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['', '', true],
    ['abc', 'abc', true],
    ['abc', 'abd', false],
    ['abc', 'ab', false],
    ['', 'a', false],
    ['a', '', false],
    ['abc', 'abc\u0000', false],
    ['บาท', 'บาท', true],
    ['บาท', 'บาศ', false],
    ['\uD800', '\uDC00', false],
  ])('timingSafeEqualString(%j, %j) is %s', (a, b, expected) => {
    expect(timingSafeEqualString(a, b)).toBe(expected);
  });
});

describe('without Buffer (Deno, workers, browsers)', () => {
  it('the module falls back to the pure path and gives the same results', async () => {
    const NodeBuffer = Buffer;
    vi.resetModules();
    vi.stubGlobal('Buffer', undefined);
    try {
      const pure = await import('../../../src/core/encoding');
      fc.assert(
        fc.property(anyText, fc.uint8Array({ maxLength: 100 }), (text, input) => {
          const encoded = pure.utf8Encode(text);
          expect(NodeBuffer.isBuffer(encoded)).toBe(false);
          expect(NodeBuffer.from(encoded).equals(NodeBuffer.from(text, 'utf8'))).toBe(true);
          expect(pure.base64UrlEncodeUtf8(text)).toBe(NodeBuffer.from(text, 'utf8').toString('base64url'));
          const b64 = NodeBuffer.from(input).toString('base64');
          expect(pure.base64Encode(input)).toBe(b64);
          expect(pure.base64UrlEncode(input)).toBe(NodeBuffer.from(input).toString('base64url'));
          expect(NodeBuffer.from(pure.base64Decode(b64)).equals(NodeBuffer.from(input))).toBe(true);
          expect(pure.utf8Decode(input)).toBe(NodeBuffer.from(input).toString('utf8'));
        }),
        { numRuns: 200 },
      );
      // A fresh module graph has its own error classes: match on the message.
      expect(() => pure.base64Decode('ab$d')).toThrow(/outside the alphabet/);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });
});
