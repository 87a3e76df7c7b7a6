/**
 * Webhook receiver on Fastify 5: JWT gateway callbacks at `/callbacks/gateway`, THB collect
 * notifications at `/callbacks/thb-collection` and `/callbacks/thb-payout` (one notify URL per kind).
 *
 * The handlers verify the body the provider signed, so Fastify must not parse it. The routes live in
 * their own plugin whose content-type parser leaves the body unread; the route hands the untouched Node
 * request to `toNodeHandler` and takes over the reply (`reply.hijack()`). The rest of the app keeps
 * Fastify's JSON parsing.
 *
 * Run it (after `npm run build`, with the variables `thaipay sandbox` prints):
 * `node --import tsx examples/webhooks/fastify.ts`
 */
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { createJwtGatewayWebhookHandler, toNodeHandler } from 'thaipay/jwt-gateway';
import {
  createThbNotificationHandlers,
  THB_NOTIFY_PATHS,
  type WebhookSettings,
  webhookSettingsFromEnv,
} from './settings';

/**
 * A Fastify app with both webhook routes.
 *
 * @example
 * ```ts
 * await createFastifyApp(webhookSettingsFromEnv()).listen({ port: 3000 });
 * ```
 */
export function createFastifyApp(settings: WebhookSettings): FastifyInstance {
  const gateway = toNodeHandler(
    createJwtGatewayWebhookHandler({
      apiKey: settings.gatewayApiKey,
      // Refuse callbacks older (or newer) than 10 minutes: a captured callback cannot be replayed later.
      toleranceSeconds: 600,
      onEvent: (callback) => settings.onGatewayCallback(callback),
    }),
  );
  // One THB handler per kind, each at the notifyUrl its orders were created with.
  const thb = createThbNotificationHandlers(settings);
  const thbCollection = toNodeHandler(thb.collection);
  const thbPayout = toNodeHandler(thb.payout);

  const app = Fastify();
  // A plugin is encapsulated: the parser change below applies to these routes only.
  app.register(async (webhooks) => {
    webhooks.removeAllContentTypeParsers();
    // Accept any content type (THB collect sends JSON or form) and leave the stream for toNodeHandler.
    webhooks.addContentTypeParser('*', (_request, _payload, done) => done(null));
    webhooks.post('/callbacks/gateway', async (request, reply) => {
      reply.hijack();
      await gateway(request.raw, reply.raw);
    });
    webhooks.post(THB_NOTIFY_PATHS.collection, async (request, reply) => {
      reply.hijack();
      await thbCollection(request.raw, reply.raw);
    });
    webhooks.post(THB_NOTIFY_PATHS.payout, async (request, reply) => {
      reply.hijack();
      await thbPayout(request.raw, reply.raw);
    });
  });
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  const app = createFastifyApp(webhookSettingsFromEnv());
  await app.listen({ port });
  console.log(
    `Webhooks on http://localhost:${port}/callbacks/gateway, /callbacks/thb-collection and /callbacks/thb-payout`,
  );
}
