/**
 * Webhook receiver on plain `node:http`: JWT gateway callbacks at `/callbacks/gateway`, THB collect
 * notifications at `/callbacks/thb-collection` and `/callbacks/thb-payout` (one notify URL per kind).
 * `toNodeHandler` reads the raw body from the request stream, with a size limit and a read deadline, and
 * writes the provider's expected answer.
 *
 * Run it (after `npm run build`, with the variables `thaipay sandbox` prints):
 * `node --import tsx examples/webhooks/node-http.ts`
 */
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createJwtGatewayWebhookHandler, toNodeHandler } from 'thaipay/jwt-gateway';
import {
  createThbNotificationHandlers,
  THB_NOTIFY_PATHS,
  type WebhookSettings,
  webhookSettingsFromEnv,
} from './settings';

/**
 * An HTTP server with both webhook routes (not listening yet).
 *
 * @example
 * ```ts
 * createWebhookServer(webhookSettingsFromEnv()).listen(3000);
 * ```
 */
export function createWebhookServer(settings: WebhookSettings): Server {
  const thb = createThbNotificationHandlers(settings);
  const routes = new Map([
    [
      '/callbacks/gateway',
      toNodeHandler(
        createJwtGatewayWebhookHandler({
          apiKey: settings.gatewayApiKey,
          // Refuse callbacks older (or newer) than 10 minutes: a captured one cannot be replayed later.
          toleranceSeconds: 600,
          onEvent: (callback) => settings.onGatewayCallback(callback),
        }),
      ),
    ],
    // A body that trickles in is cut off after 10 s (bodyTimeoutMs), so it cannot hold the server.
    [THB_NOTIFY_PATHS.collection, toNodeHandler(thb.collection, { bodyTimeoutMs: 10_000 })],
    [THB_NOTIFY_PATHS.payout, toNodeHandler(thb.payout, { bodyTimeoutMs: 10_000 })],
  ]);

  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handle = routes.get(path);
    if (!handle) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    // The handler answers every request itself (405 for a GET, 400 for a forged body, ...).
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  createWebhookServer(webhookSettingsFromEnv()).listen(port, () => {
    console.log(
      `Webhooks on http://localhost:${port}/callbacks/gateway, /callbacks/thb-collection and /callbacks/thb-payout`,
    );
  });
}
