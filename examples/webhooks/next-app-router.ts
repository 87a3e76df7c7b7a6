/**
 * Webhook receiver as a Next.js App Router route handler. Save it as
 * `app/callbacks/[provider]/route.ts`: JWT gateway callbacks then arrive at `/callbacks/gateway` and
 * THB collect notifications at `/callbacks/thb-collection` and `/callbacks/thb-payout` (one notify URL
 * per kind: a notification does not say which it is).
 *
 * Route handlers get the Web `Request` untouched, so the body reaches the verifier exactly as the
 * provider signed it; no body-parser setting is involved. The handlers are built on the first request,
 * not at import: `next build` loads route modules without your production secrets.
 */
import { createJwtGatewayWebhookHandler } from 'thaipay/jwt-gateway';
import { createThbNotificationHandlers, type WebhookHandler, webhookSettingsFromEnv } from './settings';

// Kept between requests, so the dedupe store (in memory here) remembers handled messages.
let handlers: Map<string, WebhookHandler> | undefined;

function webhookHandlers(): Map<string, WebhookHandler> {
  if (!handlers) {
    // GATEWAY_API_KEY, THB_SECRET_KEY, THB_PLATFORM_PUBLIC_KEY; the updates go to your database.
    const settings = webhookSettingsFromEnv();
    const thb = createThbNotificationHandlers(settings);
    handlers = new Map([
      [
        'gateway',
        createJwtGatewayWebhookHandler({
          apiKey: settings.gatewayApiKey,
          // Refuse callbacks older (or newer) than 10 minutes: a captured one cannot be replayed later.
          toleranceSeconds: 600,
          onEvent: (callback) => settings.onGatewayCallback(callback),
        }),
      ],
      ['thb-collection', thb.collection],
      ['thb-payout', thb.payout],
    ]);
  }
  return handlers;
}

/** `POST /callbacks/[provider]`. Next.js 15 passes the route's params as a promise. */
export const POST = async (
  request: Request,
  context: { params: Promise<{ provider: string }> },
): Promise<Response> => {
  const { provider } = await context.params;
  const handler = webhookHandlers().get(provider);
  if (!handler) return new Response('not found', { status: 404 });
  return handler(request);
};
