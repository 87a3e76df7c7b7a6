/**
 * THB collect's envelope (`{ status, error, msg, data }`) → the `data` of a success, or a typed error.
 *
 * The provider documents no error codes: `msg` is free text, often a Java exception or a Chinese phrase.
 * Only what can be recognised with certainty is mapped; the patterns are deliberately narrow, and
 * everything else is an ApiError that keeps `error` (as `providerCode`) and `msg`:
 * - duplicate order id (creates): "duplicate", "order(Id) already exists", "order exists", "order ...
 *   repeat(ed)", 重复 (repeated), 已存在 (already exists) → DuplicateOrderError.
 * - order not found (queries only): "not exist", "not found", "no such order", 不存在, 未找到, unless the
 *   text names something else that may be missing (merchant, app, key, channel, ...) → ApiError with code
 *   `order_not_found`, which the safe-create lookup reads as "the order does not exist".
 * - signature refused: "sign"/"signature" near error/invalid/fail/wrong/mismatch/verify, or 签名 / 验签
 *   → SignatureError.
 * A status 3 order whose `errorMsg` says "does not exist" (the document's example, in Vietnamese) is a
 * FAILED order inside a success envelope, not a missing one; it never reaches this mapping.
 */
import {
  ApiError,
  AuthenticationError,
  DuplicateOrderError,
  PermissionError,
  redactDeep,
  redactSecrets,
  SignatureError,
  type ThaiPayError,
} from '../core/errors';
import type { TransportResponse } from '../core/transport';
import { THB_ENVELOPE_ERROR, THB_ENVELOPE_OK } from './constants';

/** Code of the ApiError a query gives when the provider says the order does not exist. */
export const ORDER_NOT_FOUND_CODE = 'order_not_found';

const DUPLICATE =
  /duplicat|order\s*(?:id|no)?\s*(?:has\s+)?(?:already\s+)?exists?\b|already\s+(?:been\s+)?(?:exists?|used|submitted)\b|order.{0,24}\brepeat|\brepeat(?:ed)?\b.{0,24}order|重复|已存在/i;
const NOT_FOUND =
  /not\s+(?:be\s+)?(?:exists?|found)\b|does\s*n[o']t\s+exist|doesn't\s+exist|no\s+such\s+order|non-?existent|不存在|未找到|查无/i;
/** Things other than the order that an error may say are missing; such a message is not "order not found". */
const OTHER_SUBJECT =
  /merchant|\bapp\s*id\b|appid|\bapp\b|\bkey\b|channel|bank|account|user|商户|商家|通道|密钥|应用/i;
const SIGNATURE =
  /\bsign(?:ature|ing)?\b.{0,30}(?:error|invalid|fail|wrong|incorrect|mismatch|illegal|not\s+match|verif)|(?:invalid|wrong|bad|illegal|incorrect)\s+sign(?:ature)?\b|签名|验签/i;

/** What the caller is doing, for the mapping and the messages. */
export interface EnvelopeContext {
  /** The endpoint path, for messages. */
  path: string;
  operation: 'create' | 'query';
  orderId: string;
  /** Strings scrubbed from every message and `raw`. */
  secrets: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `"1"`/`"0"` as documented; the numbers 1/0 are accepted too, since a JSON writer may drop the quotes. */
function envelopeStatus(value: unknown): string | undefined {
  if (value === THB_ENVELOPE_OK || value === 1) return THB_ENVELOPE_OK;
  if (value === THB_ENVELOPE_ERROR || value === 0) return THB_ENVELOPE_ERROR;
  return undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/**
 * Classify a refusal's `msg` (and `error`). Exported for tests and for the sandbox.
 *
 * @example
 * ```ts
 * classifyThbRefusal('orderId already exists', 'create'); // "duplicate"
 * classifyThbRefusal('订单不存在', 'query'); // "not_found"
 * ```
 */
export function classifyThbRefusal(
  msg: string,
  operation: 'create' | 'query',
): 'duplicate' | 'not_found' | 'signature' | 'other' {
  if (operation === 'query' && NOT_FOUND.test(msg) && !OTHER_SUBJECT.test(msg)) return 'not_found';
  if (operation === 'create' && !NOT_FOUND.test(msg) && DUPLICATE.test(msg)) return 'duplicate';
  if (SIGNATURE.test(msg)) return 'signature';
  return 'other';
}

/**
 * The `data` of a success envelope (not yet verified), or the error the answer stands for.
 *
 * @throws {AuthenticationError} on HTTP 401, {@link PermissionError} on 403, {@link ApiError} with the
 *   HTTP status on 5xx/429 (so a create's re-send logic sees an unknown outcome), and the mapped error of
 *   a status "0" envelope.
 * @example
 * ```ts
 * const data = readThbEnvelope(response, { path, operation: 'query', orderId, secrets });
 * ```
 */
export function readThbEnvelope(
  response: TransportResponse,
  context: EnvelopeContext,
): Record<string, unknown> {
  const { status: httpStatus, body } = response;
  // The scrubbed copy is made only for an error: a success never needs it, and it costs a deep walk.
  const raw = () => redactDeep(body, context.secrets);
  const envelope = isRecord(body) ? body : undefined;
  const msg = redactSecrets(text(envelope?.msg), context.secrets);
  const where = `THB collect ${context.path}`;
  const said = msg === '' ? '' : `: ${msg}`;

  if (httpStatus === 401) {
    throw new AuthenticationError(
      `${where} refused the credentials (HTTP 401)${said}. Check appId and keys.`,
      {
        status: httpStatus,
        raw: raw(),
      },
    );
  }
  if (httpStatus === 403) {
    throw new PermissionError(
      `${where} refused access (HTTP 403)${said}. Is this server's IP on the merchant whitelist?`,
      { status: httpStatus, raw: raw() },
    );
  }
  if (httpStatus >= 500 || httpStatus === 429) {
    throw new ApiError(`${where} answered HTTP ${httpStatus}${said}`, {
      code: 'http_error',
      status: httpStatus,
      raw: raw(),
    });
  }

  const status = envelopeStatus(envelope?.status);
  if (envelope === undefined || status === undefined) {
    throw new ApiError(
      `${where} answered HTTP ${httpStatus} with a body that is not a THB collect envelope`,
      {
        code: 'invalid_response',
        status: httpStatus,
        raw: raw(),
      },
    );
  }

  if (status === THB_ENVELOPE_ERROR) throw refusal(envelope, msg, context, httpStatus, raw());

  if (httpStatus < 200 || httpStatus >= 300) {
    throw new ApiError(`${where} answered HTTP ${httpStatus} with a success envelope`, {
      code: 'invalid_response',
      status: httpStatus,
      raw: raw(),
    });
  }
  if (!isRecord(envelope.data)) {
    throw new ApiError(`${where} answered status "1" without a data object`, {
      code: 'invalid_response',
      status: httpStatus,
      raw: raw(),
    });
  }
  return envelope.data;
}

function refusal(
  envelope: Record<string, unknown>,
  msg: string,
  context: EnvelopeContext,
  httpStatus: number,
  raw: unknown,
): ThaiPayError {
  const providerCode = redactSecrets(text(envelope.error), context.secrets);
  const codeNote = providerCode === '' ? '' : ` (error ${providerCode})`;
  const shown = msg === '' ? 'no message' : msg;
  const status = { status: httpStatus, raw };
  switch (classifyThbRefusal(msg, context.operation)) {
    case 'duplicate':
      return new DuplicateOrderError(
        `THB collect already has an order with orderId "${context.orderId}": ${shown}${codeNote}`,
        { ...status, orderId: context.orderId },
      );
    case 'not_found':
      return new ApiError(`THB collect has no order with orderId "${context.orderId}": ${shown}${codeNote}`, {
        ...status,
        code: ORDER_NOT_FOUND_CODE,
        ...(providerCode === '' ? {} : { providerCode }),
      });
    case 'signature':
      return new SignatureError(
        `THB collect refused the request signature: ${shown}${codeNote}. Check privateKey and secretKey, and that the public key registered with the provider matches privateKey.`,
        status,
      );
    default:
      return new ApiError(`THB collect refused ${context.path}: ${shown}${codeNote}`, {
        ...status,
        ...(providerCode === '' ? {} : { providerCode }),
      });
  }
}

/**
 * Whether an error is a query's "this order does not exist".
 *
 * @example
 * ```ts
 * try { await client.getCollection({ orderId }); } catch (e) { if (isThbOrderNotFound(e)) createAgain(); }
 * ```
 */
export function isThbOrderNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.code === ORDER_NOT_FOUND_CODE;
}
