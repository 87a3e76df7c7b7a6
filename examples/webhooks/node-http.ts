/**
 * Webhook receiver on plain `node:http`: JWT gateway callbacks at `/callbacks/gateway`, THB collect
 * notifications at `/callbacks/thb`. `toNodeHandler` reads the raw body from the request stream, with
 * a size limit, and writes the provider's expected answer.
 *
 * Run it (after `npm run build`, with the variables `thaipay sandbox` prints):
 * `node --import tsx examples/webhooks/node-http.ts`
 */
import { createServer, type Server } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createJwtGatewayWebhookHandler, toNodeHandler } from 'thaipay/jwt-gateway';
import { createThbWebhookHandler } from 'thaipay/thb-collect';
import { type WebhookSettings, webhookSettingsFromEnv } from './settings';

/**
 * An HTTP server with both webhook routes (not listening yet).
 *
 * @example
 * ```ts
 * createWebhookServer(webhookSettingsFromEnv()).listen(3000);
 * ```
 */
export function createWebhookServer(settings: WebhookSettings): Server {
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
    [
      '/callbacks/thb',
      toNodeHandler(
        createThbWebhookHandler({
          secretKey: settings.thbSecretKey,
          platformPublicKey: settings.thbPlatformPublicKey,
          onEvent: (notification) => settings.onThbNotification(notification),
        }),
      ),
    ],
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
    console.log(`Webhooks on http://localhost:${port}/callbacks/gateway and /callbacks/thb`);
  });
}
