/**
 * No API key, secret key or private key material escapes: not in an error's message, JSON, inspection
 * or stack, not in what hooks are given, not in an inspected client. Across the whole fault matrix, and
 * against answers that echo the secrets back (a debug page, a provider that quotes the key it refused).
 */
import { createPublicKey } from 'node:crypto';
import { inspect } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ThaiPayError } from '../../src/core/errors';
import type { TransportHooks } from '../../src/core/transport';
import { JwtGatewayClient } from '../../src/jwt-gateway';
import { ThbCollectClient } from '../../src/thb-collect';
import {
  API_KEY,
  type HookCall,
  MERCHANT_PRIVATE_PEM,
  PLATFORM_PRIVATE_PEM,
  runFaultMatrix,
  SECRET_KEY,
} from '../faults/matrix';

const PLATFORM_PUBLIC_PEM = createPublicKey(PLATFORM_PRIVATE_PEM)
  .export({ type: 'spki', format: 'pem' })
  .toString();

const PEM_BODY = MERCHANT_PRIVATE_PEM.replace(/-----[A-Z ]+-----/g, '').trim();
const BASE64_BODY = PEM_BODY.replace(/\s+/g, '');
const PEM_LINES = PEM_BODY.split(/\s+/);

/** Every form of the secrets that must never show. */
const NEEDLES: [string, string][] = [
  ['API key', API_KEY],
  ['secret key', SECRET_KEY],
  ['private key PEM', MERCHANT_PRIVATE_PEM.trim()],
  ['private key PEM body', PEM_BODY],
  ['private key Base64 body', BASE64_BODY],
  ['private key, 16 chars from line 2', (PEM_LINES[1] as string).slice(20, 36)],
  ['private key, 16 chars from the middle', (PEM_LINES[12] as string).slice(8, 24)],
  ['private key, 16 chars of the Base64 body', BASE64_BODY.slice(640, 656)],
  ['private key, first line', PEM_LINES[0] as string],
];

/**
 * Every view of an error a log line could take, for the error and each of its causes (loggers such as
 * pino print the messages and stacks of causes too).
 */
function errorViews(error: unknown): string[] {
  const views: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 6; depth++) {
    views.push(inspect(e, { depth: 10, showHidden: true }), JSON.stringify(e) ?? '');
    if (e instanceof Error) views.push(e.message, e.stack ?? '', String(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  return views;
}

function expectClean(text: string, where: string): void {
  for (const [name, needle] of NEEDLES) {
    if (text.includes(needle)) throw new Error(`${where} shows the ${name}:\n${text.slice(0, 2000)}`);
  }
}

function expectHooksClean(calls: readonly HookCall[], where: string): void {
  for (const call of calls) {
    expectClean(JSON.stringify(call.payload), `${where} ${call.hook} (JSON)`);
    expectClean(inspect(call.payload, { depth: 10, showHidden: true }), `${where} ${call.hook} (inspect)`);
  }
}

describe('secrets across the fault matrix', () => {
  const errors: { where: string; error: unknown }[] = [];
  const hookCalls: { where: string; calls: HookCall[] }[] = [];
  let clients: unknown[] = [];

  beforeAll(async () => {
    // The THB private key given as bare Base64 here (the fault suite gives it as PEM); the echo tests
    // below use both forms.
    const runs = [await runFaultMatrix({ privateKeyForm: 'base64' })];
    for (const run of runs) {
      for (const record of run.records) {
        const where = `${record.operation.name} × ${record.fault} (${record.times})`;
        if (!record.outcome.ok) errors.push({ where, error: record.outcome.error });
        hookCalls.push({ where, calls: record.hookCalls });
      }
      clients = [...clients, ...run.clients.flatMap(({ jwt, thb }) => [jwt, thb])];
    }
  }, 60_000);

  it('the matrix produced errors and hook calls to inspect', () => {
    expect(errors.length).toBeGreaterThan(80);
    expect(hookCalls.flatMap((h) => h.calls).length).toBeGreaterThan(500);
    for (const hook of ['beforeRequest', 'afterResponse', 'onError'] as const) {
      expect(hookCalls.some((h) => h.calls.some((call) => call.hook === hook))).toBe(true);
    }
  });

  it('no error shows a secret: message, JSON, util.inspect (hidden, depth 10), stack; nor do its causes', () => {
    for (const { where, error } of errors) {
      expect(error, where).toBeInstanceOf(ThaiPayError);
      for (const view of errorViews(error)) expectClean(view, where);
    }
  });

  it('no hook payload shows a secret', () => {
    for (const { where, calls } of hookCalls) expectHooksClean(calls, where);
  });

  it('no inspected or serialised client shows a secret', () => {
    expect(clients).toHaveLength(2 * 11);
    for (const client of clients) {
      expectClean(inspect(client, { showHidden: true, depth: 10 }), 'util.inspect(client)');
      expectClean(JSON.stringify(client), 'JSON.stringify(client)');
      expectClean(String(client), 'String(client)');
    }
  });
});

/** A fetch that answers every request with `reply(request)`: a provider or proxy that echoes secrets. */
function echoing(reply: (request: Request) => Response | Promise<Response>): typeof fetch {
  return (async (input: RequestInfo | URL, init?: RequestInit) =>
    reply(input instanceof Request ? input : new Request(input, init))) as typeof fetch;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });

const html = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'text/html' } });

/**
 * Everything secret a client holds, as a debug page would dump it. Each client can only scrub what it
 * was given: the JWT client its API key, the THB client its secret key and private key.
 */
const JWT_DUMP = `api key ${API_KEY}; again: ${API_KEY}`;
const DUMP = `secret ${SECRET_KEY}; key ${MERCHANT_PRIVATE_PEM}; compact ${BASE64_BODY}`;

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('secrets in answers that echo them back', () => {
  const limits = { timeoutMs: 1_000, deadlineMs: 3_000, maxRetries: 1, resendDelayMs: 1 };

  function jwtClient(fetch: typeof globalThis.fetch, calls: HookCall[]): JwtGatewayClient {
    return new JwtGatewayClient({
      baseUrl: 'https://gateway.example/api/v1',
      merchantId: 'M1',
      apiKey: API_KEY,
      fetch,
      hooks: recordingHooks(calls),
      ...limits,
    });
  }

  function thbClient(
    fetch: typeof globalThis.fetch,
    calls: HookCall[],
    privateKey = MERCHANT_PRIVATE_PEM,
  ): ThbCollectClient {
    return new ThbCollectClient({
      appId: 1054,
      secretKey: SECRET_KEY,
      privateKey,
      platformPublicKey: PLATFORM_PUBLIC_PEM,
      baseUrl: 'https://thb.example',
      fetch,
      hooks: recordingHooks(calls),
      ...limits,
    });
  }

  const jwtAnswers: [string, (request: Request) => Response | Promise<Response>][] = [
    [
      '401 quoting the API key it refused',
      (r) => json(401, { code: 401, message: `Invalid API key ${r.headers.get('x-api-key')}` }),
    ],
    ['400 quoting every secret', () => json(400, { code: 400, message: JWT_DUMP, data: { echo: JWT_DUMP } })],
    [
      'a success envelope of the wrong shape, quoting them',
      () => json(200, { code: 200, message: JWT_DUMP }),
    ],
    [
      'an HTML 500 debug page dumping the headers',
      (r) => html(500, `<pre>${[...r.headers].join('\n')} ${JWT_DUMP}</pre>`),
    ],
    ['a 200 cut short in the middle of the key', () => new Response(`{"message":"${JWT_DUMP.slice(0, 40)}`)],
    ['a JSON array of the secrets', () => json(502, [API_KEY, `x-api-key: ${API_KEY}`])],
    [
      'a fetch that throws an error quoting the key',
      () => Promise.reject(new TypeError(`fetch failed: proxy refused key ${API_KEY}`)),
    ],
  ];

  it.each(jwtAnswers)('JWT gateway: %s', async (_what, reply) => {
    const calls: HookCall[] = [];
    const client = jwtClient(echoing(reply), calls);
    const calls_: [string, () => Promise<unknown>][] = [
      ['getBalance', () => client.getBalance()],
      ['getOrder', () => client.getOrder({ agentOrderNo: 'A1' })],
      [
        'createDeposit',
        () =>
          client.createDeposit({
            transactionId: 'T1',
            bankAccountNumber: '1234567890',
            bankName: 'KBANK',
            name: 'Somchai Jaidee',
            amount: 100,
            callbackUrl: 'https://shop.example/cb',
            type: 'QR',
          }),
      ],
      ['listBanks', () => client.listBanks()],
    ];
    for (const [name, call] of calls_) {
      const error = await errorOf(call());
      expect(error, name).toBeInstanceOf(ThaiPayError);
      for (const view of errorViews(error)) expectClean(view, `${name}: error`);
    }
    expect(calls.length).toBeGreaterThan(0);
    expectHooksClean(calls, 'JWT hooks');
    expectClean(inspect(client, { showHidden: true, depth: 10 }), 'JWT client');
  });

  const thbAnswers: [string, (request: Request) => Response | Promise<Response>][] = [
    ['a refusal quoting every secret', () => json(200, { status: '0', error: '40000001', msg: DUMP })],
    ['an HTML 502 dumping every secret', () => html(502, DUMP)],
    [
      'an unsigned success echoing every secret',
      () => json(200, { status: '1', msg: DUMP, data: { orderId: 'M1', echo: DUMP } }),
    ],
    ['a 401 quoting every secret', () => json(401, { msg: DUMP })],
    ['a 200 cut short in the middle of the key', () => new Response(`{"msg":"${DUMP.slice(0, 700)}`)],
    [
      'a fetch that throws an error quoting the secret key',
      () => Promise.reject(new TypeError(`fetch failed: ${SECRET_KEY} ${BASE64_BODY}`)),
    ],
  ];

  it.each(thbAnswers)('THB collect: %s', async (_what, reply) => {
    for (const privateKey of [MERCHANT_PRIVATE_PEM, BASE64_BODY]) {
      const calls: HookCall[] = [];
      const client = thbClient(echoing(reply), calls, privateKey);
      for (const [name, call] of [
        ['getCollection', () => client.getCollection({ orderId: 'M1' })],
        [
          'createPayout',
          () =>
            client.createPayout({
              orderId: 'M1',
              amount: 100,
              accountType: 'BANK_ACCOUNT',
              bankCode: 'KBANK',
              accountNo: '1234567890',
              name: 'Somchai Jaidee',
              phone: '0812345678',
              email: 'somchai@example.com',
              partnerUserId: 'user-42',
            }),
        ],
      ] as const) {
        const error = await errorOf(call());
        expect(error, name).toBeInstanceOf(ThaiPayError);
        for (const view of errorViews(error)) expectClean(view, `${name}: error`);
      }
      expectHooksClean(calls, 'THB hooks');
      expectClean(inspect(client, { showHidden: true, depth: 10 }), 'THB client');
    }
  });

  it('configuration errors about keys never quote the key', () => {
    const attempts: (() => unknown)[] = [
      // The private key where the platform public key belongs: a classic paste mistake.
      () => thbClient(fetch, [], MERCHANT_PRIVATE_PEM.replace('MII', 'MIX')),
      () =>
        new ThbCollectClient({
          appId: 1054,
          secretKey: SECRET_KEY,
          privateKey: MERCHANT_PRIVATE_PEM,
          platformPublicKey: MERCHANT_PRIVATE_PEM,
          baseUrl: 'https://uat-interface.haipay.asia',
        }),
      () =>
        new ThbCollectClient({
          appId: 1054,
          secretKey: SECRET_KEY,
          privateKey: BASE64_BODY.slice(0, 900),
          platformPublicKey: PLATFORM_PUBLIC_PEM,
          baseUrl: 'https://uat-interface.haipay.asia',
        }),
      () =>
        new JwtGatewayClient({ baseUrl: `https://${API_KEY}@x/api/v1`, merchantId: 'M1', apiKey: API_KEY }),
    ];
    for (const attempt of attempts) {
      let error: unknown;
      try {
        attempt();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ThaiPayError);
      for (const view of errorViews(error)) expectClean(view, 'configuration error');
    }
  });
});

function recordingHooks(calls: HookCall[]): TransportHooks {
  return {
    beforeRequest: (payload) => void calls.push({ hook: 'beforeRequest', payload }),
    afterResponse: (payload) => void calls.push({ hook: 'afterResponse', payload }),
    onError: (payload) => void calls.push({ hook: 'onError', payload }),
  };
}
