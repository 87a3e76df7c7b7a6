/**
 * The calls the whole-call rows, the concurrency row and the memory row make: the SDK's (on each
 * carrier), the same signed request written by hand on raw `fetch` and on raw `node:http` with a
 * keep-alive Agent (the limit on Node), and the peers a merchant would compare with: stripe-node's
 * `balance.retrieve()` and axios.
 */
import { Agent, request } from 'node:http';
import axios from 'axios';
import Stripe from 'stripe';
import { JwtGatewayClient } from '../src/jwt-gateway/client';
import { API_KEY, MERCHANT_ID, rawHs256Sign } from './fixtures';
import { GATEWAY_BASE_PATH } from './server';

/** A call that resolves to the balance, however it is made. */
export type BalanceCall = () => Promise<unknown>;

/**
 * `JwtGatewayClient.getBalance()` against the bench server: on the runtime's carrier (node:http on
 * Node), or on fetch when `carrier` is `'fetch'` (forced through the `fetch` option).
 */
export function sdkBalanceCall(origin: string, carrier: 'node' | 'fetch' = 'node'): BalanceCall {
  const client = new JwtGatewayClient({
    baseUrl: `${origin}${GATEWAY_BASE_PATH}`,
    merchantId: MERCHANT_ID,
    apiKey: API_KEY,
    ...(carrier === 'fetch' ? { fetch: globalThis.fetch } : {}),
  });
  return () => client.getBalance();
}

function signedBalanceBody(): string {
  const params = { timestamp: Math.floor(Date.now() / 1000) };
  return JSON.stringify({ ...params, signature: rawHs256Sign(params, API_KEY) });
}

function readBalance(text: string): unknown {
  const envelope = JSON.parse(text) as { code?: unknown; data?: { balance?: unknown } };
  if (envelope.code !== 200 || typeof envelope.data?.balance !== 'number')
    throw new Error('bad balance answer');
  return envelope.data;
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': API_KEY };

/** The same request by hand: sign with createHmac, fetch, JSON.parse, check the envelope. */
export function handBalanceCall(origin: string): BalanceCall {
  const url = `${origin}${GATEWAY_BASE_PATH}/balance`;
  return async () => {
    const response = await fetch(url, { method: 'POST', headers: HEADERS, body: signedBalanceBody() });
    return readBalance(await response.text());
  };
}

/**
 * POST `body` with raw node:http through `agent` and resolve to the answer's text: the least a Node
 * program can do per call (what stripe-node's NodeHttpClient does, minus its checks).
 */
export function rawNodePost(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The same request by hand on raw node:http with a keep-alive Agent. */
export function rawNodeBalanceCall(origin: string): BalanceCall {
  const url = new URL(`${origin}${GATEWAY_BASE_PATH}/balance`);
  const agent = new Agent({ keepAlive: true });
  return async () => readBalance(await rawNodePost(agent, url, HEADERS, signedBalanceBody()));
}

/** The same request by hand through axios (its Node http adapter). */
export function axiosBalanceCall(origin: string): BalanceCall {
  const url = `${origin}${GATEWAY_BASE_PATH}/balance`;
  const agent = new Agent({ keepAlive: true });
  return async () => {
    const response = await axios.post<string>(url, signedBalanceBody(), {
      headers: HEADERS,
      httpAgent: agent,
      responseType: 'text',
      transformResponse: (data: string) => data,
      validateStatus: () => true,
    });
    return readBalance(response.data);
  };
}

/** The balance object stripe-node's `balance.retrieve()` reads, as Stripe's API documents it. */
export const STRIPE_BALANCE = JSON.stringify({
  object: 'balance',
  available: [{ amount: 50000, currency: 'thb', source_types: { card: 50000 } }],
  livemode: false,
  pending: [{ amount: 0, currency: 'thb', source_types: { card: 0 } }],
});

/** The path stripe-node asks for. */
export const STRIPE_BALANCE_PATH = '/v1/balance';

/** stripe-node's `balance.retrieve()` against the bench server (its own NodeHttpClient, keep-alive). */
export function stripeBalanceCall(origin: string): BalanceCall {
  const url = new URL(origin);
  const stripe = new Stripe('sk_test_bench_0000000000000000', {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    maxNetworkRetries: 0,
    telemetry: false,
  });
  return async () => {
    const balance = await stripe.balance.retrieve();
    if (balance.available[0]?.amount !== 50000) throw new Error('bad stripe balance');
    return balance;
  };
}
