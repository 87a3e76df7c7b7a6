/**
 * Webhook receiver on Hono, deployed Worker-style (Cloudflare Workers and other fetch-based runtimes):
 * JWT gateway callbacks at `/callbacks/gateway`, THB collect notifications at `/callbacks/thb`.
 *
 * The handlers take a Web `Request` and return a `Response`, so `c.req.raw` (the untouched request) is
 * all they need. A Worker gets its secrets as bindings (`c.env`), not from `process.env`: the handlers
 * are built on the first request and kept for the isolate's life, with their dedupe store.
 * Several isolates do not share that store: give the handlers a shared `store` (a
 * `WebhookDedupeStore` on KV or a Durable Object) if a duplicate must never reach your code twice.
 */
import { Hono } from 'hono';
import { createJwtGatewayWebhookHandler } from 'thaipay/jwt-gateway';
import { createThbWebhookHandler } from 'thaipay/thb-collect';
import { type WebhookSettings, webhookSettingsFromEnv } from './settings';

/** The Worker's bindings: set them with `wrangler secret put GATEWAY_API_KEY` and so on. */
export type WorkerBindings = {
  GATEWAY_API_KEY: string;
  THB_SECRET_KEY: string;
  THB_PLATFORM_PUBLIC_KEY: string;
};

type WebhookHandler = (request: Request) => Promise<Response>;

/**
 * A Hono app with both webhook routes; `settingsFor` turns the bindings into settings.
 *
 * @example
 * ```ts
 * const app = createHonoApp();
 * export default { fetch: app.fetch };
 * ```
 */
export function createHonoApp(
  settingsFor: (env: WorkerBindings) => WebhookSettings = webhookSettingsFromEnv,
): Hono<{ Bindings: WorkerBindings }> {
  let handlers: { gateway: WebhookHandler; thb: WebhookHandler } | undefined;
  const handlersFor = (env: WorkerBindings) => {
    if (!handlers) {
      const settings = settingsFor(env);
      handlers = {
        gateway: createJwtGatewayWebhookHandler({
          apiKey: settings.gatewayApiKey,
          // Refuse callbacks older (or newer) than 10 minutes: a captured one cannot be replayed later.
          toleranceSeconds: 600,
          onEvent: (callback) => settings.onGatewayCallback(callback),
        }),
        thb: createThbWebhookHandler({
          secretKey: settings.thbSecretKey,
          platformPublicKey: settings.thbPlatformPublicKey,
          onEvent: (notification) => settings.onThbNotification(notification),
        }),
      };
    }
    return handlers;
  };

  const app = new Hono<{ Bindings: WorkerBindings }>();
  app.post('/callbacks/gateway', (c) => handlersFor(c.env).gateway(c.req.raw));
  app.post('/callbacks/thb', (c) => handlersFor(c.env).thb(c.req.raw));
  return app;
}

/** The app the Worker serves. */
export const app = createHonoApp();

// Workers look for a default export with a `fetch` method.
export default { fetch: app.fetch };
