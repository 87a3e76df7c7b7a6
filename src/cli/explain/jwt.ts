/**
 * The JWT gateway's signature debugger. A JWT carries its payload in the clear, so the signed fields
 * can be read and compared with the parameters one by one; the API key is checked with HMAC, against
 * damaged copies of the key too. When only the HMAC part is given, the known mistakes are rebuilt and
 * each is signed until one reproduces it.
 */
import { createHmac } from 'node:crypto';
import { InvalidRequestError } from '../../core/errors';
import { jsonEqual } from '../../core/json';
import { JWT_HS256_HEADER, jwtGatewayPayload } from '../../jwt-gateway/signing';
import { keyVariants } from './key-variants';
import { conclude, listWords } from './report';
import type { Explanation, Finding } from './types';
import {
  amountSpellings,
  applyFieldOptions,
  candidateTexts,
  describeValue,
  encodingMistakes,
  findingOf,
  isNumericString,
  type KeyOrder,
  type Mistake,
  ORDER_SENTENCES,
  orderKeys,
  quote,
  type ValueEncoding,
  type VariantOptions,
} from './variants';

/** The header jsonwebtoken writes for an object payload, as text. */
const STANDARD_HEADER = '{"alg":"HS256","typ":"JWT"}';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Input of {@link explainJwtSignature}. */
export interface ExplainJwtInput {
  /**
   * The parameters as sent (a request) or received (a callback body). Their `signature` field is the
   * signature to explain unless `signature` is given; it is never part of what is compared.
   */
  params: Record<string, unknown>;
  /** The signature the gateway expected or produced: a whole JWT, or just its third (HMAC) part. */
  signature?: string;
  /** The API key. Without it the payload is still compared, but the HMAC cannot be checked. */
  apiKey?: string;
}

function hmac(key: string | Uint8Array, input: string): string {
  return createHmac('sha256', key).update(input).digest('base64url');
}

function decodeText(part: string): string {
  return Buffer.from(part, 'base64url').toString('utf8');
}

/** A JSON object's fields, or `undefined` for anything else (malformed JSON, arrays, strings). */
export function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function isIndexKey(key: string): boolean {
  return /^(0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295;
}

/** JavaScript objects list array-index keys first, ascending, whatever the insertion order. */
function jsObjectOrder(keys: readonly string[]): string[] {
  const indexes = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((key) => !isIndexKey(key))];
}

function escapeForeign(text: string, slashes: boolean): string {
  const escaped = text.replace(
    /[\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return slashes ? escaped.replace(/\//g, '\\/') : escaped;
}

/**
 * The payload a signer with the mistakes in `options` would have signed. With no options it equals
 * the gateway's payload (`jwtGatewayPayload`).
 *
 * @example
 * ```ts
 * jwtPayloadVariant({ b: 1, a: '1' }, { override: { a: 1 } }); // '{"a":1,"b":1}'
 * ```
 */
export function jwtPayloadVariant(
  params: Record<string, unknown>,
  options: VariantOptions,
): string | undefined {
  const entries = applyFieldOptions(params, options);
  if (!entries) return undefined;
  const values = new Map(entries);
  let keys = orderKeys([...values.keys()], options.order ?? 'code-unit');
  // Python dicts and PHP arrays keep insertion order for every key; JavaScript objects do not.
  if (!options.style) keys = jsObjectOrder(keys);
  const [colon, comma] = options.style === 'python' ? [': ', ', '] : [':', ','];
  const members: string[] = [];
  for (const key of keys) {
    const token = options.rawTokens?.[key] ?? JSON.stringify(values.get(key));
    if (token !== undefined) members.push(`${JSON.stringify(key)}${colon}${token}`);
  }
  const text = `{${members.join(comma)}}`;
  if (options.style === 'python') return escapeForeign(text, false);
  if (options.style === 'php') return escapeForeign(text, true);
  return text;
}

const ENCODING_MISTAKES: Array<{ encoding: ValueEncoding; code: Mistake['code']; sentence: string }> = [
  {
    encoding: 'uri',
    code: 'url-encoded',
    sentence:
      'the values were URL-encoded (encodeURIComponent) before signing but sent plain; sign the plain values.',
  },
  {
    encoding: 'form',
    code: 'form-encoded',
    sentence:
      'the values were form-encoded (spaces as "+") before signing but sent plain; sign the plain values.',
  },
  {
    encoding: 'uri-decode',
    code: 'url-decoded',
    sentence:
      'the values were sent URL-encoded but signed decoded; send the same text you sign (JSON, not a form).',
  },
  {
    encoding: 'form-decode',
    code: 'url-decoded',
    sentence:
      'the values were sent form-encoded ("+" for spaces) but signed decoded; send the same text you sign.',
  },
  {
    encoding: 'trim',
    code: 'value-whitespace',
    sentence: 'the values were trimmed before signing but sent with their surrounding whitespace.',
  },
];

/** Every known mistake for these parameters, most common first. */
function jwtMistakes(sent: Record<string, unknown>, ownSignature: unknown): Mistake[] {
  const mistakes: Mistake[] = [];
  for (const [key, value] of Object.entries(sent)) {
    if (typeof value === 'number') {
      mistakes.push({
        code: 'string-sent-as-number',
        field: key,
        sentence: `the ${key} was signed as the string "${value}" but sent as the number ${value}.`,
        options: { override: { [key]: String(value) } },
      });
    }
    if (isNumericString(value) && Number.isFinite(Number(value))) {
      mistakes.push({
        code: 'number-sent-as-string',
        field: key,
        sentence: `the ${key} was signed as the number ${Number(value)} but sent as the string ${quote(value)}.`,
        options: { override: { [key]: Number(value) } },
      });
    }
    for (const spelling of amountSpellings(value)) {
      mistakes.push(
        typeof value === 'number'
          ? {
              code: 'amount-format',
              field: key,
              sentence: `the ${key} was signed as ${spelling} (the number written with decimals) but sent as ${value}.`,
              options: { rawTokens: { [key]: spelling } },
            }
          : {
              code: 'amount-format',
              field: key,
              sentence: `the ${key} was signed as "${spelling}" but sent as ${quote(String(value))}.`,
              options: { override: { [key]: spelling } },
            },
      );
    }
    mistakes.push(
      value === ''
        ? {
            code: 'empty-field-omitted',
            field: key,
            sentence: `the empty field ${key} was sent but left out of the signature: unlike THB collect, the JWT gateway signs empty strings too.`,
            options: { omit: [key] },
          }
        : {
            code: 'field-added',
            field: key,
            sentence: `the field ${key} was sent but not signed (it was added after signing).`,
            options: { omit: [key] },
          },
    );
  }
  const placeholders: unknown[] = ['', null];
  if (typeof ownSignature === 'string' && ownSignature !== '') placeholders.push(ownSignature);
  for (const placeholder of placeholders) {
    mistakes.push({
      code: 'signature-field-signed',
      field: 'signature',
      sentence: `the signature field itself was signed (${describeValue(placeholder)} was in the parameters); sign the parameters without it.`,
      options: { override: { signature: placeholder } },
    });
  }
  for (const order of ['insertion', 'locale', 'case-insensitive'] as const) {
    mistakes.push({ ...ORDER_SENTENCES[order], options: { order } });
  }
  mistakes.push(...encodingMistakes(sent, ENCODING_MISTAKES));
  mistakes.push(
    {
      code: 'json-spacing',
      sentence:
        'the payload was written by another JSON writer (Python json.dumps: spaces after ":" and ",", non-ASCII escaped); the gateway signs the compact JSON.stringify form.',
      options: { style: 'python' },
    },
    {
      code: 'json-escaping',
      sentence:
        'the payload was written with PHP json_encode defaults ("/" as "\\/", non-ASCII as \\u escapes); use JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE.',
      options: { style: 'php' },
    },
  );
  return mistakes;
}

const TIME_FIELD = /^(timestamp|time|ts|iat)$|time|stamp|_at$|At$/i;

function asSeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\d{9,11}$/.test(value)) return Number(value);
  return undefined;
}

function isoSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

function safeDecode(text: string, form: boolean): string | undefined {
  try {
    return decodeURIComponent(form ? text.replace(/\+/g, ' ') : text);
  } catch {
    return undefined;
  }
}

/** Why one field's signed value differs from its sent value. */
function valueFinding(key: string, signed: unknown, sent: unknown): Finding {
  const finding = (code: Finding['code'], sentence: string): Finding => ({ code, sentence, field: key });
  if (typeof signed === 'number' && isNumericString(sent) && Number(sent) === signed) {
    return finding(
      'number-sent-as-string',
      `the ${key} was signed as the number ${signed} but sent as the string ${quote(sent)}.`,
    );
  }
  if (typeof sent === 'number' && isNumericString(signed) && Number(signed) === sent) {
    return finding(
      'string-sent-as-number',
      `the ${key} was signed as the string ${quote(signed)} but sent as the number ${sent}.`,
    );
  }
  const signedSeconds = asSeconds(signed);
  const sentSeconds = asSeconds(sent);
  if (TIME_FIELD.test(key) && signedSeconds !== undefined && sentSeconds !== undefined) {
    const delta = sentSeconds - signedSeconds;
    const when = delta === 0 ? 'the same second' : `${Math.abs(delta)} s ${delta > 0 ? 'later' : 'earlier'}`;
    return finding(
      'timestamp',
      `the ${key} differs: the signature was made with ${JSON.stringify(signed)} (${isoSeconds(signedSeconds)}) but ${JSON.stringify(sent)} (${isoSeconds(sentSeconds)}, ${when}) was sent; set the ${key} before signing, and sign again on every retry.`,
    );
  }
  if (isNumericString(signed) && isNumericString(sent) && Number(signed) === Number(sent)) {
    return finding('amount-format', `the ${key} was signed as ${quote(signed)} but sent as ${quote(sent)}.`);
  }
  if (typeof signed === 'string' && typeof sent === 'string') {
    if (safeDecode(signed, false) === sent) {
      return finding(
        'url-encoded',
        `the ${key} was URL-encoded before signing (${quote(signed)}) but sent plain; sign the plain value.`,
      );
    }
    if (safeDecode(signed, true) === sent) {
      return finding(
        'form-encoded',
        `the ${key} was form-encoded before signing (${quote(signed)}) but sent plain; sign the plain value.`,
      );
    }
    if (safeDecode(sent, false) === signed || safeDecode(sent, true) === signed) {
      return finding(
        'url-decoded',
        `the ${key} was sent URL-encoded (${quote(sent)}) but signed decoded (${quote(signed)}).`,
      );
    }
    if (signed.trim() === sent.trim()) {
      return finding(
        'value-whitespace',
        `the ${key} differs only in surrounding whitespace: signed ${quote(signed)}, sent ${quote(sent)}.`,
      );
    }
  }
  return finding(
    'value-differs',
    `the ${key} differs: signed ${describeValue(signed)}, sent ${describeValue(sent)}.`,
  );
}

/** Field-by-field differences between the decoded payload and the parameters. */
function diffFields(signed: Record<string, unknown>, sent: Record<string, unknown>): Finding[] {
  const findings: Finding[] = [];
  const keys = [...new Set([...Object.keys(signed), ...Object.keys(sent)])].sort();
  for (const key of keys) {
    const inSigned = Object.hasOwn(signed, key);
    const inSent = Object.hasOwn(sent, key);
    if (inSigned && !inSent) {
      if (key === 'signature') {
        findings.push({
          code: 'signature-field-signed',
          field: key,
          sentence: `the signature field itself was signed (${describeValue(signed[key])} was in the parameters); sign the parameters without it.`,
        });
      } else if (key === 'iat') {
        findings.push({
          code: 'iat-added',
          field: key,
          sentence:
            'the signer added an "iat" claim (jsonwebtoken.sign without noTimestamp: true); the gateway signs without it.',
        });
      } else {
        findings.push({
          code: 'field-missing',
          field: key,
          sentence:
            signed[key] === ''
              ? `the empty field ${key} was signed but not sent: the JWT gateway signs empty strings, so send it as "" too.`
              : `the field ${key} was signed (as ${describeValue(signed[key])}) but not sent.`,
        });
      }
    } else if (!inSigned && inSent) {
      findings.push(
        sent[key] === ''
          ? {
              code: 'empty-field-omitted',
              field: key,
              sentence: `the empty field ${key} was sent but left out of the signature: unlike THB collect, the JWT gateway signs empty strings too.`,
            }
          : {
              code: 'field-added',
              field: key,
              sentence: `the field ${key} was sent but not signed (it was added after signing).`,
            },
      );
    } else if (!jsonEqual(signed[key], sent[key])) {
      findings.push(valueFinding(key, signed[key], sent[key]));
    }
  }
  return findings;
}

/** Same fields and values, different bytes: how the payload was written differs. */
function serialisationFinding(
  payloadText: string,
  signed: Record<string, unknown>,
  sent: Record<string, unknown>,
): Finding {
  const signedOrder = Object.keys(signed);
  const sortedOrder = jsObjectOrder(Object.keys(sent).sort());
  if (signedOrder.join('\u0000') !== sortedOrder.join('\u0000')) {
    for (const order of ['insertion', 'locale', 'case-insensitive'] as const satisfies KeyOrder[]) {
      if (jsObjectOrder(orderKeys(Object.keys(sent), order)).join('\u0000') === signedOrder.join('\u0000')) {
        return { ...ORDER_SENTENCES[order] };
      }
    }
    return {
      code: 'key-order-unsorted',
      sentence: `the fields were signed in the order ${listWords(signedOrder)}, not sorted by key (${listWords(sortedOrder)}).`,
    };
  }
  if (/\\u[0-9a-fA-F]{4}|\\\//.test(payloadText)) {
    return {
      code: 'json-escaping',
      sentence:
        'the payload escapes characters JSON.stringify writes as they are ("\\/" or \\u escapes); sign the compact JSON.stringify form.',
    };
  }
  return {
    code: 'serialization-differs',
    sentence:
      'the payload holds the same fields and values but was written differently (spacing or number format); sign the compact JSON.stringify form shown below.',
  };
}

/** Where the key check ended. */
type KeyCheck = { state: 'ok' } | { state: 'unchecked' } | { state: 'found'; finding: Finding };

function checkKey(apiKey: string | undefined, signingInput: string, macPart: string): KeyCheck {
  if (apiKey === undefined || apiKey === '') return { state: 'unchecked' };
  if (hmac(apiKey, signingInput) === macPart) return { state: 'ok' };
  for (const variant of keyVariants(apiKey, 'API key', true)) {
    if (hmac(variant.key, signingInput) === macPart) {
      return { state: 'found', finding: { code: 'key-whitespace', sentence: variant.sentence } };
    }
  }
  return {
    state: 'found',
    finding: {
      code: 'wrong-key',
      sentence:
        "the signature was not made with this API key, nor with a damaged copy of it (a test key for a production one, another merchant's key, or a mistyped key).",
    },
  };
}

function readSignature(input: ExplainJwtInput): { signature: string; sent: Record<string, unknown> } {
  const { signature: own, ...sent } = input.params;
  const given = input.signature ?? own;
  if (typeof given !== 'string' || given.trim() === '') {
    throw InvalidRequestError.field(
      'signature',
      'give the signature to explain, or parameters that hold it in their signature field',
    );
  }
  return { signature: given.trim(), sent };
}

/**
 * Explain why a JWT gateway signature does not match the parameters: the most likely mistake, found by
 * decoding the signed payload and comparing it field by field (a number sent as a string, a field
 * added, missing or empty, a different timestamp, key order, URL encoding, amount format...), and by
 * checking the HMAC with the API key and its damaged copies.
 *
 * @throws {InvalidRequestError} when there is no signature, or the parameters cannot be signed at all.
 * @example
 * ```ts
 * const explanation = await explainJwtSignature({
 *   params: { amount: '1000', timestamp: 1640995200 },
 *   signature: providerSignature,
 *   apiKey: process.env.GATEWAY_API_KEY,
 * });
 * explanation.summary; // 'Most likely: the amount was signed as the number 1000 but sent as the string "1000".'
 * ```
 */
export async function explainJwtSignature(input: ExplainJwtInput): Promise<Explanation> {
  const { signature, sent } = readSignature(input);
  const expected = jwtGatewayPayload(sent);
  const parts = signature.split('.');
  if (parts.length === 1 && BASE64URL.test(signature) && Buffer.from(signature, 'base64url').length === 32) {
    return explainMacOnly(input, signature, sent, expected);
  }
  const notes: string[] = [];
  // Only callbacks carry these; a callback is checked by other rules than a request.
  if (Object.hasOwn(sent, 'order_no') && Object.hasOwn(sent, 'status')) {
    notes.push(
      'These look like a callback you received (order_no and status): run thaipay explain jwt --callback to check them as verifyJwtGatewayCallback does (iat, exp and nbf allowed, body fields outside the token set apart).',
    );
  }
  const details: string[] = [`Payload of these parameters (what the gateway signs): ${expected}`];
  const notAJwt = (sentence: string): Explanation =>
    conclude({
      findings: [{ code: 'not-a-jwt', sentence }],
      notes,
      details,
      correct: false,
      correctSummary: '',
      noCauseSummary: '',
    });
  if (parts.length !== 3 || parts.some((part) => !BASE64URL.test(part))) {
    return notAJwt(
      `the signature is not a JWT: it should be three Base64URL parts separated by dots, and it has ${parts.length} part${parts.length === 1 ? '' : 's'}${/[%+/= ]/.test(signature) ? ' with characters Base64URL never uses (was it URL-encoded or copied with spaces?)' : ''}.`,
    );
  }
  const [headerPart, payloadPart, macPart] = parts as [string, string, string];
  const headerText = decodeText(headerPart);
  const header = parseObject(headerText);
  if (!header) return notAJwt('the signature is not a JWT: its header does not decode to a JSON object.');
  if (header.alg !== 'HS256') {
    return conclude({
      findings: [
        {
          code: 'algorithm',
          sentence: `the signature uses the algorithm ${JSON.stringify(header.alg)}; the gateway signs and checks HS256 only.`,
        },
      ],
      notes,
      details,
      correct: false,
      correctSummary: '',
      noCauseSummary: '',
    });
  }
  const payloadText = decodeText(payloadPart);
  const signed = parseObject(payloadText);
  if (!signed) return notAJwt('the signature is not a JWT: its payload does not decode to a JSON object.');
  details.unshift(`Signed payload (decoded from the signature): ${payloadText}`);

  const findings: Finding[] = [];
  let summary: string | undefined;
  if (payloadText !== expected) {
    const match = candidateTexts(jwtMistakes(sent, input.params.signature), (options) =>
      jwtPayloadVariant(sent, options),
    ).get(payloadText);
    if (match) {
      findings.push(findingOf(match));
    } else {
      const fieldFindings = diffFields(signed, sent);
      if (fieldFindings.length === 0) findings.push(serialisationFinding(payloadText, signed, sent));
      findings.push(...fieldFindings);
      if (fieldFindings.length > 1) {
        summary = `Most likely: ${fieldFindings.length} fields differ between what was signed and what was sent: ${listWords(fieldFindings.map((f) => f.field!))}.`;
      }
    }
  }
  const key = checkKey(input.apiKey, `${headerPart}.${payloadPart}`, macPart);
  if (key.state === 'found') findings.push(key.finding);
  if (key.state === 'unchecked') {
    notes.push(
      'No API key was given, so the HMAC was not checked: pass --key (or set GATEWAY_API_KEY) to check it too.',
    );
  }
  if (headerText !== STANDARD_HEADER) {
    findings.push({
      code: 'header-differs',
      sentence: `the JWT header is ${headerText}, not jsonwebtoken's ${STANDARD_HEADER}: the token is not byte-identical to the one the gateway makes, so a gateway that signs again and compares refuses it.`,
    });
  }
  return conclude({
    findings,
    notes,
    details,
    correct: key.state === 'ok',
    correctSummary:
      'The signature is correct: an HS256 JWT made with this API key over exactly these parameters (sorted, signature left out).',
    noCauseSummary:
      'The signed payload matches these parameters exactly; without the API key the HMAC cannot be checked (pass --key or set GATEWAY_API_KEY).',
    ...(summary === undefined ? {} : { summary }),
  });
}

/** Only the HMAC part was given: sign each known mistake until one reproduces it. */
function explainMacOnly(
  input: ExplainJwtInput,
  macPart: string,
  sent: Record<string, unknown>,
  expected: string,
): Explanation {
  const apiKey = input.apiKey;
  if (apiKey === undefined || apiKey === '') {
    throw InvalidRequestError.field(
      'apiKey',
      'is needed to explain a signature given without its header and payload (only the HMAC part)',
    );
  }
  const details = [`Payload of these parameters (what the gateway signs): ${expected}`];
  const notes = ['Only the HMAC part of the JWT was given, so the signed payload could not be read.'];
  const macOf = (key: string | Uint8Array, payload: string): string =>
    hmac(key, `${JWT_HS256_HEADER}.${Buffer.from(payload).toString('base64url')}`);
  let correct = macOf(apiKey, expected) === macPart;
  const findings: Finding[] = [];
  if (!correct) {
    for (const variant of keyVariants(apiKey, 'API key', true)) {
      if (macOf(variant.key, expected) === macPart) {
        findings.push({ code: 'key-whitespace', sentence: variant.sentence });
        break;
      }
    }
  }
  if (!correct && findings.length === 0) {
    for (const [text, mistake] of candidateTexts(jwtMistakes(sent, input.params.signature), (options) =>
      jwtPayloadVariant(sent, options),
    )) {
      if (macOf(apiKey, text) === macPart) {
        findings.push(findingOf(mistake));
        details.unshift(`Payload that reproduces the signature: ${text}`);
        break;
      }
    }
  }
  correct &&= findings.length === 0;
  return conclude({
    findings,
    notes,
    details,
    correct,
    correctSummary:
      'The signature is correct: the HS256 HMAC of these parameters (sorted, signature left out) with this API key.',
    noCauseSummary:
      'No known mistake reproduces this signature. From the HMAC part alone nothing more can be read: give the whole JWT (header.payload.signature) to see which fields were signed, or check the API key.',
  });
}
