/**
 * The overall deadline (`deadlineMs`) bounds a whole client call: a read's retries, and a create's
 * re-sends plus the query that reconciles them. Bounds with generous slack, never speed figures.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, OrderStatusUnknownError, TimeoutError } from '../../src/core/errors';
import { JwtGatewayClient } from '../../src/jwt-gateway';
import { createSandbox, type Sandbox } from '../../src/testing';
import { ThbCollectClient } from '../../src/thb-collect';
import { freshId, MERCHANT_PRIVATE_PEM, PLATFORM_PRIVATE_PEM } from './matrix';

const TIMEOUT_MS = 250;
const DEADLINE_MS = 600;
/** Event-loop stalls on a busy runner, the last attempt's clean-up. */
const SLACK_MS = 400;

let sandbox: Sandbox;
let jwt: JwtGatewayClient;
let thb: ThbCollectClient;

beforeAll(async () => {
  sandbox = await createSandbox({
    thbCollect: { merchantPrivateKey: MERCHANT_PRIVATE_PEM, platformPrivateKey: PLATFORM_PRIVATE_PEM },
  });
  const limits = { timeoutMs: TIMEOUT_MS, deadlineMs: DEADLINE_MS, maxRetries: 5, resendDelayMs: 1 };
  jwt = new JwtGatewayClient({ ...sandbox.jwtGateway, ...limits });
  thb = new ThbCollectClient({
    appId: sandbox.thbCollect.appId,
    secretKey: sandbox.thbCollect.secretKey,
    privateKey: MERCHANT_PRIVATE_PEM,
    platformPublicKey: sandbox.thbCollect.platformPublicKey,
    baseUrl: sandbox.thbCollect.baseUrl,
    ...limits,
  });
});
afterEach(() => sandbox.clearFaults());
afterAll(() => sandbox.close());

async function timed(run: () => Promise<unknown>): Promise<{ elapsedMs: number; error: unknown }> {
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    return { elapsedMs: performance.now() - started, error };
  }
  throw new Error('expected the call to fail');
}

const hold = { times: Number.POSITIVE_INFINITY, delayMs: 5_000 };

describe('deadlineMs bounds the whole call', () => {
  it('a read whose every attempt times out stops at the deadline, not after all its retries', async () => {
    sandbox.injectFault('jwt:balance', 'timeout', hold);
    const { elapsedMs, error } = await timed(() => jwt.getBalance());
    expect(error).toBeInstanceOf(TimeoutError);
    // Which limit it names depends on the jittered backoff: the last attempt's, or the deadline itself.
    expect((error as Error).message).toMatch(
      /no answer within (the per-attempt timeout|the overall deadline of 600 ms)/,
    );
    // 6 attempts × 250 ms would be 1.5 s.
    expect(elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  it('a Retry-After longer than the time left is not waited out: the 429 is reported at once', async () => {
    sandbox.injectFault('jwt:balance', '429', { times: Number.POSITIVE_INFINITY, retryAfterSeconds: 5 });
    sandbox.injectFault('thb:collect/query', '429', {
      times: Number.POSITIVE_INFINITY,
      retryAfterSeconds: 5,
    });
    for (const call of [() => jwt.getBalance(), () => thb.getCollection({ orderId: 'ANY' })]) {
      const { elapsedMs, error } = await timed(call);
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(429);
      expect(elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
    }
  });

  it('JWT: a create whose sends and reconciling query all time out ends by the deadline', async () => {
    sandbox.injectFault('jwt:deposit', 'timeout', hold);
    sandbox.injectFault('jwt:order', 'timeout', hold);
    const id = freshId('DL');
    const { elapsedMs, error } = await timed(() =>
      jwt.createDeposit({
        transactionId: id,
        bankAccountNumber: '1234567890',
        bankName: 'KBANK',
        name: 'Somchai Jaidee',
        amount: 100,
        callbackUrl: 'http://127.0.0.1:9/cb',
        type: 'QR',
      }),
    );
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe(id);
    // 6 sends and a 6-attempt query of 250 ms each would be 3 s.
    expect(elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  it('THB: a create whose sends and reconciling query all time out ends by the deadline', async () => {
    sandbox.injectFault('thb:pay/apply', 'timeout', hold);
    sandbox.injectFault('thb:pay/query', 'timeout', hold);
    const id = freshId('DL');
    const { elapsedMs, error } = await timed(() =>
      thb.createPayout({
        orderId: id,
        amount: 100,
        accountType: 'BANK_ACCOUNT',
        bankCode: 'KBANK',
        accountNo: '1234567890',
        name: 'Somchai Jaidee',
        phone: '0812345678',
        email: 'somchai@example.com',
        partnerUserId: 'user-42',
      }),
    );
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect((error as OrderStatusUnknownError).orderId).toBe(id);
    expect(elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });

  it('a create that is only slow to reconcile still ends by the deadline, and never with a second order', async () => {
    // The first answer is lost after the order was made; every query then times out.
    sandbox.injectFault('jwt:withdraw', 'lost-response', { times: Number.POSITIVE_INFINITY });
    sandbox.injectFault('jwt:order', 'timeout', hold);
    const id = freshId('DL');
    const { elapsedMs, error } = await timed(() =>
      jwt.createWithdrawal({
        agentOrderNo: id,
        amount: 100,
        bankCode: 'SCB',
        accountNo: '1234567890',
        accountName: 'Somchai Jaidee',
        callbackUrl: 'http://127.0.0.1:9/cb',
      }),
    );
    expect(error).toBeInstanceOf(OrderStatusUnknownError);
    expect(sandbox.orders().filter((o) => o.merchantOrderId === id)).toHaveLength(1);
    expect(elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
  });
});
