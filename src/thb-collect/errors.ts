/**
 * THB collect's errors: the provider's error table and the mapping of a refusal to its class and code.
 *
 * The provider's error table ({@link THB_ERROR_TABLE}) decides first: every documented code has one class
 * and one stable `code`, and keeps the provider's `error` as `providerCode` (its `msg` stays in the
 * message and in `raw`). Message patterns are only the fallback for codes the table does not list:
 * - duplicate order id (creates): "duplicate", "order(Id) already exists", 重复, 已存在 → DuplicateOrderError.
 * - order not found (queries only): "not exist", "not found", 不存在, ... unless the text names something
 *   else that may be missing (merchant, app, key, channel) → ApiError `order_not_found`.
 * - signature refused: "sign"/"signature" near error/invalid/fail/verify, or 签名 / 验签 → SignatureError.
 * The table has no signature code: a refused signature comes as 1002 "Illegal Param" (the provider's
 * error appendix lists "Illegal request!" for "parameter validation/signature failed"), so a 1002 whose
 * `msg` speaks of the signature is a SignatureError, any other 1002 an `invalid_parameter`.
 */
import {
  ApiError,
  AuthenticationError,
  DuplicateOrderError,
  PermissionError,
  SignatureError,
  type ThaiPayError,
  type ThaiPayErrorCode,
} from '../core/errors';
import { redactSecrets } from '../core/redact';
import { PROVIDER_BUSY_CODE } from '../core/safe-create';

/** Code of the ApiError a query gives when the provider says the order does not exist. */
export const ORDER_NOT_FOUND_CODE = 'order_not_found';

/** What the client makes of one documented provider code. */
export interface ThbErrorEntry {
  /** The class thrown: ApiError, DuplicateOrderError, PermissionError or AuthenticationError. */
  readonly kind: 'api' | 'duplicate' | 'permission' | 'authentication';
  /** The stable `code` of the error. */
  readonly code: ThaiPayErrorCode;
  /** What the merchant should do, appended to the message. */
  readonly advice: string;
}

const entry = (kind: ThbErrorEntry['kind'], code: ThaiPayErrorCode, advice: string): ThbErrorEntry => ({
  kind,
  code,
  advice,
});
const BUSY = entry(
  'api',
  PROVIDER_BUSY_CODE,
  'The order may already be recorded: query it by the same orderId; never create it under a new id.',
);

/**
 * The provider's error table (`api_description_guide.mdx`, "Error Codes"), as data: documented code →
 * class, stable `code` and what to do. The provider's `msg` is kept in each error's message and `raw`.
 *
 * @example
 * ```ts
 * THB_ERROR_TABLE['4005'].code; // "duplicate_order"
 * ```
 */
export const THB_ERROR_TABLE: Readonly<Record<string, ThbErrorEntry>> = /* @__PURE__ */ Object.freeze({
  '1001': entry('api', 'missing_parameter', 'A required field was empty.'),
  '1002': entry(
    'api',
    'invalid_parameter',
    'A field or the signature was refused: check the fields, then the keys.',
  ),
  '1003': BUSY,
  '1004': BUSY,
  '4005': entry('duplicate', 'duplicate_order', 'This orderId was already used: query it.'),
  '4011': entry(
    'authentication',
    'app_id_not_found',
    'Check appId: each currency and environment has its own.',
  ),
  '4012': entry('permission', 'product_unavailable', 'The product is not enabled for this merchant.'),
  '4013': entry('api', ORDER_NOT_FOUND_CODE, 'No such order.'),
  '4014': entry('api', 'order_already_final', 'The order is already final: query it.'),
  '4015': entry('api', 'no_collect_account', 'The merchant has no collection account.'),
  '4016': entry('api', 'insufficient_balance', 'The balance does not cover this payout: see getBalance().'),
  '4031': entry(
    'permission',
    'ip_not_allowed',
    "This server's IP is not allowed: add it to the IP whitelist of the business in the merchant backend and ask customer service to add it to the firewall allow-list (onboarding_checklist.mdx).",
  ),
  '5012': entry('api', 'channel_unavailable', "The provider's channel is down: contact it."),
});

/** What the caller is doing, for the mapping and the messages. */
export interface EnvelopeContext {
  /** The endpoint path, for messages. */
  path: string;
  /** A create (outcome rules apply), a query of an order, or another read (balance, statement, voucher). */
  operation: 'create' | 'query' | 'read';
  /** The merchant order id, for creates and order queries. */
  orderId?: string;
  /** Strings scrubbed from every message and `raw`. */
  secrets: readonly string[];
}

const DUPLICATE =
  /duplicat|order\s*(?:id|no)?\s*(?:has\s+)?(?:already\s+)?exists?\b|already\s+(?:been\s+)?(?:exists?|used|submitted)\b|order.{0,24}\brepeat|\brepeat(?:ed)?\b.{0,24}order|重复|已存在/i;
const NOT_FOUND =
  /not\s+(?:be\s+)?(?:exists?|found)\b|does\s*n[o']t\s+exist|doesn't\s+exist|no\s+such\s+order|non-?existent|不存在|未找到|查无/i;
/** Things other than the order that an error may say are missing; such a message is not "order not found". */
const OTHER_SUBJECT =
  /merchant|\bapp\s*id\b|appid|\bapp\b|\bkey\b|channel|bank|account|user|商户|商家|通道|密钥|应用/i;
const SIGNATURE =
  /\bsign(?:ature|ing)?\b.{0,30}(?:error|invalid|fail|wrong|incorrect|mismatch|illegal|not\s+match|verif)|(?:invalid|wrong|bad|illegal|incorrect)\s+sign(?:ature)?\b|签名|验签/i;

/** A provider field as text (`""` when absent). */
export function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/** The table's key of an `error`: `"4005"`, `4005` and `"00004005"` are the same code. */
function tableKey(error: string): string | undefined {
  if (!/^\d{1,12}$/.test(error)) return undefined;
  const key = String(Number(error));
  return Object.hasOwn(THB_ERROR_TABLE, key) ? key : undefined;
}

/**
 * Classify an undocumented refusal's `msg`: the fallback when the error table does not know the code.
 *
 * @internal Used by the envelope mapping; exported for its tests.
 */
export function classifyThbRefusal(
  msg: string,
  operation: 'create' | 'query' | 'read',
): 'duplicate' | 'not_found' | 'signature' | 'other' {
  if (operation === 'query' && NOT_FOUND.test(msg) && !OTHER_SUBJECT.test(msg)) return 'not_found';
  if (operation === 'create' && !NOT_FOUND.test(msg) && DUPLICATE.test(msg)) return 'duplicate';
  if (SIGNATURE.test(msg)) return 'signature';
  return 'other';
}

/**
 * The error a status "0" envelope stands for: the table's class and code, else what its `msg` says.
 *
 * @internal Used by the envelope reading (envelope.ts).
 */
export function thbRefusal(
  envelope: Record<string, unknown>,
  msg: string,
  context: EnvelopeContext,
  httpStatus: number,
  raw: unknown,
): ThaiPayError {
  const providerText = redactSecrets(text(envelope.error), context.secrets);
  const common = {
    status: httpStatus,
    raw,
    ...(providerText === '' ? {} : { providerCode: providerText }),
  };
  const codeNote = providerText === '' ? '' : ` (error ${providerText})`;
  const shown = msg === '' ? 'no message' : msg;
  const orderId = context.orderId;
  const key = tableKey(providerText);
  const entry = key === undefined ? undefined : THB_ERROR_TABLE[key];

  if (entry !== undefined) {
    const message = `THB collect refused ${context.path}${codeNote}: ${shown}. ${entry.advice}`;
    if (key === '1002' && SIGNATURE.test(msg)) return signatureError(shown, codeNote, common);
    switch (entry.kind) {
      case 'duplicate':
        return new DuplicateOrderError(
          `THB collect already has an order with orderId "${orderId}"${codeNote}: ${shown}. ${entry.advice}`,
          { ...common, orderId },
        );
      case 'authentication':
        return new AuthenticationError(message, { ...common, code: entry.code });
      case 'permission':
        return new PermissionError(message, { ...common, code: entry.code });
      default:
        if (entry.code === ORDER_NOT_FOUND_CODE && orderId !== undefined) {
          return new ApiError(`THB collect has no order with orderId "${orderId}"${codeNote}: ${shown}`, {
            ...common,
            code: entry.code,
          });
        }
        return new ApiError(message, { ...common, code: entry.code });
    }
  }

  // Not in the table: recognise what the message says with certainty, else a plain refusal.
  switch (classifyThbRefusal(msg, context.operation)) {
    case 'duplicate':
      return new DuplicateOrderError(
        `THB collect already has an order with orderId "${orderId}": ${shown}${codeNote}`,
        { ...common, orderId },
      );
    case 'not_found':
      return new ApiError(`THB collect has no order with orderId "${orderId}": ${shown}${codeNote}`, {
        ...common,
        code: ORDER_NOT_FOUND_CODE,
      });
    case 'signature':
      return signatureError(shown, codeNote, common);
    default:
      return new ApiError(`THB collect refused ${context.path}: ${shown}${codeNote}`, common);
  }
}

function signatureError(
  shown: string,
  codeNote: string,
  common: { status: number; raw: unknown; providerCode?: string },
): SignatureError {
  return new SignatureError(
    `THB collect refused the request signature: ${shown}${codeNote}. Check privateKey and secretKey, and that the public key registered with the provider matches privateKey.`,
    common,
  );
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
