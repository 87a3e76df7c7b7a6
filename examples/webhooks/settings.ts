/**
 * What every webhook receiver example needs: the keys that verify each provider's messages, and your
 * code to run once per verified message. The framework files (express.ts, fastify.ts, node-http.ts,
 * hono-worker.ts, next-app-router.ts) differ only in how they hand the raw request to the handlers.
 */
import type { JwtGatewayCallback } from 'thaipay/jwt-gateway';
import type { ThbNotification } from 'thaipay/thb-collect';

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
  /** Your code, called once per verified THB notification (kind + orderId + status). Throw to get a retry. */
  onThbNotification(notification: ThbNotification): unknown;
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
        orderId: callback.agentOrderNo,
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
