/**
 * Webhook deliveries traced with a real OpenTelemetry SDK: one server span per delivery whose
 * `thaipay.webhook.outcome` tells handled, duplicate, refused, in-flight and failed apart, with the
 * event's order and status and never its signature.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createJwtGatewayWebhookHandler } from '../../src/jwt-gateway';
import { createThaipayTracing, type ThaipayTracing } from '../../src/otel';
import { createThbWebhookHandler } from '../../src/thb-collect';
import {
  JWT_API_KEY,
  jwtCallbackFields,
  jwtSigned,
  THB_PLATFORM,
  THB_SECRET_KEY,
  thbNotificationFields,
  thbSigned,
  webhookRequest,
} from '../faults/webhook-fixtures';
import { installSdk, shape } from './helpers';

let sdk: ReturnType<typeof installSdk>;
let tracing: ThaipayTracing;

beforeAll(() => {
  sdk = installSdk();
  tracing = createThaipayTracing({ tracer: sdk.tracer });
});
afterAll(async () => {
  await sdk?.uninstall();
});
beforeEach(() => sdk.exporter.reset());

const spans = () => sdk.exporter.getFinishedSpans().map(shape);

function gatewayHandler(onEvent: () => void | Promise<void> = () => undefined) {
  const errors: unknown[] = [];
  const handler = tracing.traceWebhookHandler(
    createJwtGatewayWebhookHandler({
      apiKey: JWT_API_KEY,
      onEvent: tracing.traceOnEvent(async () => onEvent()),
      onError: tracing.traceOnError((error) => errors.push(error)),
    }),
    { provider: 'jwt-gateway' },
  );
  return { handler, errors };
}

const callback = (orderNo: string) =>
  JSON.stringify(jwtSigned(jwtCallbackFields({ order_no: orderNo, agent_order_no: `merchant-${orderNo}` })));

const delivery = {
  'http.request.method': 'POST',
  'url.path': '/webhooks',
  'url.scheme': 'https',
};

describe('webhook deliveries', () => {
  it('handled, then duplicate: the event names its order and status', async () => {
    const { handler } = gatewayHandler();
    const body = callback('DP100');
    expect((await handler(webhookRequest(body))).status).toBe(200);
    expect((await handler(webhookRequest(body))).status).toBe(200);
    const event = {
      'thaipay.order_id': 'merchant-DP100',
      'thaipay.provider_order_id': 'DP100',
      'thaipay.status': 'succeeded',
      'thaipay.provider_status': 'completed',
      'thaipay.event_kind': 'deposit',
    };
    expect(spans()).toStrictEqual([
      {
        name: 'jwt-gateway.webhook',
        kind: SpanKind.SERVER,
        status: SpanStatusCode.UNSET,
        attributes: {
          'thaipay.provider': 'jwt-gateway',
          ...delivery,
          ...event,
          'http.response.status_code': 200,
          'thaipay.webhook.outcome': 'handled',
        },
        events: [],
      },
      {
        name: 'jwt-gateway.webhook',
        kind: SpanKind.SERVER,
        status: SpanStatusCode.UNSET,
        attributes: {
          'thaipay.provider': 'jwt-gateway',
          ...delivery,
          'http.response.status_code': 200,
          'thaipay.webhook.outcome': 'duplicate',
        },
        events: [],
      },
    ]);
  });

  it('refused: the verification error code, and nothing from the forged body', async () => {
    const { handler, errors } = gatewayHandler();
    const forged = JSON.stringify({ ...JSON.parse(callback('DP200')), amount: 1 });
    expect((await handler(webhookRequest(forged))).status).toBe(400);
    const code = (errors[0] as { code: string }).code;
    const [span] = spans();
    expect(span?.attributes).toStrictEqual({
      'thaipay.provider': 'jwt-gateway',
      ...delivery,
      'error.type': code,
      'thaipay.error_code': code,
      'http.response.status_code': 400,
      'thaipay.webhook.outcome': 'refused',
    });
    expect(span?.status).toBe(SpanStatusCode.UNSET);
    expect(span?.events.map((e) => e.name)).toStrictEqual(['exception']);
    expect(
      JSON.stringify(sdk.exporter.getFinishedSpans().map((s) => [s.attributes, s.events])),
    ).not.toContain('eyJ');
  });

  it('failed (onEvent threw) and in flight (a duplicate during onEvent) are errors and retries', async () => {
    let release!: () => void;
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const { handler } = gatewayHandler(async () => {
      calls += 1;
      if (calls === 1) throw new Error('merchant bug');
      entered();
      await gate;
    });
    const body = callback('DP300');
    expect((await handler(webhookRequest(body))).status).toBe(500);
    const first = handler(webhookRequest(body));
    await inside;
    expect((await handler(webhookRequest(body))).status).toBe(503);
    release();
    expect((await first).status).toBe(200);
    expect(
      spans().map((s) => [s.attributes['thaipay.webhook.outcome'], s.status, s.attributes['error.type']]),
    ).toStrictEqual([
      ['failed', SpanStatusCode.ERROR, 'Error'],
      ['in_flight', SpanStatusCode.ERROR, '503'],
      ['handled', SpanStatusCode.UNSET, undefined],
    ]);
  });

  it('THB collect notifications too, with the configured kind', async () => {
    const handler = tracing.traceWebhookHandler(
      createThbWebhookHandler({
        secretKey: THB_SECRET_KEY,
        platformPublicKey: THB_PLATFORM.publicPem,
        kind: 'collection',
        onEvent: tracing.traceOnEvent(() => undefined),
      }),
      { provider: 'thb-collect' },
    );
    const fields = thbSigned(thbNotificationFields({ orderId: 'M900', orderNo: '6000900' }));
    const response = await handler(webhookRequest(JSON.stringify(fields)));
    expect(await response.text()).toBe('SUCCESS');
    const [span] = spans();
    expect(span?.name).toBe('thb-collect.webhook');
    expect(span?.attributes).toStrictEqual({
      'thaipay.provider': 'thb-collect',
      ...delivery,
      'thaipay.order_id': 'M900',
      'thaipay.provider_order_id': '6000900',
      'thaipay.status': 'succeeded',
      'thaipay.provider_status': '2',
      'thaipay.event_kind': 'collection',
      'http.response.status_code': 200,
      'thaipay.webhook.outcome': 'handled',
    });
    expect(JSON.stringify(span)).not.toContain(String(fields.sign).slice(0, 20));
    expect(JSON.stringify(span)).not.toContain(THB_SECRET_KEY);
  });
});
