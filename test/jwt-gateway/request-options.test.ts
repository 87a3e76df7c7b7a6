/**
 * Per-call RequestOptions on both clients, against a real loopback server that holds each request open.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, expectTypeOf, it } from 'vitest';
import { InvalidRequestError, ThaiPayError, TimeoutError } from '../../src/core/errors';
import type { RequestOptions } from '../../src/core/request-options';
import type * as root from '../../src/index';
import { JwtGatewayClient } from '../../src/jwt-gateway/client';
import * as jwtEntry from '../../src/jwt-gateway/index';
import { ThbCollectClient } from '../../src/thb-collect/client';
import type * as thbEntry from '../../src/thb-collect/index';
import { MERCHANT_PRIVATE_PEM, PLATFORM, SECRET_KEY } from '../thb-collect/helpers';

let server: Server;
let baseUrl: string;
/** Resolvers of "the server has the request"; each test takes the next one. */
let arrived: Array<(path: string) => void> = [];
const held: ServerResponse[] = [];

function nextArrival(): Promise<string> {
  return new Promise((resolve) => arrived.push(resolve));
}

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    // Read the whole body, then never answer: a provider slower than any timeout in these tests.
    request.resume();
    request.on('end', () => {
      held.push(response);
      arrived.shift()?.(request.url ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  arrived = [];
});

afterAll(async () => {
  for (const response of held) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const gateway = () =>
  new JwtGatewayClient({
    baseUrl,
    merchantId: 'M1',
    apiKey: 'TEST-ONLY-api-key-9f8e7d6c',
    allowInsecureHttp: true,
    timeoutMs: 10 * 60_000,
    maxRetries: 0,
    resendDelayMs: 0,
  });

const thb = () =>
  new ThbCollectClient({
    baseUrl,
    appId: 1001,
    secretKey: SECRET_KEY,
    privateKey: MERCHANT_PRIVATE_PEM,
    platformPublicKey: PLATFORM.publicPem,
    allowInsecureHttp: true,
    timeoutMs: 10 * 60_000,
    maxRetries: 0,
  });

const deposit = {
  transactionId: 'T-abort-1',
  bankAccountNumber: '1234567890',
  bankName: 'KBANK',
  name: 'John Doe',
  amount: '100.00',
  callbackUrl: 'https://shop.test/callback',
  type: 'QR' as const,
};

async function abortedWhileHeld<T>(call: (signal: AbortSignal) => Promise<T>): Promise<unknown> {
  const controller = new AbortController();
  const there = nextArrival();
  const pending = call(controller.signal).catch((e: unknown) => e);
  await there;
  controller.abort(new Error('user left the page'));
  return pending;
}

describe('RequestOptions on JwtGatewayClient', () => {
  it('a signal aborts a read mid-call: code aborted', async () => {
    const gw = gateway();
    const error = await abortedWhileHeld((signal) => gw.getOrder({ agentOrderNo: 'A-1' }, { signal }));
    expect(error).toBeInstanceOf(ThaiPayError);
    expect((error as ThaiPayError).code).toBe('aborted');
    await gw.close();
  });

  it('a signal aborts a create mid-call: code aborted, not re-sent, not reconciled', async () => {
    const gw = gateway();
    const error = await abortedWhileHeld((signal) => gw.createDeposit(deposit, { signal }));
    expect(error).toBeInstanceOf(ThaiPayError);
    expect((error as ThaiPayError).code).toBe('aborted');
    expect((error as ThaiPayError).message).toMatch(/may or may not have reached the provider/);
    await gw.close();
  });

  const calls: Array<[string, (gw: JwtGatewayClient, o: RequestOptions) => Promise<unknown>]> = [
    ['getBalance', (gw: JwtGatewayClient, o: RequestOptions) => gw.getBalance(o)],
    ['listBanks', (gw: JwtGatewayClient, o: RequestOptions) => gw.listBanks(o)],
    ['health', (gw: JwtGatewayClient, o: RequestOptions) => gw.health(o)],
    ['signParams', (gw: JwtGatewayClient, o: RequestOptions) => gw.signParams({ a: 1 }, o)],
    [
      'createWithdrawal',
      (gw: JwtGatewayClient, o: RequestOptions) =>
        gw.createWithdrawal(
          {
            agentOrderNo: 'W-abort-1',
            amount: '100.00',
            bankCode: 'SCB',
            accountNo: '1234567890',
            accountName: 'John Doe',
            callbackUrl: 'https://shop.test/cb',
          },
          o,
        ),
    ],
  ];
  it.each(calls)('%s takes a signal too', async (_name, call) => {
    const gw = gateway();
    const error = await abortedWhileHeld((signal) => call(gw, { signal }));
    expect((error as ThaiPayError).code).toBe('aborted');
    await gw.close();
  });

  it("a per-call timeoutMs shorter than the client's gives a TimeoutError naming it", async () => {
    const gw = gateway();
    const error = await gw.getBalance({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).code).toBe('timeout');
    expect((error as TimeoutError).message).toMatch(/per-attempt timeout of 50 ms/);
    await gw.close();
  });

  it.each([[Number.NaN], [0], [-5], [Number.POSITIVE_INFINITY], ['100']])(
    'refuses timeoutMs %s before sending, naming it with the input fields',
    async (timeoutMs) => {
      const gw = gateway();
      const error = await gw
        .createDeposit({ ...deposit, amount: '-1' }, { timeoutMs: timeoutMs as number })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidRequestError);
      const fields = (error as InvalidRequestError).issues.map((i) => i.field);
      expect(fields).toContain('timeoutMs');
      expect(fields).toContain('amount');
      await expect(gw.getBalance({ timeoutMs: timeoutMs as number })).rejects.toMatchObject({
        code: 'invalid_request',
        issues: [
          {
            field: 'timeoutMs',
            rule: 'must be a finite number of milliseconds, more than 0 and at most 600000',
          },
        ],
      });
      await gw.close();
    },
  );

  it('refuses a signal that is not an AbortSignal', async () => {
    const gw = gateway();
    await expect(gw.health({ signal: {} as AbortSignal })).rejects.toMatchObject({
      code: 'invalid_request',
      issues: [{ field: 'signal', rule: 'must be an AbortSignal' }],
    });
    await gw.close();
  });

  it('every method takes RequestOptions as its optional last argument', () => {
    type Opt = RequestOptions | undefined;
    expectTypeOf<JwtGatewayClient['createDeposit']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<JwtGatewayClient['createWithdrawal']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<JwtGatewayClient['getOrder']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<JwtGatewayClient['signParams']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<JwtGatewayClient['getBalance']>().parameter(0).toEqualTypeOf<Opt>();
    expectTypeOf<JwtGatewayClient['listBanks']>().parameter(0).toEqualTypeOf<Opt>();
    expectTypeOf<JwtGatewayClient['health']>().parameter(0).toEqualTypeOf<Opt>();
    expectTypeOf<ThbCollectClient['createCollection']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<ThbCollectClient['createPayout']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<ThbCollectClient['getCollection']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<ThbCollectClient['getPayout']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<ThbCollectClient['getStatementLink']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<ThbCollectClient['getPayoutVoucher']>().parameter(1).toEqualTypeOf<Opt>();
    expectTypeOf<ThbCollectClient['getBalance']>().parameter(0).toEqualTypeOf<Opt>();
    expectTypeOf<jwtEntry.RequestOptions>().toEqualTypeOf<RequestOptions>();
    expectTypeOf<thbEntry.RequestOptions>().toEqualTypeOf<RequestOptions>();
    expectTypeOf<root.RequestOptions>().toEqualTypeOf<RequestOptions>();
    expectTypeOf<thbEntry.ThbRequestOptions>().toEqualTypeOf<RequestOptions>();
    expect(Object.keys(jwtEntry)).not.toContain('checkCall');
  });
});

describe('RequestOptions on ThbCollectClient', () => {
  it("a per-call timeoutMs shorter than the client's gives a TimeoutError", async () => {
    const client = thb();
    const error = await client.getBalance({ timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toMatch(/per-attempt timeout of 50 ms/);
    await client.close();
  });

  it('a signal aborts a query mid-call: code aborted', async () => {
    const client = thb();
    const error = await abortedWhileHeld((signal) => client.getPayout({ orderId: 'P-1' }, { signal }));
    expect((error as ThaiPayError).code).toBe('aborted');
    await client.close();
  });

  it('refuses a bad timeoutMs with the input issues, before sending', async () => {
    const client = thb();
    const error = await client.getCollection({ orderId: '' }, { timeoutMs: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    const fields = (error as InvalidRequestError).issues.map((i) => i.field);
    expect(fields).toContain('timeoutMs');
    expect(fields).toContain('orderId');
    await client.close();
  });
});
