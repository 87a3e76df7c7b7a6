/**
 * Webhook receiver on Express 5: JWT gateway callbacks at `/callbacks/gateway`, THB collect
 * notifications at `/callbacks/thb-collection` and `/callbacks/thb-payout` (one notify URL per kind).
 *
 * The one thing to get right: the handlers verify the body the provider signed, so these routes take
 * the raw body (`express.raw`), never `express.json()`. Mount them before any global JSON parser, or
 * keep that parser off these paths.
 *
 * Run it (after `npm run build`, with the variables `thaipay sandbox` prints):
 * `node --import tsx examples/webhooks/express.ts`
 */
import { pathToFileURL } from 'node:url';
import express, { type Express } from 'express';
import { createJwtGatewayWebhookHandler, toNodeHandler } from 'thaipay/jwt-gateway';
import {
  createThbNotificationHandlers,
  THB_NOTIFY_PATHS,
  type WebhookSettings,
  webhookSettingsFromEnv,
} from './settings';

/**
 * An Express app with both webhook routes.
 *
 * @example
 * ```ts
 * createExpressApp(webhookSettingsFromEnv()).listen(3000);
 * ```
 */
export function createExpressApp(settings: WebhookSettings): Express {
  const gateway = createJwtGatewayWebhookHandler({
    apiKey: settings.gatewayApiKey,
    // Refuse callbacks older (or newer) than 10 minutes: a captured callback cannot be replayed later.
    toleranceSeconds: 600,
    onEvent: (callback) => settings.onGatewayCallback(callback),
    // Why a message was refused or failed, for your logs (the HTTP answer says little, on purpose).
    onError: (error) => console.warn('gateway callback refused:', String(error)),
  });
  // One handler per kind, each at the notifyUrl its orders were created with.
  const thb = createThbNotificationHandlers(settings, (error) =>
    console.warn('THB notification refused:', String(error)),
  );

  const app = express();
  // `type: '*/*'`: THB collect does not document its content type (JSON or form); take the bytes either way.
  const rawBody = express.raw({ type: '*/*', limit: '64kb' });
  app.post('/callbacks/gateway', rawBody, toNodeHandler(gateway));
  app.post(THB_NOTIFY_PATHS.collection, rawBody, toNodeHandler(thb.collection));
  app.post(THB_NOTIFY_PATHS.payout, rawBody, toNodeHandler(thb.payout));
  // The rest of your app can parse JSON as usual.
  app.use(express.json());
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  createExpressApp(webhookSettingsFromEnv()).listen(port, () => {
    console.log(
      `Webhooks on http://localhost:${port}/callbacks/gateway, /callbacks/thb-collection and /callbacks/thb-payout`,
    );
  });
}
