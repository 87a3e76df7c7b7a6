/**
 * The calls the whole-call rows and the memory row make: the SDK's, and the same signed request written
 * by hand with fetch, which is what the SDK is measured against.
 */
import ky from 'ky';
import { JwtGatewayClient } from '../src/jwt-gateway/client';
import { API_KEY, MERCHANT_ID, rawHs256Sign } from './fixtures';
import { GATEWAY_BASE_PATH } from './server';

/** A call that resolves to the balance, however it is made. */
export type BalanceCall = () => Promise<unknown>;

/** `JwtGatewayClient.getBalance()` against the bench server. */
export function sdkBalanceCall(origin: string): BalanceCall {
  const client = new JwtGatewayClient({
    baseUrl: `${origin}${GATEWAY_BASE_PATH}`,
    merchantId: MERCHANT_ID,
    apiKey: API_KEY,
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

/** The same request by hand: sign with createHmac, fetch, JSON.parse, check the envelope. */
export function handBalanceCall(origin: string): BalanceCall {
  const url = `${origin}${GATEWAY_BASE_PATH}/balance`;
  return async () => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': API_KEY },
      body: signedBalanceBody(),
    });
    return readBalance(await response.text());
  };
}

/** The same request by hand through ky (what thaipay's transport builds on), for the "what limits" row. */
export function kyBalanceCall(origin: string): BalanceCall {
  const url = `${origin}${GATEWAY_BASE_PATH}/balance`;
  return async () => {
    const response = await ky.post(url, {
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-api-key': API_KEY },
      body: signedBalanceBody(),
      retry: 0,
      timeout: 15_000,
      throwHttpErrors: false,
    });
    return readBalance(await response.text());
  };
}
