/**
 * What every webhook receiver example needs: the keys that verify each provider's messages, and your
 * code to run once per verified message. The framework files (express.ts, fastify.ts, node-http.ts,
 * hono-worker.ts, next-app-router.ts) differ only in how they hand the raw request to the handlers.
 *
 * THB collect notifications do not say (in their signed fields) whether they are about a collection or
 * a payout, so each kind gets its own notify URL and its own handler: {@link THB_NOTIFY_PATHS},
 * {@link createThbNotificationHandlers}.
 */

import type { JwtGatewayCallback } from 'thaipay/jwt-gateway';
import {
  createThbWebhookHandler,
  type ThbCollectionNotification,
  type ThbPayoutNotification,
} from 'thaipay/thb-collect';

/** The receiver's configuration. */
export interface WebhookSettings {
  /** The JWT gateway API key; during a key rotation, `[newKey, oldKey]`. */
  gatewayApiKey: string | readonly string[];
  /** The THB collect merchant secret key (part of every sign string). */
  thbSecretKey: string;
  /** The THB collect platform public key (not your own key), PEM or bare Base64. */
  thbPlatformPublicKey: string;
  /**
   * Your code, called once per verified gateway callback (order + status). Make it idempotent anyway
   * (update the order only if it is still open), and throw to have the gateway send it again.
   */
  onGatewayCallback(callback: JwtGatewayCallback): unknown;
  /**
   * Your code, called once per verified THB notification (kind + orderId + orderNo + status). Its
   * `kind` is the one of the URL it arrived at. Throw to get a retry.
   */
  onThbNotification(notification: ThbCollectionNotification | ThbPayoutNotification): unknown;
}

/** One verified payment update, as the stand-in database below keeps it. */
export interface PaymentUpdate {
  provider: 'jwt-gateway' | 'thb-collect';
  /** Your order id (`agentOrderNo` / `orderId`). */
  orderId: string;
  /** The unified status: `succeeded`, `failed`, `expired`, `partially_paid`, ... */
  status: string;
  amountSatang: number;
}

/**
 * The stand-in for your order database: every update the default handlers received, oldest first.
 * In your app, `onGatewayCallback` / `onThbNotification` update your orders table instead.
 */
export const receivedPayments: PaymentUpdate[] = [];

/**
 * Where THB notifications of each kind arrive: give `notifyUrl: PUBLIC_URL + THB_NOTIFY_PATHS.collection`
 * to `createCollection` and `... + THB_NOTIFY_PATHS.payout` to `createPayout`.
 */
export const THB_NOTIFY_PATHS = Object.freeze({
  collection: '/callbacks/thb-collection',
  payout: '/callbacks/thb-payout',
} as const);

/** The Web-standard handler of one provider route. */
export type WebhookHandler = (request: Request) => Promise<Response>;

/**
 * One THB handler per kind, each told its kind (the notification itself cannot tell it), both calling
 * `settings.onThbNotification`. Mount `collection` at {@link THB_NOTIFY_PATHS}`.collection` and `payout`
 * at `.payout`.
 *
 * @example
 * ```ts
 * const thb = createThbNotificationHandlers(webhookSettingsFromEnv());
 * app.post(THB_NOTIFY_PATHS.payout, express.raw({ type: '*\/*' }), toNodeHandler(thb.payout));
 * ```
 */
export function createThbNotificationHandlers(
  settings: WebhookSettings,
  onError?: (error: unknown) => void,
): { collection: WebhookHandler; payout: WebhookHandler } {
  const keys = {
    secretKey: settings.thbSecretKey,
    platformPublicKey: settings.thbPlatformPublicKey,
    ...(onError ? { onError } : {}),
  };
  return {
    collection: createThbWebhookHandler({
      ...keys,
      kind: 'collection',
      onEvent: (notification) => settings.onThbNotification(notification),
    }),
    payout: createThbWebhookHandler({
      ...keys,
      kind: 'payout',
      onEvent: (notification) => settings.onThbNotification(notification),
    }),
  };
}

/** The environment variables a receiver reads; the names `thaipay sandbox` prints. */
export type WebhookEnv = Record<string, string | undefined>;

function required(env: WebhookEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Set ${name} (see examples/README.md).`);
  return value;
}

/**
 * Settings from `GATEWAY_API_KEY`, `THB_SECRET_KEY` and `THB_PLATFORM_PUBLIC_KEY`, with handlers that
 * record each update in {@link receivedPayments}. Workers pass their bindings as `env`.
 *
 * @example
 * ```ts
 * const server = createWebhookServer(webhookSettingsFromEnv());
 * ```
 */
export function webhookSettingsFromEnv(env: WebhookEnv = process.env): WebhookSettings {
  return {
    gatewayApiKey: required(env, 'GATEWAY_API_KEY'),
    thbSecretKey: required(env, 'THB_SECRET_KEY'),
    thbPlatformPublicKey: required(env, 'THB_PLATFORM_PUBLIC_KEY'),
    onGatewayCallback: (callback) => {
      receivedPayments.push({
        provider: 'jwt-gateway',
        orderId: callback.orderId,
        status: callback.status,
        amountSatang: callback.amountSatang,
      });
    },
    onThbNotification: (notification) => {
      receivedPayments.push({
        provider: 'thb-collect',
        orderId: notification.orderId,
        status: notification.status,
        amountSatang: notification.amountSatang,
      });
    },
  };
}
