/**
 * Webhook receiver on Hono, deployed Worker-style (Cloudflare Workers and other fetch-based runtimes):
 * JWT gateway callbacks at `/callbacks/gateway`, THB collect notifications at `/callbacks/thb-collection`
 * and `/callbacks/thb-payout` (one notify URL per kind: a notification does not say which it is).
 *
 * The handlers take a Web `Request` and return a `Response`, so `c.req.raw` (the untouched request) is
 * all they need. A Worker gets its secrets as bindings (`c.env`), not from `process.env`: the handlers
 * are built on the first request and kept for the isolate's life, with their dedupe store.
 * Several isolates do not share that store: give the handlers a shared `store` (a
 * `WebhookDedupeStore` on KV or a Durable Object) if a duplicate must never reach your code twice.
 */
import { Hono } from 'hono';
import { createJwtGatewayWebhookHandler } from 'thaipay/jwt-gateway';
import {
  createThbNotificationHandlers,
  THB_NOTIFY_PATHS,
  type WebhookHandler,
  type WebhookSettings,
  webhookSettingsFromEnv,
} from './settings';

/** The Worker's bindings: set them with `wrangler secret put GATEWAY_API_KEY` and so on. */
export type WorkerBindings = {
  GATEWAY_API_KEY: string;
  THB_SECRET_KEY: string;
  THB_PLATFORM_PUBLIC_KEY: string;
};

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
  let handlers:
    | { gateway: WebhookHandler; thbCollection: WebhookHandler; thbPayout: WebhookHandler }
    | undefined;
  const handlersFor = (env: WorkerBindings) => {
    if (!handlers) {
      const settings = settingsFor(env);
      const thb = createThbNotificationHandlers(settings);
      handlers = {
        gateway: createJwtGatewayWebhookHandler({
          apiKey: settings.gatewayApiKey,
          // Refuse callbacks older (or newer) than 10 minutes: a captured one cannot be replayed later.
          toleranceSeconds: 600,
          onEvent: (callback) => settings.onGatewayCallback(callback),
        }),
        thbCollection: thb.collection,
        thbPayout: thb.payout,
      };
    }
    return handlers;
  };

  const app = new Hono<{ Bindings: WorkerBindings }>();
  app.post('/callbacks/gateway', (c) => handlersFor(c.env).gateway(c.req.raw));
  app.post(THB_NOTIFY_PATHS.collection, (c) => handlersFor(c.env).thbCollection(c.req.raw));
  app.post(THB_NOTIFY_PATHS.payout, (c) => handlersFor(c.env).thbPayout(c.req.raw));
  return app;
}

/** The app the Worker serves. */
export const app = createHonoApp();

// Workers look for a default export with a `fetch` method.
export default { fetch: app.fetch };
