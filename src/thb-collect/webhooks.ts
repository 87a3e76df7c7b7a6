/**
 * THB collect notifications: verification over every field received, and a ready handler.
 *
 * The platform POSTs a notification to `notifyUrl` and signs it like its answers: the sign string of
 * every field but `sign`/`sign_type`, with the merchant secret key, signed by the platform private key.
 * So a field changed, added or removed fails, and fields the provider adds later still verify. The
 * content type is not documented: JSON and form-encoded bodies are both accepted.
 */
import { type CryptoProvider, getDefaultCryptoProvider, parseRsaKey } from '../core/crypto';
import { InvalidRequestError, WebhookVerificationError } from '../core/errors';
import {
  bodyToFields,
  createWebhookHandler,
  type WebhookBody,
  type WebhookDedupeStore,
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
import { verifyThbParams } from './signing';

/** A verified THB collect notification. */
export interface ThbNotification extends ThbOrder {
  /**
   * `payout` when the notification has a `hash` field (the document adds it to payout notifications
   * only), `collection` otherwise, unless the `kind` option says which.
   */
  kind: ThbOrderKind;
  /** Amount received, when the platform sends `actualAmount` (collections). */
  actualAmount?: string;
  /** `actualAmount` in satang (integer); present with `actualAmount`. */
  actualAmountSatang?: number;
  /** The payout's transfer reference (`hash`), when not empty. */
  hash?: string;
  /** As sent (`appId`), when present. */
  appId?: string;
  /** As sent (`currency`), when present. */
  currency?: string;
  /** Every field received, `sign` included, untouched. */
  raw: Record<string, unknown>;
}

/** Options of {@link verifyThbNotification}. */
export interface VerifyThbNotificationOptions {
  /** The merchant secret key. */
  secretKey: string;
  /**
   * The platform RSA public key (not your own key), or several while the platform rotates its key: a
   * notification is genuine when one of them verifies it.
   */
  platformPublicKey: string | readonly string[];
  /**
   * Which order kind the notification is about, when your collection and payout notifications come to
   * different URLs. Default: `payout` when a `hash` field is present, else `collection`.
   */
  kind?: ThbOrderKind;
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

function isParsedObject(body: WebhookBody): boolean {
  return (
    body !== null &&
    typeof body === 'object' &&
    !(body instanceof Uint8Array) &&
    !(body instanceof ArrayBuffer)
  );
}

function checkKeys(options: VerifyThbNotificationOptions): void {
  if (options === null || typeof options !== 'object') {
    throw InvalidRequestError.field('options', 'must be an object with secretKey and platformPublicKey');
  }
  if (typeof options.secretKey !== 'string' || options.secretKey === '') {
    throw InvalidRequestError.field('secretKey', 'must be the merchant secret key (a non-empty string)');
  }
  const keys = platformKeys(options.platformPublicKey);
  if (keys.length === 0 || keys.some((key) => typeof key !== 'string' || key.trim() === '')) {
    throw InvalidRequestError.field(
      'platformPublicKey',
      'must be the platform RSA public key (PEM or Base64 DER), or a non-empty list of them',
    );
  }
}

/** The platform key, or the keys during a rotation, as a list. */
function platformKeys(platformPublicKey: string | readonly string[]): readonly string[] {
  return typeof platformPublicKey === 'string'
    ? [platformPublicKey]
    : Array.isArray(platformPublicKey)
      ? platformPublicKey
      : [];
}

/** Whether one of the platform keys verifies the fields. */
async function verifiedByOneOf(
  fields: Record<string, unknown>,
  secretKey: string,
  keys: readonly string[],
  crypto: CryptoProvider,
): Promise<boolean> {
  for (const [index, publicKey] of keys.entries()) {
    try {
      if (await verifyThbParams(fields, { secretKey, publicKey }, crypto)) return true;
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
 * @param body the raw body (string or bytes, JSON or form-encoded) or the object a framework parsed
 * @throws {WebhookVerificationError} when the body is malformed, has no `sign`, or the `sign` does not
 *   verify with the platform public key over every field received (a field changed, added or removed,
 *   the wrong secret key, a notification signed with another key).
 * @throws {InvalidRequestError} when `secretKey` or `platformPublicKey` is unusable (configuration).
 * @example
 * ```ts
 * import { verifyThbNotification } from 'thaipay/thb-collect';
 *
 * const notification = await verifyThbNotification(await request.text(), {
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   platformPublicKey: process.env.THB_PLATFORM_PUBLIC_KEY!,
 *   contentType: request.headers.get('content-type'),
 * });
 * if (notification.status === 'succeeded') await markPaid(notification.orderId);
 * return new Response('SUCCESS');
 * // While the platform rotates its key: platformPublicKey: [newPlatformKey, oldPlatformKey]
 * ```
 */
export async function verifyThbNotification(
  body: WebhookBody,
  options: VerifyThbNotificationOptions,
): Promise<ThbNotification> {
  checkKeys(options);
  const fields = bodyToFields(body, {
    ...(options.contentType === undefined ? {} : { contentType: options.contentType }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBytes: options.maxBodyBytes }),
    allowForm: true,
  });
  const sign = fields.sign;
  if (typeof sign !== 'string' || sign === '') {
    throw new WebhookVerificationError('THB collect notification has no sign field.');
  }
  // Base64 never holds a space: in a form body an unescaped "+" decodes to one. Only `sign` is repaired;
  // every signed field is verified exactly as received.
  const signed = sign.includes(' ') ? { ...fields, sign: sign.replace(/ /g, '+') } : fields;

  const valid = await verifiedByOneOf(
    signed,
    options.secretKey,
    platformKeys(options.platformPublicKey),
    options.crypto ?? getDefaultCryptoProvider(),
  );
  if (!valid) {
    throw new WebhookVerificationError(
      'THB collect notification sign does not verify with platformPublicKey and secretKey: a field was changed, added or removed, or the keys are not the platform public key and your secret key.' +
        (isParsedObject(body) ? RAW_BODY_HINT : ''),
    );
  }
  return toNotification(fields, options.kind);
}

function toNotification(
  fields: Record<string, unknown>,
  kindOption: ThbOrderKind | undefined,
): ThbNotification {
  const kind: ThbOrderKind = kindOption ?? (Object.hasOwn(fields, 'hash') ? 'payout' : 'collection');
  const notification: ThbNotification = {
    ...readOrder(kind, fields, invalidNotification),
    kind,
    raw: fields,
  };
  const actual = readAmount(fields, 'actualAmount', invalidNotification);
  if (actual !== undefined) {
    notification.actualAmount = actual.text;
    notification.actualAmountSatang = actual.satang;
  }
  for (const field of ['hash', 'appId', 'currency'] as const) {
    const value = readOptionalText(fields, field);
    if (value !== undefined) notification[field] = value;
  }
  return notification;
}

/** Options of {@link createThbWebhookHandler}. */
export interface ThbWebhookHandlerOptions {
  /** The merchant secret key. */
  secretKey: string;
  /** The platform RSA public key, or several during a platform key rotation. */
  platformPublicKey: string | readonly string[];
  /** Called once per distinct notification (kind + orderId + status). Throw to have the platform retry. */
  onEvent(notification: ThbNotification): unknown | Promise<unknown>;
  /** Where handled notifications are remembered; in-memory by default, `thaipay/redis` across instances. */
  store?: WebhookDedupeStore;
  /** Largest body accepted. Default 64 KB. */
  maxBodyBytes?: number;
  /** Told why a notification was refused or failed, for your logs. */
  onError?(error: unknown): void;
  /** See {@link VerifyThbNotificationOptions.kind}. */
  kind?: ThbOrderKind;
  /** How long a handled notification is remembered. Default 7 days. */
  dedupeTtlSeconds?: number;
}

/**
 * A Web-standard handler for THB collect notifications: verifies each one, calls `onEvent` once per
 * distinct notification, and answers the plain text `SUCCESS` the platform expects (without it the
 * platform retries every 5 minutes, 5 times). Forged or malformed notifications get 400 and never reach
 * `onEvent`; a throwing `onEvent` gets 500 and is handled again on the retry. For Node `(req, res)`
 * servers wrap it with `toNodeHandler`.
 *
 * @throws {InvalidRequestError} at creation when a key is unusable.
 * @example
 * ```ts
 * import { createThbWebhookHandler, toNodeHandler } from 'thaipay/thb-collect';
 *
 * const handler = createThbWebhookHandler({
 *   secretKey: process.env.THB_SECRET_KEY!,
 *   platformPublicKey: process.env.THB_PLATFORM_PUBLIC_KEY!,
 *   onEvent: async (n) => orders.update(n.orderId, n.status),
 * });
 * export const POST = handler; // Next.js, Hono, Workers...
 * app.post('/thb/notify', express.raw({ type: '*\/*' }), toNodeHandler(handler)); // Express
 * ```
 */
export function createThbWebhookHandler(
  options: ThbWebhookHandlerOptions,
): (request: Request) => Promise<Response> {
  checkKeys(options);
  const keys = platformKeys(options.platformPublicKey);
  for (const [index, key] of keys.entries()) {
    parseRsaKey(key, 'public', keys.length === 1 ? 'platformPublicKey' : `platformPublicKey[${index}]`);
  }
  if (typeof options.onEvent !== 'function') throw InvalidRequestError.field('onEvent', 'must be a function');
  return createWebhookHandler<ThbNotification>({
    verify: (text, contentType) =>
      verifyThbNotification(text, {
        secretKey: options.secretKey,
        platformPublicKey: options.platformPublicKey,
        contentType,
        ...(options.kind === undefined ? {} : { kind: options.kind }),
        ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
      }),
    dedupeKey: (n) => `thb-collect:${n.kind}:${n.orderId}:${n.providerStatus}`,
    acknowledge: () =>
      new Response(THB_NOTIFICATION_ACK, {
        status: 200,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      }),
    onEvent: options.onEvent,
    ...(options.store === undefined ? {} : { store: options.store }),
    ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    ...(options.onError === undefined ? {} : { onError: options.onError }),
    ...(options.dedupeTtlSeconds === undefined ? {} : { dedupeTtlSeconds: options.dedupeTtlSeconds }),
  });
}
