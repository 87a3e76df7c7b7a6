/**
 * The gateway's answers read as data or as errors: either envelope style of the document (`status:
 * "success"` or `code: 200`), each error mapped to its class and `code` by the document's error table, and
 * `data` checked against its schema. Errors carry the answer scrubbed of the API key (a gateway may echo
 * the key it refused).
 */
import type * as z from 'zod/mini';
import {
  ApiError,
  AuthenticationError,
  DuplicateOrderError,
  PermissionError,
  SignatureError,
  type ThaiPayError,
} from '../core/errors';
import { redactDeep } from '../core/redact';
import type { TransportResponse } from '../core/transport';
import { toFieldIssues } from '../core/validation';

/**
 * The checked `data` of a successful answer; any other answer thrown as its error class.
 *
 * @throws ApiError `invalid_response` when the body is not an envelope or `data` lacks the documented shape;
 *   the class of the document's error table otherwise.
 */
export function gatewayData<T>(response: TransportResponse, schema: z.ZodMiniType<T>, apiKey: string): T {
  const envelope = response.body;
  const scrubbed = <V>(value: V): V => redactDeep(value, [apiKey]);
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) {
    // A 429 or 5xx is that condition whatever its body says, as THB collect's client reads it.
    if (response.status === 429 || response.status >= 500)
      throw gatewayError(response.status, { body: scrubbed(envelope) });
    throw new ApiError(`The gateway answered HTTP ${response.status} with a body that is not an envelope.`, {
      code: 'invalid_response',
      status: response.status,
      raw: scrubbed(envelope),
    });
  }
  const env = envelope as Record<string, unknown>;
  const ok =
    response.status >= 200 &&
    response.status < 300 &&
    (env.status === 'success' || env.code === 200 || env.code === '200');
  if (!ok) throw gatewayError(response.status, scrubbed(env));
  // Scrubbed before anything reads it, so no result field or `raw` can carry the key.
  const data = scrubbed(env.data);
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    // With the data, a present value of the wrong type reads "must be a number", not "is required".
    const issues = toFieldIssues(parsed.error.issues, 'data', data)
      .map((i) => `${i.field} ${i.rule}`)
      .join('; ');
    throw new ApiError(`The gateway's answer does not have the documented shape: ${issues}.`, {
      code: 'invalid_response',
      status: response.status,
      raw: scrubbed(env),
    });
  }
  return parsed.data;
}

/** Map an error answer (either envelope style) to its class, by the document's error table. */
export function gatewayError(httpStatus: number, envelope: Record<string, unknown>): ThaiPayError {
  // The envelope's code as a number (the document writes 200 and "200" alike); none or 0: the HTTP status.
  const code = Number(envelope.code) || httpStatus;
  const status = httpStatus >= 400 ? httpStatus : code;
  const message =
    typeof envelope.message === 'string' && envelope.message ? envelope.message : `HTTP ${status}`;
  const options = { status, raw: envelope };
  if (/invalid signature/i.test(message)) {
    return new SignatureError(
      `The gateway refused the request signature: ${message}. Check the API key and that every parameter is signed as sent.`,
      options,
    );
  }
  if (/already exists/i.test(message))
    return new DuplicateOrderError(`The gateway refused a duplicate order: ${message}`, options);
  if (status === 401 || code === 401)
    return new AuthenticationError(`The gateway refused the API key: ${message}`, options);
  if (status === 403 || code === 403) {
    // The same condition as THB collect's 4031, so the same code.
    const ip = /\bip\b.*whitelist|whitelist.*\bip\b/i.test(message);
    return new PermissionError(`The gateway refused access: ${message}`, {
      ...options,
      ...(ip ? { code: 'ip_not_allowed' as const } : {}),
    });
  }
  if (status === 404 || /not found/i.test(message)) {
    return new ApiError(`The gateway did not find the order: ${message}`, {
      ...options,
      code: 'order_not_found',
    });
  }
  if (status === 429)
    return new ApiError(`The gateway is rate limiting: ${message}`, { ...options, code: 'rate_limited' });
  return new ApiError(`The gateway answered an error (HTTP ${status}): ${message}`, options);
}
