/**
 * UTF-8 and Base64 / Base64url conversions that give the same bytes and text as Node's `Buffer` on every
 * runtime, plus a constant-time string comparison.
 *
 * `Buffer` is used when the runtime has one (Node, Bun): it is several times faster than the pure path on
 * the short strings signing works with. Elsewhere (Deno, workers, browsers) the pure path uses
 * `TextEncoder`, `btoa` and `atob`, which every target runtime has.
 *
 * Decoding is stricter than `Buffer`, which silently skips characters it does not know: a signature or a
 * key with a stray character is refused here instead of being read as different bytes.
 */

import { InvalidRequestError } from './errors';

/** The few members of Node's `Buffer` used here, so the shape is checked without importing node types. */
interface NodeBufferInstance extends Uint8Array<ArrayBuffer> {
  toString(encoding?: 'utf8' | 'base64' | 'base64url'): string;
}

interface NodeBufferConstructor {
  from(data: string, encoding: 'utf8' | 'base64' | 'base64url'): NodeBufferInstance;
  from(data: ArrayBufferLike, byteOffset: number, length: number): NodeBufferInstance;
}

/** Feature detection, done once: a runtime either has `Buffer` or it does not. */
const NodeBuffer = (globalThis as unknown as { Buffer?: NodeBufferConstructor }).Buffer;

const textEncoder = new TextEncoder();
// Not fatal: invalid UTF-8 becomes U+FFFD, as `Buffer#toString('utf8')` does.
const textDecoder = new TextDecoder();

// ASCII whitespace, the set WHATWG's forgiving Base64 (and so `atob`) skips.
const WHITESPACE = /[\t\n\f\r ]/;
const WHITESPACE_ALL = /[\t\n\f\r ]+/g;
const STANDARD_ALPHABET = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_ALPHABET = /^[A-Za-z0-9_-]*={0,2}$/;

/** Large enough to be fast, small enough for `String.fromCharCode.apply`'s argument limit. */
const CHUNK = 0x8000;

/**
 * Bytes to a "binary string" (one char per byte, 0-255), the form `btoa` and node-forge take.
 *
 * @internal
 * @example
 * ```ts
 * bytesToBinaryString(new Uint8Array([104, 105])); // 'hi'
 * ```
 */
export function bytesToBinaryString(bytes: Uint8Array): string {
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let out = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return out;
}

/**
 * A "binary string" (one char per byte) back to bytes; the form `atob` and node-forge give.
 *
 * @internal
 * @example
 * ```ts
 * binaryStringToBytes('hi'); // Uint8Array [104, 105]
 * ```
 */
export function binaryStringToBytes(binary: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function invalid(field: string, rule: string): never {
  throw InvalidRequestError.field(field, rule);
}

/** Checks Base64 text (whitespace already removed) and returns it ready for `Buffer` or `atob`. */
function checkBase64(text: string, alphabet: RegExp, name: string, field: string): string {
  if (!alphabet.test(text))
    invalid(
      field,
      `is not valid ${name}: it contains characters outside the alphabet (or "=" before the end)`,
    );
  const padded = text.endsWith('=');
  // Padding is optional, but when present it must complete the last group of four.
  if (padded && text.length % 4 !== 0) invalid(field, `is not valid ${name}: its "=" padding is misplaced`);
  const dataLength = padded ? text.length - (text.endsWith('==') ? 2 : 1) : text.length;
  if (dataLength % 4 === 1) invalid(field, `is not valid ${name}: its length is impossible (cut short?)`);
  return text;
}

// The pure paths are separate functions, not methods of `pureEncoding`, so a bundle keeps only the ones
// it calls (an object literal is kept whole).
const pureBase64Encode = (bytes: Uint8Array): string => btoa(bytesToBinaryString(bytes));
/** `text` must already have passed {@link checkBase64} (standard alphabet, no whitespace). */
const pureBase64DecodeChecked = (text: string): Uint8Array<ArrayBuffer> => binaryStringToBytes(atob(text));
// Base64url is standard Base64 with two letters swapped and no padding: a few replaces around
// btoa/atob cost less bundle than any library's codec (issue 13's size budgets).
const pureBase64UrlEncode = (bytes: Uint8Array): string =>
  pureBase64Encode(bytes).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
/** `text` must already have passed {@link checkBase64} with the url alphabet (so no `+` or `/`). */
const pureBase64UrlDecodeChecked = (text: string): Uint8Array<ArrayBuffer> =>
  pureBase64DecodeChecked(text.replace(/-/g, '+').replace(/_/g, '/'));

/**
 * Pure implementations, used when the runtime has no `Buffer`. Exported so tests can prove they equal the
 * `Buffer` path on a runtime that has both.
 *
 * @internal
 * @example
 * ```ts
 * pureEncoding.base64Encode(new Uint8Array([1, 2, 3])); // 'AQID'
 * ```
 */
export const pureEncoding = {
  utf8Encode: (text: string): Uint8Array<ArrayBuffer> => textEncoder.encode(text),
  utf8Decode: (bytes: Uint8Array): string => textDecoder.decode(bytes),
  base64Encode: pureBase64Encode,
  base64DecodeChecked: pureBase64DecodeChecked,
  base64UrlEncode: pureBase64UrlEncode,
  base64UrlDecodeChecked: pureBase64UrlDecodeChecked,
};

/** A `Buffer` view over the same memory, so nothing is copied. */
function asBuffer(bytes: Uint8Array, B: NodeBufferConstructor): NodeBufferInstance {
  return B.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * UTF-8 bytes of a string. Lone surrogates become U+FFFD (EF BF BD), exactly as `Buffer.from(s, 'utf8')`
 * and `TextEncoder` both do.
 *
 * @example
 * ```ts
 * utf8Encode('บาท'); // Uint8Array(9) [0xe0, 0xb8, 0x9a, ...]
 * ```
 */
export function utf8Encode(text: string): Uint8Array<ArrayBuffer> {
  return NodeBuffer ? NodeBuffer.from(text, 'utf8') : textEncoder.encode(text);
}

/**
 * Text of UTF-8 bytes; invalid sequences become U+FFFD, as `Buffer#toString('utf8')` does.
 *
 * @example
 * ```ts
 * utf8Decode(new Uint8Array([0xe0, 0xb8, 0x9a])); // 'บ'
 * ```
 */
export function utf8Decode(bytes: Uint8Array): string {
  return NodeBuffer ? asBuffer(bytes, NodeBuffer).toString('utf8') : textDecoder.decode(bytes);
}

/**
 * Standard Base64 with `=` padding, the same text as `Buffer#toString('base64')`.
 *
 * @example
 * ```ts
 * base64Encode(new Uint8Array([0xfb, 0xff])); // '+/8='
 * ```
 */
export function base64Encode(bytes: Uint8Array): string {
  return NodeBuffer ? asBuffer(bytes, NodeBuffer).toString('base64') : pureBase64Encode(bytes);
}

/**
 * Bytes of standard Base64 text. ASCII whitespace (line breaks of PEM bodies) is skipped and padding is
 * optional; any other character outside the alphabet, misplaced padding or an impossible length throws
 * an {@link InvalidRequestError} naming `field`.
 *
 * @param field - the name the error gives the value (defaults to `base64`).
 * @example
 * ```ts
 * base64Decode('+/8=\n'); // Uint8Array [0xfb, 0xff]
 * base64Decode('ab$d'); // throws InvalidRequestError
 * ```
 */
export function base64Decode(text: string, field = 'base64'): Uint8Array<ArrayBuffer> {
  const compact = WHITESPACE.test(text) ? text.replace(WHITESPACE_ALL, '') : text;
  const checked = checkBase64(compact, STANDARD_ALPHABET, 'Base64', field);
  return NodeBuffer ? NodeBuffer.from(checked, 'base64') : pureBase64DecodeChecked(checked);
}

/**
 * Base64url without padding (RFC 4648 §5, as JWTs use it), the same text as
 * `Buffer#toString('base64url')`.
 *
 * @example
 * ```ts
 * base64UrlEncode(new Uint8Array([0xfb, 0xff])); // '-_8'
 * ```
 */
export function base64UrlEncode(bytes: Uint8Array): string {
  return NodeBuffer ? asBuffer(bytes, NodeBuffer).toString('base64url') : pureBase64UrlEncode(bytes);
}

/**
 * Base64url (no padding) of the UTF-8 bytes of a string; one step for JWT headers and payloads.
 *
 * @example
 * ```ts
 * base64UrlEncodeUtf8('{"alg":"HS256","typ":"JWT"}'); // 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9'
 * ```
 */
export function base64UrlEncodeUtf8(text: string): string {
  return NodeBuffer
    ? NodeBuffer.from(text, 'utf8').toString('base64url')
    : pureBase64UrlEncode(textEncoder.encode(text));
}

/**
 * Bytes of Base64url text. Padding is optional; whitespace, standard-alphabet `+` `/`, misplaced padding
 * or an impossible length throw an {@link InvalidRequestError} naming `field` (a JWT segment has none of
 * these, so seeing one means the token was altered).
 *
 * @param field - the name the error gives the value (defaults to `base64url`).
 * @example
 * ```ts
 * base64UrlDecode('-_8'); // Uint8Array [0xfb, 0xff]
 * ```
 */
export function base64UrlDecode(text: string, field = 'base64url'): Uint8Array<ArrayBuffer> {
  const checked = checkBase64(text, URL_ALPHABET, 'Base64url', field);
  return NodeBuffer ? NodeBuffer.from(checked, 'base64url') : pureBase64UrlDecodeChecked(checked);
}

/**
 * Text of Base64url-encoded UTF-8 (a JWT header or payload). Checked like {@link base64UrlDecode}; invalid
 * UTF-8 becomes U+FFFD.
 *
 * @example
 * ```ts
 * base64UrlDecodeUtf8('eyJhbGciOiJIUzI1NiJ9'); // '{"alg":"HS256"}'
 * ```
 */
export function base64UrlDecodeUtf8(text: string, field = 'base64url'): string {
  return utf8Decode(base64UrlDecode(text, field));
}

/**
 * {@link base64UrlDecodeUtf8} for text the caller has already checked: only `A-Z a-z 0-9 - _`, no padding,
 * and a length that is not 1 more than a multiple of 4 (what {@link base64UrlDecode} would refuse). A JWT
 * verifier checks that itself, so its bundle need not carry the general checks and their messages.
 *
 * @internal
 * @example
 * ```ts
 * base64UrlDecodeUtf8Checked('eyJhbGciOiJIUzI1NiJ9'); // '{"alg":"HS256"}'
 * ```
 */
export function base64UrlDecodeUtf8Checked(text: string): string {
  return utf8Decode(NodeBuffer ? NodeBuffer.from(text, 'base64url') : pureBase64UrlDecodeChecked(text));
}

/**
 * Compare two strings in time that depends only on their lengths, never on where they first differ, so
 * a signature check does not tell an attacker how many leading characters were right.
 *
 * The loop runs over the longer string and every code unit is compared, so a length mismatch is answered
 * after the same work as a content mismatch of that length.
 *
 * @example
 * ```ts
 * timingSafeEqualString(received, expected); // true only when identical
 * ```
 */
export function timingSafeEqualString(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    // Past the end charCodeAt gives NaN; `| 0` makes it 0 without a branch.
    diff |= (a.charCodeAt(i) | 0) ^ (b.charCodeAt(i) | 0);
  }
  return diff === 0;
}
