import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/testing';
import { SANDBOX_KEYS } from '../sandbox-keys';
import { collectionParams, depositParams, jwtSign, nowSeconds, thbSign } from './helpers';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await createSandbox({ thbCollect: SANDBOX_KEYS });
});
afterAll(() => sandbox.close());

function depositRequest(params = depositParams(sandbox), signal?: AbortSignal): Promise<Response> {
  return fetch(`${sandbox.jwtGateway.baseUrl}/deposit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': sandbox.jwtGateway.apiKey },
    body: JSON.stringify({ ...params, signature: jwtSign(params, sandbox.jwtGateway.apiKey) }),
    signal,
  });
}

function balanceRequest(): Promise<Response> {
  const params = { timestamp: nowSeconds() };
  return fetch(`${sandbox.jwtGateway.baseUrl}/balance`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': sandbox.jwtGateway.apiKey },
    body: JSON.stringify({ ...params, signature: jwtSign(params, sandbox.jwtGateway.apiKey) }),
  });
}

function collectionRequest(params = collectionParams(sandbox)): Promise<Response> {
  return fetch(`${sandbox.url}/thb/collect/apply`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      ...params,
      sign: thbSign(params, sandbox.thbCollect.secretKey, sandbox.thbCollect.merchantPrivateKey!),
    }),
  });
}

async function socketError(request: Promise<Response>): Promise<unknown> {
  try {
    await request;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail at the socket');
}

describe('HTTP faults', () => {
  it('lost-response creates the order, yet the client sees a socket error', async () => {
    sandbox.injectFault('jwt:deposit', 'lost-response');
    const params = depositParams(sandbox);
    const error = await socketError(depositRequest(params));
    expect(error).toBeInstanceOf(TypeError);
    expect(sandbox.getOrder(String(params.transactionId))).toMatchObject({
      status: 'pending',
      kind: 'deposit',
    });
    // The fault fired once: the same id now meets the duplicate check.
    const again = await depositRequest(params);
    expect(await again.json()).toEqual({ code: 400, message: 'transactionId already exists' });
  });

  it('reset destroys the socket before processing: no order', async () => {
    sandbox.injectFault('thb:collect/apply', 'reset');
    const params = collectionParams(sandbox);
    await socketError(collectionRequest(params));
    expect(sandbox.getOrder(String(params.orderId))).toBeUndefined();
    expect((await (await collectionRequest(params)).json()).status).toBe('1');
  });

  it('timeout holds the request unanswered until the client gives up; nothing is created', async () => {
    sandbox.injectFault('jwt:deposit', 'timeout', { delayMs: 60_000 });
    const params = depositParams(sandbox);
    const controller = new AbortController();
    const pending = depositRequest(params, controller.signal);
    // Wait until the sandbox has the request, then give up as a client timeout would.
    while (!sandbox.requests().some((entry) => entry.fault === 'timeout')) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    controller.abort();
    const error = await socketError(pending);
    expect((error as Error).name).toBe('AbortError');
    expect(sandbox.getOrder(String(params.transactionId))).toBeUndefined();
  });

  it('timeout destroys the socket itself after delayMs', async () => {
    sandbox.injectFault('jwt:balance', 'timeout', { delayMs: 20 });
    await socketError(balanceRequest());
  });

  it('5xx answers a JSON 500 (or the status asked for) without processing', async () => {
    sandbox.injectFault('jwt:deposit', '5xx');
    const params = depositParams(sandbox);
    const response = await depositRequest(params);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ code: 500, message: 'Internal server error' });
    expect(sandbox.getOrder(String(params.transactionId))).toBeUndefined();

    sandbox.injectFault('thb:collect/apply', '5xx', { status: 502 });
    const thb = await collectionRequest();
    expect(thb.status).toBe(502);
    expect(await thb.json()).toMatchObject({ status: 502, error: 'Bad Gateway', path: '/thb/collect/apply' });
  });

  it('429 carries Retry-After', async () => {
    sandbox.injectFault('jwt:balance', '429', { retryAfterSeconds: 7 });
    const response = await balanceRequest();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ code: 429, message: 'Too Many Requests' });
    expect((await balanceRequest()).status).toBe(200);
  });

  it('html answers a text/html 502 page', async () => {
    sandbox.injectFault('thb:collect/apply', 'html');
    const response = await collectionRequest();
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toContain('<title>502 Bad Gateway</title>');
  });

  it('malformed-json processes the request and sends half of the answer', async () => {
    sandbox.injectFault('jwt:deposit', 'malformed-json');
    const params = depositParams(sandbox);
    const response = await depositRequest(params);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow();
    expect(text.startsWith('{"status":"success"')).toBe(true);
    expect(sandbox.getOrder(String(params.transactionId))).toBeDefined();
  });

  it('times counts firings, faults queue in order, clearFaults removes them', async () => {
    sandbox.injectFault('jwt:balance', '5xx', { times: 2 });
    sandbox.injectFault('jwt:balance', '429');
    expect(sandbox.faults().map((f) => [f.fault, f.remaining])).toEqual([
      ['5xx', 2],
      ['429', 1],
    ]);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await balanceRequest()).status);
    expect(statuses).toEqual([500, 500, 429, 200]);
    sandbox.injectFault('jwt:balance', '5xx', { times: Number.POSITIVE_INFINITY });
    expect((await balanceRequest()).status).toBe(500);
    expect((await balanceRequest()).status).toBe(500);
    sandbox.clearFaults();
    expect(sandbox.faults()).toEqual([]);
    expect((await balanceRequest()).status).toBe(200);
  });

  it('refuses faults that make no sense on a route', () => {
    expect(() => sandbox.injectFault('jwt:deposit', 'tampered-signature')).toThrow(TypeError);
    expect(() => sandbox.injectFault('jwt:deposit', 'duplicate-callback')).toThrow(TypeError);
    expect(() => sandbox.injectFault('thb:notify', '5xx')).toThrow(TypeError);
    expect(() => sandbox.injectFault('jwt:nope' as 'jwt:deposit', '5xx')).toThrow(TypeError);
    expect(() => sandbox.injectFault('jwt:deposit', '5xx', { times: 0 })).toThrow(TypeError);
  });

  it('the request log shows faults and statuses, and never a secret', async () => {
    sandbox.injectFault('jwt:balance', '429');
    await balanceRequest();
    await balanceRequest();
    const log = sandbox.requests();
    const last = log.slice(-2);
    expect(last.map((e) => [e.method, e.path, e.route, e.status, e.fault])).toEqual([
      ['POST', '/api/v1/balance', 'jwt:balance', 429, '429'],
      ['POST', '/api/v1/balance', 'jwt:balance', 200, undefined],
    ]);
    expect(log.some((e) => e.status === null)).toBe(true); // the destroyed sockets above
    const serialised = JSON.stringify(log);
    expect(serialised).not.toContain(sandbox.jwtGateway.apiKey);
    expect(serialised).not.toContain(sandbox.thbCollect.secretKey);
  });
});
