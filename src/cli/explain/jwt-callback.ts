/**
 * The JWT gateway's callback debugger. A received callback is judged by the SDK's own
 * `verifyJwtGatewayCallback`, never by rules repeated here: the verdict is the verifier's, and its refusal
 * is turned into the cause a person can act on (a wrong or damaged key, a token changed after signing, a
 * body field that differs from the signed one, unsigned ids, status or amount, an expired `exp`, a future
 * `nbf`, no signed timestamp, a timestamp outside the window). Where one refusal hides others of the same
 * kind (several differing fields), the verifier is asked again without the field it named.
 */
import { createHmac } from 'node:crypto';
import { InvalidRequestError, WebhookVerificationError } from '../../core/errors';
import { redactSecrets } from '../../core/redact';
import { jwtGatewayPayload } from '../../jwt-gateway/signing';
import { verifyJwtGatewayCallback } from '../../jwt-gateway/webhooks';
import type { JwtCallbackCheckOptions } from '../callback-options';
import { parseObject } from './jwt';
import { keyVariants } from './key-variants';
import { conclude, listWords } from './report';
import type { Explanation, Finding } from './types';

import { describeValue } from './variants';

/** Input of {@link explainJwtCallback}. */
export interface ExplainJwtCallbackInput {
  /** The callback body as received (raw text, best), or its parsed fields. */
  body: string | Record<string, unknown>;
  /** The token to check instead of the body's `signature` field. */
  signature?: string;
  /** The API key the callback should be signed with. */
  apiKey: string;
  /** The verifier's options, passed on unchanged (`toleranceSeconds`, `requireTimestamp`, `now`, ...). */
  options?: JwtCallbackCheckOptions;
}

/** The most fields of one body named as differing; a body is a few fields. */
const MAX_FIELD_PROBES = 32;

function hmac(key: string | Uint8Array, input: string): string {
  return createHmac('sha256', key).update(input).digest('base64url');
}

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  return part === undefined ? undefined : parseObject(Buffer.from(part, 'base64url').toString('utf8'));
}

function iso(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

async function refusalOf(
  body: string,
  apiKey: string,
  options: JwtCallbackCheckOptions,
): Promise<WebhookVerificationError | undefined> {
  try {
    await verifyJwtGatewayCallback(body, { ...options, apiKey });
    return undefined;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error;
    throw error;
  }
}

const FIELD_DIFFERS = /^Callback field "(.+)" differs from the signed value\./;

/** Why the MAC does not match: a damaged copy of the key, a payload edited after signing, or another key. */
function macFinding(apiKey: string, token: string, fields: Record<string, unknown> | undefined): Finding {
  const [headerPart = '', payloadPart = '', macPart = ''] = token.split('.');
  for (const variant of keyVariants(apiKey, 'API key', true)) {
    if (hmac(variant.key, `${headerPart}.${payloadPart}`) === macPart) {
      return { code: 'key-whitespace', sentence: variant.sentence };
    }
  }
  if (fields) {
    const { signature: _s, ...rest } = fields;
    try {
      const original = Buffer.from(jwtGatewayPayload(rest)).toString('base64url');
      if (original !== payloadPart && hmac(apiKey, `${headerPart}.${original}`) === macPart) {
        return {
          code: 'token-altered',
          sentence:
            "the token's payload was changed after signing: its MAC is the one of the body's own fields, but the payload now reads otherwise (a token edited by hand, e.g. on jwt.io, is refused).",
        };
      }
    } catch {
      // Fields the gateway could not have signed (a non-numeric iat): not this cause.
    }
  }
  return {
    code: 'wrong-key',
    sentence:
      "the token was not made with this API key, nor with a damaged copy of it: another key signed it (a test key for a production one, another merchant's), or its header or payload was changed after signing.",
  };
}

function bodyFieldFinding(key: string, signed: unknown, sent: unknown): Finding {
  const sameNumber =
    typeof signed !== typeof sent &&
    (typeof signed === 'number' || typeof sent === 'number') &&
    Number(signed) === Number(sent);
  const how = sameNumber
    ? `the same number, but ${typeof sent === 'number' ? 'a number' : 'a string'} in the body and ${typeof signed === 'number' ? 'a number' : 'a string'} in the token: the body was re-written on its way (pass the raw body, not one your framework parsed and serialised again)`
    : 'a field both carry must be equal, so the body was changed after the gateway signed it';
  return {
    code: 'body-field-differs',
    field: key,
    sentence: `the body's ${key} (${describeValue(sent)}) differs from the ${key} the token signs (${describeValue(signed)}): ${how}.`,
  };
}

/** The verifier's refusal as the cause a person can act on; the verifier's own words otherwise. */
function classify(
  message: string,
  context: {
    apiKey: string;
    token: string;
    fields: Record<string, unknown> | undefined;
    payload: Record<string, unknown> | undefined;
    now: Date;
  },
): Finding {
  const { fields, payload, now } = context;
  if (/not a compact JWT|is not a JWT|has no signature field/.test(message)) {
    return {
      code: 'not-a-jwt',
      sentence:
        'the signature is not a JWT (three Base64URL parts, header and payload JSON objects): it was cut, URL-encoded or copied with spaces.',
    };
  }
  const algorithm = /uses algorithm (.+); only HS256/.exec(message);
  if (algorithm) {
    return {
      code: 'algorithm',
      sentence: `the token uses the algorithm ${algorithm[1]}; callbacks are HS256 only.`,
    };
  }
  if (/critical header extensions|unexpected "typ" header/.test(message)) {
    return {
      code: 'header-differs',
      sentence:
        'the token\'s header asks for something the gateway never sends (a "crit" list, or a "typ" other than "JWT").',
    };
  }
  if (/was not made with the API key/.test(message)) return macFinding(context.apiKey, context.token, fields);
  const field = FIELD_DIFFERS.exec(message);
  if (field && fields && payload && Object.hasOwn(payload, field[1]!)) {
    return bodyFieldFinding(field[1]!, payload[field[1]!], fields[field[1]!]);
  }
  const unsigned = /^Callback token does not sign "(.+)";/.exec(message);
  if (unsigned) {
    const name = unsigned[1]!;
    const where = fields && Object.hasOwn(fields, name) ? ' (the body carries it, outside the token)' : '';
    return {
      code: 'unsigned-required',
      field: name,
      sentence: `the token does not sign ${name}${where}: the order ids, status and amount must be inside the signed token, or anyone on the path could change them.`,
    };
  }
  const claim = /claim "(iat|exp|nbf)" must be a number/.exec(message);
  if (claim) {
    return {
      code: 'claim-invalid',
      field: claim[1]!,
      sentence: `the token's ${claim[1]} is not a number of seconds (RFC 7519 NumericDate), as jsonwebtoken writes it.`,
    };
  }
  const expired = /expired at (\S+) \(exp\)/.exec(message);
  if (expired) {
    const at = new Date(expired[1]!);
    const gap = Math.round((now.getTime() - at.getTime()) / 1000);
    return {
      code: 'token-expired',
      field: 'exp',
      sentence: `the token expired at ${iso(at)} (its signed exp), ${gap} s before the time it was checked (${iso(now)}): check a saved callback at the time it arrived (--now), or allow clock skew (--tolerance).`,
    };
  }
  const early = /not valid before (\S+) \(nbf\)/.exec(message);
  if (early) {
    const at = new Date(early[1]!);
    const gap = Math.round((at.getTime() - now.getTime()) / 1000);
    return {
      code: 'token-not-yet-valid',
      field: 'nbf',
      sentence: `the token is not valid before ${iso(at)} (its signed nbf), ${gap} s after the time it was checked (${iso(now)}): the signer's clock is ahead, or --now is too early; allow clock skew with --tolerance.`,
    };
  }
  if (/signs neither a timestamp/.test(message)) {
    const bodyOnly =
      fields && Object.hasOwn(fields, 'timestamp')
        ? " (the body's timestamp is outside the token, so it does not count)"
        : '';
    return {
      code: 'no-signed-timestamp',
      sentence: `the token signs neither a timestamp nor iat${bodyOnly}, so its age cannot be told: the signer should sign one; to accept untimed callbacks pass --no-require-timestamp (requireTimestamp: false), and then only the dedupe store stops a replay.`,
    };
  }
  const window = /^Callback (timestamp|iat) is (\d+) s away from now, outside the (\d+) s window/.exec(
    message,
  );
  if (window) {
    return {
      code: 'timestamp-outside-window',
      field: window[1]!,
      sentence: `the signed ${window[1]} is ${window[2]} s away from the time it was checked (${iso(now)}), outside the ${window[3]} s window (--tolerance): check a saved callback at the time it arrived (--now), or widen the window.`,
    };
  }
  const value = /^Callback field "(.+)" (must be a non-empty string|is not an amount)/.exec(message);
  if (value) {
    return {
      code: 'signed-value-invalid',
      field: value[1]!,
      sentence: `the signed ${value[1]} cannot be read: it ${value[2]}, so the callback says nothing usable.`,
    };
  }
  return {
    code: 'callback-refused',
    sentence: `${message.charAt(0).toLowerCase()}${message.slice(1).replace(/([^.])$/, '$1.')}`,
  };
}

/**
 * Explain why a received JWT gateway callback is refused, or say it verifies: the verdict is
 * `verifyJwtGatewayCallback`'s with the same options, and its refusal is named in one sentence (a wrong or
 * whitespace-damaged key, a payload edited after signing, a body field that differs from the signed one,
 * unsigned order ids, status or amount, an expired `exp`, a future `nbf`, no signed timestamp, a
 * timestamp outside `toleranceSeconds`). Body fields outside the token are noted, never blamed: the
 * verifier sets them apart in `callback.unsigned`.
 *
 * @throws {InvalidRequestError} without an API key or a signature, or when an option is out of range.
 * @example
 * ```ts
 * const explanation = await explainJwtCallback({
 *   body: await readFile('callback.json', 'utf8'),
 *   apiKey: process.env.GATEWAY_API_KEY!,
 *   options: { now: new Date('2022-01-01T00:03:00Z') },
 * });
 * explanation.summary; // 'Most likely: the token expired at 2022-01-01T00:02:00Z (its signed exp), ...'
 * ```
 */
export async function explainJwtCallback(input: ExplainJwtCallbackInput): Promise<Explanation> {
  const explanation = await explain(input);
  // A body or payload may echo the key: the answer never repeats it (the CLI's guard is the last line).
  const scrub = (text: string): string => redactSecrets(text, [input.apiKey]);
  return {
    ...explanation,
    summary: scrub(explanation.summary),
    findings: explanation.findings.map((f) => ({ ...f, sentence: scrub(f.sentence) })),
    notes: explanation.notes.map(scrub),
    details: explanation.details.map(scrub),
  };
}

async function explain(input: ExplainJwtCallbackInput): Promise<Explanation> {
  if (typeof input.apiKey !== 'string' || input.apiKey === '') {
    throw InvalidRequestError.field(
      'apiKey',
      'is needed to check a callback (pass --key or set GATEWAY_API_KEY)',
    );
  }
  const options = input.options ?? {};
  const fields = typeof input.body === 'string' ? parseObject(input.body) : input.body;
  let body: string;
  if (input.signature !== undefined) {
    if (!fields) throw InvalidRequestError.field('body', 'must be a JSON object of fields');
    body = JSON.stringify({ ...fields, signature: input.signature.trim() });
  } else {
    body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
  }
  const received = input.signature === undefined ? fields : { ...fields, signature: input.signature.trim() };
  const token = received?.signature;
  if (typeof token !== 'string' || token.trim() === '') {
    throw InvalidRequestError.field(
      'signature',
      'give the token to explain, or a body that holds it in its signature field',
    );
  }
  const payload = decodePart(token.split('.')[1]);
  const details: string[] = [];
  if (payload) details.push(`Signed payload (decoded from the token): ${JSON.stringify(payload)}`);
  const notes: string[] = [];

  let refusal: WebhookVerificationError | undefined;
  let unsigned: string[] = [];
  try {
    const callback = await verifyJwtGatewayCallback(body, { ...options, apiKey: input.apiKey });
    unsigned = Object.keys(callback.unsigned);
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    refusal = error;
  }
  if (refusal === undefined) {
    if (unsigned.length > 0) {
      notes.push(
        `Body fields the token does not sign, set apart in callback.unsigned (they decide nothing, and are not a cause): ${listWords(unsigned)}.`,
      );
    }
    return conclude({
      findings: [],
      notes,
      details,
      correct: true,
      correctSummary:
        'The callback verifies: an HS256 token made with this API key that signs the order ids, status and amount, agrees with every body field it shares, and is in time.',
      noCauseSummary: '',
    });
  }

  details.push(`Refused by verifyJwtGatewayCallback: ${refusal.message}`);
  const now = options.now === undefined ? new Date() : new Date(options.now);
  const context = { apiKey: input.apiKey, token: token.trim(), fields: received, payload, now };
  const findings = [classify(refusal.message, context)];
  let summary: string | undefined;
  // Several body fields may differ; the verifier names one at a time, so ask it again without each.
  if (findings[0]!.code === 'body-field-differs' && received && payload) {
    const rest: Record<string, unknown> = { ...received };
    for (let probe = 0; probe < MAX_FIELD_PROBES; probe++) {
      delete rest[findings.at(-1)!.field!];
      const next = await refusalOf(JSON.stringify(rest), input.apiKey, options);
      const field = next && FIELD_DIFFERS.exec(next.message)?.[1];
      if (!field || !Object.hasOwn(payload, field) || !Object.hasOwn(rest, field)) break;
      findings.push(bodyFieldFinding(field, payload[field], rest[field]));
    }
    if (findings.length > 1) {
      summary = `Most likely: ${findings.length} body fields differ from the signed ones: ${listWords(findings.map((f) => f.field!))}; a field both carry must be equal, so the body was changed after the gateway signed it.`;
    }
  }
  return conclude({
    findings,
    notes,
    details,
    correct: false,
    correctSummary: '',
    noCauseSummary: '',
    ...(summary === undefined ? {} : { summary }),
  });
}
