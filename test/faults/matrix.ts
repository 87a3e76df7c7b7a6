/**
 * The fault matrix shared by the fault suite and the secrets suite: every injectable fault on every
 * operation of both clients, run against the sandbox, with what each run produced (result or error,
 * elapsed time, the orders of its merchant id, every hook payload).
 *
 * Each operation gets its own sandbox, so operations run in parallel without one's faults (or the
 * lookups of a create) landing on another's route; inside an operation the cases run one after another.
 * Timeouts are compressed (300 ms per attempt) so the whole matrix takes seconds, not minutes.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TransportHooks } from '../../src/core/transport';
import { JwtGatewayClient } from '../../src/jwt-gateway';
import { createSandbox, type Sandbox, type SandboxFaultKind, type SandboxHttpRoute } from '../../src/testing';
import type { SandboxOrder } from '../../src/testing/types';
import { ThbCollectClient, type ThbCollectClientOptions } from '../../src/thb-collect';
import { THB_TEST_SEAMS } from '../../src/thb-collect/client';
import { testRsaKeyPair } from '../helpers/rsa-keys';

export const TIMEOUT_MS = 300;
export const DEADLINE_MS = 3_000;
export const MAX_RETRIES = 2;

/** The committed TEST ONLY merchant and platform keys (PKCS#8 PEM; test/helpers/rsa-keys.ts for the latter). */
export const MERCHANT_PRIVATE_PEM = readFileSync(
  new URL('../fixtures/thb/test-only-private-key.pem', import.meta.url),
  'utf8',
);
export const PLATFORM_PRIVATE_PEM = testRsaKeyPair(7)
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

/** The credentials every sandbox of the matrix is given, so the secrets suite knows what to look for. */
export const API_KEY = `ak_${randomBytes(20).toString('hex')}`;
export const SECRET_KEY = `sk_${randomBytes(16).toString('hex')}`;

/**
 * The fault kinds of HTTP routes; `tampered-signature` only exists where answers are signed (THB), and
 * `provider-error` where the provider documents an error table (THB).
 */
export const HTTP_FAULTS: readonly SandboxFaultKind[] = [
  'timeout',
  'lost-response',
  '5xx',
  '429',
  'reset',
  'html',
  'malformed-json',
];

export type Provider = 'jwt' | 'thb';

/** What one operation needs to run against its sandbox. */
export interface OperationContext {
  sandbox: Sandbox;
  jwt: JwtGatewayClient;
  thb: ThbCollectClient;
  /** A merchant order id made before the faults, for the queries. */
  existingOrderId: string;
}

export interface Operation {
  provider: Provider;
  name: string;
  route: SandboxHttpRoute;
  kind: 'read' | 'create';
  /** Run once; `id` is a fresh merchant order id (creates use it). */
  run(ctx: OperationContext, id: string): Promise<unknown>;
  /** Creates: the returned value's provider order number, to compare with the sandbox's order. */
  orderNoOf?(result: unknown): string;
}

let sequence = 0;
/** A fresh merchant order id. */
export function freshId(prefix: string): string {
  sequence += 1;
  return `${prefix}${Date.now().toString(36)}${sequence}`;
}

const deposit = (id: string) => ({
  transactionId: id,
  bankAccountNumber: '1234567890',
  bankName: 'KBANK',
  name: 'Somchai Jaidee',
  amount: '250.00',
  callbackUrl: 'http://127.0.0.1:9/callback',
  type: 'QR' as const,
});

const withdrawal = (id: string) => ({
  agentOrderNo: id,
  amount: '150.00',
  bankCode: 'SCB',
  accountNo: '1234567890',
  accountName: 'Somchai Jaidee',
  callbackUrl: 'http://127.0.0.1:9/callback',
});

const collection = (id: string) => ({
  orderId: id,
  amount: '300.00',
  payType: 'QR' as const,
  name: 'Somchai Jaidee',
  phone: '0812345678',
  email: 'somchai@example.com',
  callBackUrl: 'https://shop.example/ok',
  callBackFailUrl: 'https://shop.example/fail',
  subject: 'Order',
  partnerUserId: 'user-42',
});

const payout = (id: string) => ({
  orderId: id,
  amount: '500.00',
  accountType: 'BANK_ACCOUNT' as const,
  bankCode: 'KBANK',
  accountNo: '1234567890',
  name: 'Somchai Jaidee',
  phone: '0812345678',
  email: 'somchai@example.com',
  partnerUserId: 'user-42',
});

const field = (result: unknown, name: string): string => String((result as Record<string, unknown>)[name]);

/** Every operation of both clients, with the route its request takes. */
export const OPERATIONS: readonly Operation[] = [
  {
    provider: 'jwt',
    name: 'createDeposit',
    route: 'jwt:deposit',
    kind: 'create',
    run: ({ jwt }, id) => jwt.createDeposit(deposit(id)),
    orderNoOf: (r) => field(r, 'orderNo'),
  },
  {
    provider: 'jwt',
    name: 'createWithdrawal',
    route: 'jwt:withdraw',
    kind: 'create',
    run: ({ jwt }, id) => jwt.createWithdrawal(withdrawal(id)),
    orderNoOf: (r) => field(r, 'orderNo'),
  },
  {
    provider: 'jwt',
    name: 'getBalance',
    route: 'jwt:balance',
    kind: 'read',
    run: ({ jwt }) => jwt.getBalance(),
  },
  {
    provider: 'jwt',
    name: 'getOrder',
    route: 'jwt:order',
    kind: 'read',
    run: ({ jwt, existingOrderId }) => jwt.getOrder({ agentOrderNo: existingOrderId }),
  },
  {
    provider: 'jwt',
    name: 'signParams',
    route: 'jwt:sign',
    kind: 'read',
    run: ({ jwt }) => jwt.signParams({ amount: 1000, merchantId: 'M1' }),
  },
  { provider: 'jwt', name: 'listBanks', route: 'jwt:banks', kind: 'read', run: ({ jwt }) => jwt.listBanks() },
  { provider: 'jwt', name: 'health', route: 'jwt:health', kind: 'read', run: ({ jwt }) => jwt.health() },
  {
    provider: 'thb',
    name: 'createCollection',
    route: 'thb:collect/apply',
    kind: 'create',
    run: ({ thb }, id) => thb.createCollection(collection(id)),
    orderNoOf: (r) => field(r, 'orderNo'),
  },
  {
    provider: 'thb',
    name: 'getCollection',
    route: 'thb:collect/query',
    kind: 'read',
    run: ({ thb, existingOrderId }) => thb.getCollection({ orderId: existingOrderId }),
  },
  {
    provider: 'thb',
    name: 'createPayout',
    route: 'thb:pay/apply',
    kind: 'create',
    run: ({ thb }, id) => thb.createPayout(payout(id)),
    orderNoOf: (r) => field(r, 'orderNo'),
  },
  {
    provider: 'thb',
    name: 'getPayout',
    route: 'thb:pay/query',
    kind: 'read',
    run: ({ thb, existingOrderId }) => thb.getPayout({ orderId: existingOrderId }),
  },
];

/** The faults that apply to an operation's route. */
export function faultsFor(operation: Operation): SandboxFaultKind[] {
  // THB also signs its answers and has an error table: 1004 "system is busy" by default.
  return operation.provider === 'thb'
    ? [...HTTP_FAULTS, 'tampered-signature', 'provider-error']
    : [...HTTP_FAULTS];
}

/** One hook call, as the hook was given it. */
export interface HookCall {
  hook: keyof TransportHooks;
  payload: unknown;
}

/** What one run of one fault on one operation produced. */
export interface CaseRecord {
  operation: Operation;
  fault: SandboxFaultKind;
  /** How many times the fault was set to fire: once, or on every request. */
  times: 'once' | 'always';
  id: string;
  elapsedMs: number;
  outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  /** Orders of the sandbox with this case's merchant id, after the call. */
  orders: SandboxOrder[];
  hookCalls: HookCall[];
}

/** The live objects of one operation's run, for checks on the clients themselves. */
export interface MatrixRun {
  records: CaseRecord[];
  clients: { jwt: JwtGatewayClient; thb: ThbCollectClient }[];
  /** The secrets every client of the run was given. */
  secrets: { apiKey: string; secretKey: string; privateKeyPem: string };
}

interface RunOptions {
  /** Which `times` variants to run; both by default. */
  times?: ('once' | 'always')[];
  /** THB private key as given to the client: PEM (default) or bare Base64. */
  privateKeyForm?: 'pem' | 'base64';
}

async function runOperation(
  operation: Operation,
  options: Required<RunOptions>,
  hookCalls: HookCall[],
): Promise<{ records: CaseRecord[]; jwt: JwtGatewayClient; thb: ThbCollectClient }> {
  const sandbox = await createSandbox({
    jwtGateway: { apiKey: API_KEY },
    thbCollect: {
      secretKey: SECRET_KEY,
      merchantPrivateKey: MERCHANT_PRIVATE_PEM,
      platformPrivateKey: PLATFORM_PRIVATE_PEM,
    },
  });
  try {
    const hooks: TransportHooks = {
      beforeRequest: (payload) => void hookCalls.push({ hook: 'beforeRequest', payload }),
      afterResponse: (payload) => void hookCalls.push({ hook: 'afterResponse', payload }),
      onError: (payload) => void hookCalls.push({ hook: 'onError', payload }),
    };
    const jwt = new JwtGatewayClient({
      ...sandbox.jwtGateway,
      timeoutMs: TIMEOUT_MS,
      deadlineMs: DEADLINE_MS,
      maxRetries: MAX_RETRIES,
      resendDelayMs: 1,
      hooks,
    });
    const thb = new ThbCollectClient({
      appId: sandbox.thbCollect.appId,
      secretKey: sandbox.thbCollect.secretKey,
      privateKey:
        options.privateKeyForm === 'pem'
          ? MERCHANT_PRIVATE_PEM
          : (sandbox.thbCollect.merchantPrivateKey as string),
      platformPublicKey: sandbox.thbCollect.platformPublicKey,
      baseUrl: sandbox.thbCollect.baseUrl,
      timeoutMs: TIMEOUT_MS,
      deadlineMs: DEADLINE_MS,
      maxRetries: MAX_RETRIES,
      resendDelayMs: 1,
      hooks,
      // Small backoff between read retries (the JWT client has no such seam: it keeps the 250 ms base).
      [THB_TEST_SEAMS]: { random: () => 0.05 },
    } as ThbCollectClientOptions);
    const existingOrderId = freshId('EX');
    if (operation.name === 'getOrder') await jwt.createDeposit(deposit(existingOrderId));
    if (operation.name === 'getCollection') await thb.createCollection(collection(existingOrderId));
    if (operation.name === 'getPayout') await thb.createPayout(payout(existingOrderId));
    const ctx: OperationContext = { sandbox, jwt, thb, existingOrderId };

    const records: CaseRecord[] = [];
    for (const fault of faultsFor(operation)) {
      for (const times of options.times) {
        const id = freshId(operation.provider === 'jwt' ? 'J' : 'T');
        sandbox.injectFault(operation.route, fault, {
          times: times === 'once' ? 1 : Number.POSITIVE_INFINITY,
          // The sandbox holds a timed-out request well past the client's patience, then drops it.
          ...(fault === 'timeout' ? { delayMs: 2_000 } : {}),
          ...(fault === '429' ? { retryAfterSeconds: 0 } : {}),
        });
        const first = hookCalls.length;
        const started = performance.now();
        let outcome: CaseRecord['outcome'];
        try {
          outcome = { ok: true, value: await operation.run(ctx, id) };
        } catch (error) {
          outcome = { ok: false, error };
        }
        const elapsedMs = performance.now() - started;
        sandbox.clearFaults();
        records.push({
          operation,
          fault,
          times,
          id,
          elapsedMs,
          outcome,
          orders: sandbox.orders().filter((order) => order.merchantOrderId === id),
          hookCalls: hookCalls.slice(first),
        });
      }
    }
    return { records, jwt, thb };
  } finally {
    await sandbox.close();
  }
}

/**
 * Run the matrix: each operation against its own sandbox, all operations at once.
 *
 * @example
 * ```ts
 * const { records } = await runFaultMatrix();
 * ```
 */
export async function runFaultMatrix(options: RunOptions = {}): Promise<MatrixRun> {
  const full: Required<RunOptions> = {
    times: options.times ?? ['once', 'always'],
    privateKeyForm: options.privateKeyForm ?? 'pem',
  };
  const hookCalls: HookCall[][] = OPERATIONS.map(() => []);
  const runs = await Promise.all(
    OPERATIONS.map((operation, i) => runOperation(operation, full, hookCalls[i] as HookCall[])),
  );
  return {
    records: runs.flatMap((run) => run.records),
    clients: runs.map(({ jwt, thb }) => ({ jwt, thb })),
    secrets: { apiKey: API_KEY, secretKey: SECRET_KEY, privateKeyPem: MERCHANT_PRIVATE_PEM },
  };
}
