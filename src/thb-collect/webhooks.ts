/**
 * THB collect notifications: verification over every field received, and a ready handler.
 *
 * The platform POSTs a notification to `notifyUrl` and signs it like its answers: the sign string of
 * every non-empty field but `sign`/`sign_type`, with the merchant secret key, signed by the platform
 * private key. So a non-empty field changed, added or removed fails, and fields the provider adds later
 * still verify. Empty and `null` fields and `sign_type` are outside the signature: they are dropped
 * before anything reads the notification, so they can change nothing. Fields whose sign string could be
 * re-split into other fields (a value holding `&`) are refused. The content type is not documented:
 * JSON and form-encoded bodies are both accepted.
 *
 * Which kind of order a notification is about (collection or payout) is not in its signed fields: it
 * comes from configuration only (`kind`, one notify URL per kind), else the kind is `'unknown'`.
 */

import { type CryptoProvider, getDefaultRsaVerifier, type RsaSha256Verifier } from '../core/crypto';
import { parsePublicRsaKey } from '../core/crypto/keys';
import { InvalidRequestError, WebhookVerificationError } from '../core/errors';
import { providerAmountSatang } from '../core/money';
import {
  bodyToFields,
  checkPositiveOption,
  createWebhookHandler,
  DEFAULT_MAX_BODY_BYTES,
  deliveryOptions,
  isParsedBody,
  keyList,
  MAX_BODY_BYTES_BOUND,
  type WebhookBody,
  type WebhookDedupeOptions,
  type WebhookEventContext,
} from '../core/webhooks';
import { THB_NOTIFICATION_ACK } from './constants';
import {
  readAmount,
  readOptionalText,
  readOrder,
  type ShapeError,
  type ThbOrder,
  type ThbOrderKind,
} from './results';
import { thbSignedFields, thbSignStringAmbiguity, verifyThbParamsWith } from './signing';

/** The order kind a notification is about: configured per notify URL, else `'unknown'`. */
export type ThbNotificationKind = ThbOrderKind | 'unknown';

/** What every THB notification carries, whatever its kind. Only signed, non-empty fields appear. */
export interface ThbNotificationBase extends Omit<ThbOrder, 'raw'> {
  /** The business id (`appId`), as text. */
  appId?: string;
  /** As sent (`currency`). */
  currency?: string;
  /**
   * The fields the signature covers, as received, plus `sign`. Empty and `null` fields and `sign_type`
   * (outside the signature) are left out: nothing unsigned reaches the event.
   */
  raw: Record<string, unknown>;
}

/** The fields `CommonApi.mdx` documents for collection notifications only; each present when not empty. */
export interface ThbCollectionNotificationFields {
  /** Amount actually received (`actualAmount`), as sent. */
  actualAmount?: string;
  /** `actualAmount` in satang (integer); present with `actualAmount`. */
  actualAmountSatang?: number;
  /** The order's original currency (`originalCurrency`), only when a currency conversion took place. */
  originalCurrency?: string;
  /** The original order amount (`originalAmount`), in `originalCurrency`, as sent. */
  originalAmount?: string;
  /**
   * `originalAmount` in hundredths of its currency (integer, satang for THB); present when
   * `originalAmount` is a plain amount with at most two decimals.
   */
  originalAmountSatang?: number;
  /** The payment method the payer used (`inBankCode`, `QR` or `TM` in Thailand). */
  inBankCode?: string;
  /** The receiving account (`bankNo`). */
  bankNo?: string;
  /** The payment note (`description`). */
  description?: string;
  /** The payer's name (`name`). */
  name?: string;
  /** The payer's email (`email`). */
  email?: string;
  /** The masked card number (`cardNo`), for card payments. */
  cardNo?: string;
}

/** The fields `CommonApi.mdx` documents for payout notifications only. */
export interface ThbPayoutNotificationFields {
  /** The transaction hash (`hash`), sent for stablecoin payouts only. */
  hash?: string;
}

/** A verified notification received on a URL configured with `kind: 'collection'`. */
export interface ThbCollectionNotification extends ThbNotificationBase, ThbCollectionNotificationFields {
  /** From your configuration (`kind` option), never from the notification. */
  kind: 'collection';
}

/** A verified notification received on a URL configured with `kind: 'payout'`. */
export interface ThbPayoutNotification extends ThbNotificationBase, ThbPayoutNotificationFields {
  /** From your configuration (`kind` option), never from the notification. */
  kind: 'payout';
}

/**
 * A verified notification whose kind was not configured: its signed fields do not say whether it is
 * about a collection or a payout, so route it by your own `orderId`. `status` reads the code as
 * documented: 2 succeeded and 3 failed for both kinds; 4 (partial) and 5 (excess), documented for
 * collections only, as `partially_paid` and `overpaid`.
 */
export interface ThbUnknownKindNotification
  extends ThbNotificationBase,
    ThbCollectionNotificationFields,
    ThbPayoutNotificationFields {
  /** No `kind` option was given. */
  kind: 'unknown';
}

/** A verified THB collect notification; narrow it by `kind`. */
export type ThbNotification = ThbCollectionNotification | ThbPayoutNotification | ThbUnknownKindNotification;

/** The notification type a `kind` option gives: unconfigured means `'unknown'`. */
export type ThbNotificationOf<K extends ThbOrderKind | undefined> = K extends 'collection'
  ? ThbCollectionNotification
  : K extends 'payout'
    ? ThbPayoutNotification
    : ThbUnknownKindNotification;

/** Options of {@link verifyThbNotification}. */
export interface VerifyThbNotificationOptions<K extends ThbOrderKind | undefined = ThbOrderKind | undefined> {
  /** The merchant secret key. */
  secretKey: string;
  /**
   * The platform RSA public key (not your own key), or several while the platform rotates its key: a
   * notification is genuine when one of them verifies it.
   */
  platformPublicKey: string | readonly string[];
  /**
   * Which order kind notifications on this URL are about: give each kind its own `notifyUrl` and say
   * which here. The notification's own fields never decide it. Without it the kind is `'unknown'`.
   */
  kind?: K;
  /** The request's content type, when known; JSON is recognised by its `{` otherwise. */
  contentType?: string | null;
  /** Largest body accepted, checked before parsing. Default 64 KB. */
  maxBodyBytes?: number;
  /** The crypto implementation; by default the fastest the runtime has. */
  crypto?: CryptoProvider;
}

const RAW_BODY_HINT =
  ' If your framework parsed the body, pass the raw body instead (express.raw(), await request.text()).';

const invalidNotification: ShapeError = (message) =>
  new WebhookVerificationError(`THB collect notification is signed but unusable: ${message}.`);

/** Check every option a notification is verified with; a bad one is a configuration error, named. */
function checkOptions(options: {
  secretKey: string;
  platformPublicKey: string | readonly string[];
  kind?: unknown;
  maxBodyBytes?: unknown;
}): void {
  if (options === null || typeof options !== 'object') {
    throw InvalidRequestError.field('options', 'must be an object with secretKey and platformPublicKey');
  }
  if (options.kind !== undefined && options.kind !== 'collection' && options.kind !== 'payout') {
    throw InvalidRequestError.field('kind', "must be 'collection' or 'payout' (or left out)");
  }
  checkPositiveOption('maxBodyBytes', options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES_BOUND);
  if (options.maxBodyBytes !== undefined && !Number.isSafeInteger(options.maxBodyBytes)) {
    throw InvalidRequestError.field('maxBodyBytes', 'must be a whole number of bytes');
  }
  if (typeof options.secretKey !== 'string' || options.secretKey === '') {
    throw InvalidRequestError.field('secretKey', 'must be the merchant secret key (a non-empty string)');
  }
  const keys = keyList(options.platformPublicKey);
  if (keys.length === 0 || keys.some((key) => typeof key !== 'string' || key.trim() === '')) {
    throw InvalidRequestError.field(
      'platformPublicKey',
      'must be the platform RSA public key (PEM or Base64 DER), or a non-empty list of them',
    );
  }
}

/** Whether one of the platform keys verifies the fields. */
async function verifiedByOneOf(
  fields: Record<string, unknown>,
  secretKey: string,
  keys: readonly string[],
  crypto: RsaSha256Verifier,
): Promise<boolean> {
  for (const [index, publicKey] of keys.entries()) {
    try {
      if (await verifyThbParamsWith(fields, { secretKey, publicKey }, crypto)) return true;
    } catch (error) {
      // The crypto layer names its argument `publicKey`; the caller knows it as `platformPublicKey`.
      if (error instanceof InvalidRequestError && error.issues.some((i) => i.field === 'publicKey')) {
        const field = keys.length === 1 ? 'platformPublicKey' : `platformPublicKey[${index}]`;
        throw new InvalidRequestError(
          error.issues.map((i) => (i.field === 'publicKey' ? { ...i, field } : i)),
        );
      }
      throw error;
    }
  }
  return false;
}

/**
 * Verify a THB collect notification and return it typed.
 *
 * Only the signed fields reach the result: empty and `null` fields and `sign_type`, which the signature
 * does not cover, are dropped first. The kind is the `kind` option's (one notify URL per kind), never
 * guessed from the fields; without it the result's kind is `'unknown'`.
 *
 * @param body the raw body (string or bytes, JSON or form-encoded) or the object a framework parsed
 * @throws {WebhookVerificationError} when the body is malformed, has no `sign`, has fields whose sign
 *   string could be re-split into other fields, or the `sign` does not verify with the platform public
 *   key over every non-empty field received (a field changed, added or removed, the wrong secret key, a
 *   notification signed with another key).
 * @throws {InvalidRequestError} naming the option when `secretKey`, `platformPublicKey`, `kind` or
 *   `maxBodyBytes` is unusable (configuration).
 * @example
 * ```ts
 * import { verifyThbNotification } from 'thaipay/thb-collect';
 *
 * // POST /thb/notify/payout: the notifyUrl given to createPayout
 * const notification = await verifyThbNotification(await request.text(), {
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   platformPublicKey: process.env.THB_PLATFORM_PUBLIC_KEY!,
 *   kind: 'payout',
 *   contentType: request.headers.get('content-type'),
 * });
 * if (notification.status === 'failed') await payouts.markFailed(notification.orderId, notification.errorMsg);
 * return new Response('SUCCESS');
 * // While the platform rotates its key: platformPublicKey: [newPlatformKey, oldPlatformKey]
 * ```
 */
export async function verifyThbNotification<K extends ThbOrderKind | undefined = undefined>(
  body: WebhookBody,
  options: VerifyThbNotificationOptions<K>,
): Promise<ThbNotificationOf<K>> {
  checkOptions(options);
  const fields = bodyToFields(body, {
    ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBytes: options.maxBodyBytes }),
    allowForm: true,
  });
  const sign = fields.sign;
  if (typeof sign !== 'string' || sign === '') {
    throw new WebhookVerificationError('THB collect notification has no sign field.');
  }
  const ambiguity = thbSignStringAmbiguity(fields);
  if (ambiguity !== undefined) {
    throw new WebhookVerificationError(
      `THB collect notification refused: ${ambiguity}, so its sign string could be read as other fields.`,
    );
  }
  // What the signature covers, and all the rest of this function may read.
  const signedFields = thbSignedFields(fields);
  // Base64 never holds a space: in a form body an unescaped "+" decodes to one. Only `sign` is repaired;
  // every signed field is verified exactly as received.
  const signature = sign.replace(/ /g, '+');

  const valid = await verifiedByOneOf(
    { ...signedFields, sign: signature },
    options.secretKey,
    keyList(options.platformPublicKey),
    options.crypto ?? getDefaultRsaVerifier(),
  );
  if (!valid) {
    throw new WebhookVerificationError(
      'THB collect notification sign does not verify with platformPublicKey and secretKey: a field was changed, added or removed, or the keys are not the platform public key and your secret key.' +
        (isParsedBody(body) ? RAW_BODY_HINT : ''),
    );
  }
  // `raw.sign` is the signature that verified (the repaired one), not the form-mangled text.
  return toNotification(signedFields, signature, options.kind) as ThbNotificationOf<K>;
}

/** Text fields documented for collections only, and for payouts only. */
const COLLECTION_TEXT_FIELDS = [
  'originalCurrency',
  'originalAmount',
  'inBankCode',
  'bankNo',
  'description',
  'name',
  'email',
  'cardNo',
];

/** Build the typed notification from the signed fields only. */
function toNotification(
  signed: Record<string, unknown>,
  sign: string,
  kindOption: ThbOrderKind | undefined,
): ThbNotification {
  const kind: ThbNotificationKind = kindOption ?? 'unknown';
  // Status codes 0-3 and -1 mean the same for both kinds; 4 and 5 exist for collections only.
  const { raw: _order, ...order } = readOrder(
    kind === 'payout' ? 'payout' : 'collection',
    signed,
    invalidNotification,
  );
  const out: Record<string, unknown> = { ...order, kind, raw: { ...signed, sign } };
  const texts = ['appId', 'currency'];
  if (kind !== 'payout') texts.push(...COLLECTION_TEXT_FIELDS);
  if (kind !== 'collection') texts.push('hash');
  for (const field of texts) {
    const value = readOptionalText(signed, field);
    if (value !== undefined) out[field] = value;
  }
  if (kind !== 'payout') {
    const actual = readAmount(signed, 'actualAmount', invalidNotification);
    if (actual !== undefined) {
      out.actualAmount = actual.text;
      out.actualAmountSatang = actual.satang;
    }
    if (out.originalAmount !== undefined) {
      const satang = hundredthsOf(signed.originalAmount);
      if (satang !== undefined) out.originalAmountSatang = satang;
    }
  }
  return out as unknown as ThbNotification;
}

/**
 * An amount in another currency as hundredths, or `undefined` when it is not a plain amount with at most
 * two decimals (a currency with more decimals must not be refused, nor rounded).
 */
function hundredthsOf(value: unknown): number | undefined {
  return providerAmountSatang(value);
}

/**
 * Options of {@link createThbWebhookHandler}. `K` is the configured `kind` (what `onEvent` receives
 * follows it), `Db` the inbox's transaction type, if any.
 */
export type ThbWebhookHandlerOptions<
  K extends ThbOrderKind | undefined = ThbOrderKind | undefined,
  Db = undefined,
> = WebhookDedupeOptions<Db> & {
  /** The merchant secret key. */
  secretKey: string;
  /** The platform RSA public key, or several during a platform key rotation. */
  platformPublicKey: string | readonly string[];
  /**
   * Which order kind this handler's URL receives: mount one handler per kind, each on the `notifyUrl`
   * you give that kind's orders. Without it the kind is `'unknown'`: route by your own `orderId`.
   */
  kind?: K;
  /**
   * Called once per distinct notification (kind + orderId + orderNo + status). Throw to have the
   * platform retry. With an `inbox`, runs inside its transaction: write through `context.db`.
   */
  onEvent(notification: ThbNotificationOf<K>, context: WebhookEventContext<Db>): unknown;
  /** Largest body accepted. Default 64 KB. */
  maxBodyBytes?: number;
  /** Told why a notification was refused or failed, for your logs. */
  onError?(error: unknown): void;
  /** How long a handled notification is remembered. Default 7 days. */
  dedupeTtlSeconds?: number;
  /** How long one delivery may stay inside `onEvent` before a duplicate may take over. Default 60 s. */
  dedupeLeaseSeconds?: number;
};

/**
 * A Web-standard handler for THB collect notifications: verifies each one, calls `onEvent` once per
 * distinct notification, and answers the plain text `SUCCESS` the platform expects (without it the
 * platform retries every 5 minutes, 5 times). Forged or malformed notifications get 400 and never reach
 * `onEvent`; a duplicate arriving while the first delivery is still inside `onEvent` gets 503 (the
 * platform retries); a throwing `onEvent` gets 500 and is handled again on the retry. For Node
 * `(req, res)` servers wrap it with `toNodeHandler`.
 *
 * @throws {InvalidRequestError} at creation, naming the option, when a key is unusable, a number is not
 *   finite and positive within bounds, `kind` is not a kind, or both `store` and `inbox` are given.
 * @example
 * ```ts
 * import { createThbWebhookHandler, toNodeHandler } from 'thaipay/thb-collect';
 *
 * const keys = {
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   platformPublicKey: process.env.THB_PLATFORM_PUBLIC_KEY!,
 * };
 * // One notify URL per kind: createCollection({ notifyUrl: '.../thb/notify/collection' }), and so on.
 * const collections = createThbWebhookHandler({
 *   ...keys,
 *   kind: 'collection',
 *   onEvent: async (n) => orders.update(n.orderId, n.status),
 * });
 * const payouts = createThbWebhookHandler({
 *   ...keys,
 *   kind: 'payout',
 *   onEvent: async (n) => payouts.update(n.orderId, n.status, n.errorMsg),
 * });
 * app.post('/thb/notify/collection', express.raw({ type: '*\/*' }), toNodeHandler(collections));
 * app.post('/thb/notify/payout', express.raw({ type: '*\/*' }), toNodeHandler(payouts));
 * ```
 */
export function createThbWebhookHandler<K extends ThbOrderKind | undefined = undefined, Db = undefined>(
  options: ThbWebhookHandlerOptions<K, Db>,
): (request: Request) => Promise<Response> {
  checkOptions(options);
  const keys = keyList(options.platformPublicKey);
  for (const [index, key] of keys.entries()) {
    parsePublicRsaKey(key, keys.length === 1 ? 'platformPublicKey' : `platformPublicKey[${index}]`);
  }
  if (typeof options.onEvent !== 'function') throw InvalidRequestError.field('onEvent', 'must be a function');
  return createWebhookHandler<ThbNotificationOf<K>, Db>({
    verify: (text, contentType) =>
      verifyThbNotification<K>(text, {
        secretKey: options.secretKey,
        platformPublicKey: options.platformPublicKey,
        contentType,
        ...(options.kind === undefined ? {} : { kind: options.kind }),
        ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      }),
    // Signed fields and configuration only: the kind is the option's, the rest is covered by `sign`.
    dedupeKey: (n) => `thb-collect:${n.kind}:${n.orderId}:${n.orderNo}:${n.providerStatus}`,
    acknowledge: () =>
      new Response(THB_NOTIFICATION_ACK, {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      }),
    onEvent: (notification, context) => options.onEvent(notification, context),
    ...deliveryOptions(options),
  });
}
