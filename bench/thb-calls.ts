/**
 * THB collect's whole call for the bench: the loopback answer to `/thb/collect/query` (signed with a
 * platform key made here), `ThbCollectClient.getCollection()` and the same call written by hand with
 * node:crypto (sign the request, verify the answer's `sign`) on raw node:http with a keep-alive Agent, and
 * on fetch.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { Agent } from 'node:http';
import { ThbCollectClient } from '../src/thb-collect/client';
import { rawNodePost } from './calls';
import {
  makeRsaFixture,
  type RsaFixture,
  rawRsaSign,
  rawRsaVerify,
  rawThbSignString,
  THB_APP_ID,
  THB_SECRET_KEY,
} from './fixtures';

export const THB_QUERY_PATH = '/thb/collect/query';
const ORDER_ID = 'M22222000028';

/** Keys and the canned answer of the THB rows. */
export interface ThbBench {
  merchant: RsaFixture;
  platformPublicPem: string;
  platformPublicKey: KeyObject;
  routes: Record<string, string>;
}

/** A merchant key, a platform key, and the documented query answer with its `data` signed. */
export async function thbRoutes(merchant: RsaFixture = makeRsaFixture()): Promise<ThbBench> {
  const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const data: Record<string, unknown> = {
    orderId: ORDER_ID,
    orderNo: '6023042811314347',
    amount: '300.00',
    actualAmount: '300.00',
    fee: '4.50',
    status: 2,
    payTime: '2024-01-01 19:03:00',
  };
  data.sign = rawRsaSign(rawThbSignString(data, THB_SECRET_KEY), platform.privateKey);
  return {
    merchant,
    platformPublicPem: platform.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    platformPublicKey: platform.publicKey,
    routes: { [THB_QUERY_PATH]: JSON.stringify({ status: '1', error: '00000000', msg: '', data }) },
  };
}

/** The SDK's and the hand-written calls. */
export interface ThbCallPair {
  sdk: () => Promise<unknown>;
  /** By hand on fetch. */
  hand: () => Promise<unknown>;
  /** By hand on raw node:http with a keep-alive Agent. */
  handNode: () => Promise<unknown>;
}

/** `ThbCollectClient.getCollection()` and the same call by hand, both against the bench server at `origin`. */
export function thbCallPair(origin: string, bench: ThbBench): ThbCallPair {
  const client = new ThbCollectClient({
    appId: THB_APP_ID,
    secretKey: THB_SECRET_KEY,
    privateKey: bench.merchant.privatePem,
    platformPublicKey: bench.platformPublicPem,
    baseUrl: origin,
  });
  const url = `${origin}${THB_QUERY_PATH}`;
  const signed = (): string => {
    const params: Record<string, unknown> = { appId: THB_APP_ID, orderId: ORDER_ID };
    params.sign = rawRsaSign(rawThbSignString(params, THB_SECRET_KEY), bench.merchant.privateKey);
    return JSON.stringify(params);
  };
  const verified = (text: string): Record<string, unknown> => {
    const envelope = JSON.parse(text) as {
      status?: unknown;
      data?: Record<string, unknown>;
    };
    const data = envelope.data;
    if (envelope.status !== '1' || !data || typeof data.sign !== 'string') throw new Error('bad THB answer');
    if (!rawRsaVerify(rawThbSignString(data, THB_SECRET_KEY), bench.platformPublicKey, data.sign)) {
      throw new Error('THB answer does not verify');
    }
    return data;
  };
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const hand = async () => {
    const response = await fetch(url, { method: 'POST', headers, body: signed() });
    return verified(await response.text());
  };
  const agent = new Agent({ keepAlive: true });
  const target = new URL(url);
  const handNode = async () => verified(await rawNodePost(agent, target, headers, signed()));
  return { sdk: () => client.getCollection({ orderId: ORDER_ID }), hand, handNode };
}
