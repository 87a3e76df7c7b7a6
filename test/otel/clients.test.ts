/**
 * Client calls traced with a real OpenTelemetry SDK (in-memory exporter) against the sandbox: one span
 * per call, each HTTP attempt an event, order ids and statuses as `thaipay.*`, and no secret anywhere.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JwtGatewayClient } from '../../src/jwt-gateway';
import { createThaipayTracing, type ThaipayTracing } from '../../src/otel';
import { scrubUrl } from '../../src/otel/attributes';
import { createSandbox, type Sandbox } from '../../src/testing';
import { ThbCollectClient } from '../../src/thb-collect';
import { collectionInput, depositInput } from '../examples/helpers';
import { SANDBOX_KEYS } from '../sandbox-keys';
import { installSdk, shape } from './helpers';

let sdk: ReturnType<typeof installSdk>;
let sandbox: Sandbox;
let tracing: ThaipayTracing;

beforeAll(async () => {
  sdk = installSdk();
  sandbox = await createSandbox({ thbCollect: SANDBOX_KEYS });
  tracing = createThaipayTracing({ tracer: sdk.tracer });
});

afterAll(async () => {
  await sandbox?.close();
  await sdk?.uninstall();
});

beforeEach(() => sdk.exporter.reset());

const gateway = () =>
  tracing.traceClient(
    new JwtGatewayClient({
      ...sandbox.jwtGateway,
      timeoutMs: 5_000,
      resendDelayMs: 10,
      hooks: tracing.hooks,
    }),
  );
const thb = () =>
  tracing.traceClient(
    new ThbCollectClient({
      appId: sandbox.thbCollect.appId,
      secretKey: sandbox.thbCollect.secretKey,
      privateKey: sandbox.thbCollect.merchantPrivateKey as string,
      platformPublicKey: sandbox.thbCollect.platformPublicKey,
      baseUrl: sandbox.thbCollect.baseUrl,
      timeoutMs: 5_000,
      hooks: tracing.hooks,
    }),
  );

const spans = () => sdk.exporter.getFinishedSpans().map(shape);
const server = () => new URL(sandbox.jwtGateway.baseUrl);

describe('client calls', () => {
  it('a read retried after a 503: one span, both attempts as events', async () => {
    sandbox.injectFault('jwt:balance', '5xx', { status: 503, times: 1 });
    await gateway().getBalance();
    const url = `${sandbox.jwtGateway.baseUrl}/balance`;
    const http = {
      'http.request.method': 'POST',
      'url.full': url,
      'server.address': server().hostname,
      'server.port': Number(server().port),
    };
    expect(spans()).toStrictEqual([
      {
        name: 'jwt-gateway.getBalance',
        kind: SpanKind.CLIENT,
        status: SpanStatusCode.UNSET,
        attributes: {
          'thaipay.provider': 'jwt-gateway',
          'thaipay.operation': 'getBalance',
          ...http,
          'http.request.resend_count': 1,
          'http.response.status_code': 200,
        },
        events: [
          {
            name: 'thaipay.attempt',
            attributes: {
              'thaipay.attempt': 1,
              'thaipay.duration_ms': 'number',
              ...http,
              'http.request.resend_count': 0,
              'http.response.status_code': 503,
              'error.type': '503',
            },
          },
          {
            name: 'thaipay.attempt',
            attributes: {
              'thaipay.attempt': 2,
              'thaipay.duration_ms': 'number',
              ...http,
              'http.request.resend_count': 1,
              'http.response.status_code': 200,
            },
          },
        ],
      },
    ]);
  });

  it('a create: the merchant order id from the input, the provider order id and status from the answer', async () => {
    const input = depositInput('https://shop.example/callbacks/gateway');
    const deposit = await gateway().createDeposit(input);
    const [span] = spans();
    expect(span?.name).toBe('jwt-gateway.createDeposit');
    expect(span?.attributes).toStrictEqual({
      'thaipay.provider': 'jwt-gateway',
      'thaipay.operation': 'createDeposit',
      'thaipay.order_id': input.transactionId,
      'thaipay.provider_order_id': deposit.orderNo,
      'thaipay.status': 'pending',
      'thaipay.provider_status': deposit.providerStatus,
      'thaipay.reconciled': false,
      'http.request.method': 'POST',
      'url.full': `${sandbox.jwtGateway.baseUrl}/deposit`,
      'server.address': server().hostname,
      'server.port': Number(server().port),
      'http.request.resend_count': 0,
      'http.response.status_code': 200,
    });
    expect(span?.events.map((e) => e.attributes['thaipay.attempt'])).toStrictEqual([1]);
  });

  it('a create whose answer was lost: every step of the reconciliation is an event, and reconciled is true', async () => {
    sandbox.injectFault('jwt:deposit', 'lost-response', { times: 1 });
    const input = depositInput('https://shop.example/callbacks/gateway');
    const deposit = await gateway().createDeposit(input);
    expect(deposit.reconciled).toBe(true);
    const [span] = spans();
    expect(span?.attributes['thaipay.reconciled']).toBe(true);
    expect(span?.attributes['thaipay.order_id']).toBe(input.transactionId);
    expect(span?.status).toBe(SpanStatusCode.UNSET);
    const steps = span?.events.map((e) => [
      e.attributes['url.full'],
      e.attributes['http.response.status_code'] ?? e.attributes['error.type'],
    ]);
    // The lost attempt, then whatever the reconciliation sent (a re-send answered as a duplicate, a query).
    expect(steps?.[0]).toStrictEqual([`${sandbox.jwtGateway.baseUrl}/deposit`, expect.any(String)]);
    expect(steps?.length).toBeGreaterThan(1);
    expect(steps?.at(-1)?.[1]).toBe(200);
  });

  it('a failed call: error status, the error code as error.type, and the scrubbed message as an exception', async () => {
    const error = await gateway()
      .getOrder({ agentOrderNo: 'no-such-order' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    const [span] = spans();
    expect(span?.name).toBe('jwt-gateway.getOrder');
    expect(span?.status).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['thaipay.order_id']).toBe('no-such-order');
    expect(span?.attributes['error.type']).toBe((error as { code: string }).code);
    expect(span?.attributes['thaipay.error_code']).toBe((error as { code: string }).code);
    expect(span?.events.at(-1)).toStrictEqual({
      name: 'exception',
      attributes: {
        'exception.type': (error as Error).name,
        'exception.message': (error as Error).message,
      },
    });
  });

  it('THB collect: a collection and its query, one span each', async () => {
    const client = thb();
    const input = collectionInput('https://shop.example/callbacks/thb');
    const created = await client.createCollection(input);
    const queried = await client.getCollection({ orderId: input.orderId });
    const [create, query] = spans();
    expect([create?.name, query?.name]).toStrictEqual([
      'thb-collect.createCollection',
      'thb-collect.getCollection',
    ]);
    expect(create?.attributes['thaipay.order_id']).toBe(input.orderId);
    expect(create?.attributes['thaipay.provider_order_id']).toBe(created.orderNo);
    expect(query?.attributes['thaipay.order_id']).toBe(input.orderId);
    expect(query?.attributes['thaipay.status']).toBe(queried.status);
    expect(query?.attributes['thaipay.provider_order_id']).toBe(created.orderNo);
  });

  it('hooks alone, outside a traced call: each attempt is a client span of its own', async () => {
    const plain = new JwtGatewayClient({ ...sandbox.jwtGateway, timeoutMs: 5_000, hooks: tracing.hooks });
    await plain.getBalance();
    expect(spans()).toStrictEqual([
      {
        name: 'POST',
        kind: SpanKind.CLIENT,
        status: SpanStatusCode.UNSET,
        attributes: {
          'http.request.method': 'POST',
          'url.full': `${sandbox.jwtGateway.baseUrl}/balance`,
          'server.address': server().hostname,
          'server.port': Number(server().port),
          'http.request.resend_count': 0,
          'http.response.status_code': 200,
          'thaipay.attempt': 1,
        },
        events: [],
      },
    ]);
  });

  it('only async calls are traced; helpers, toJSON and inspection are not', () => {
    const client = gateway();
    JSON.stringify(client);
    String(client);
    expect(spans()).toStrictEqual([]);
    expect(() => tracing.traceClient({ not: 'a client' })).toThrow(/provider/);
  });

  it('no secret reaches any span: not the API key, the secret key, the private key or a signature', async () => {
    sandbox.injectFault('jwt:balance', '5xx', { status: 500, times: 1 });
    await gateway().getBalance();
    await gateway().createDeposit(depositInput('https://shop.example/cb'));
    await gateway()
      .getOrder({ agentOrderNo: 'missing' })
      .catch(() => undefined);
    await thb().createCollection(collectionInput('https://shop.example/cb'));
    const text = JSON.stringify(sdk.exporter.getFinishedSpans().map((s) => [s.name, s.attributes, s.events]));
    expect(text.length).toBeGreaterThan(1000);
    const privateKey = (sandbox.thbCollect.merchantPrivateKey as string).replace(/-----[^-]+-----|\s/g, '');
    for (const secret of [
      sandbox.jwtGateway.apiKey,
      sandbox.thbCollect.secretKey,
      privateKey.slice(40, 80),
      'signature',
      'sign',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('scrubUrl', () => {
  it('drops user info and fragments and redacts every query value', () => {
    expect(scrubUrl('https://user:pass@gw.example/api/v1/order?order_no=DP1&sign=abc#x')).toBe(
      'https://gw.example/api/v1/order?order_no=REDACTED&sign=REDACTED',
    );
    expect(scrubUrl('http://127.0.0.1:4010/api/v1/balance')).toBe('http://127.0.0.1:4010/api/v1/balance');
    expect(scrubUrl('not a url')).toBeUndefined();
  });
});
