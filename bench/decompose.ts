/**
 * Where a whole call's cost goes, layer by layer: `npx tsx bench/decompose.ts [thb|balance] [rounds]`
 * runs, interleaved in one process against one loopback server, the hand-written call (raw node:http,
 * node:crypto), then the same call with thaipay's transport in place of raw node:http, then also with
 * thaipay's signing (and, for THB, verifying), then the client itself. Each line is the median CPU µs per
 * call (this process: client and server) and the median paired ratio raw/this: the step from one line to
 * the next is what that layer costs.
 */
import { Agent } from 'node:http';
import { Transport } from '../src/core/transport';
import { signJwtGatewayParams } from '../src/jwt-gateway/signing';
import { signThbParams, verifyThbParams } from '../src/thb-collect/signing';
import { rawNodeBalanceCall, rawNodePost, sdkBalanceCall } from './calls';
import {
  API_KEY,
  rawHs256Sign,
  rawRsaSign,
  rawRsaVerify,
  rawThbSignString,
  THB_APP_ID,
  THB_SECRET_KEY,
} from './fixtures';
import { median } from './harness';
import { BALANCE_ENVELOPE, GATEWAY_BASE_PATH, startBenchServer } from './server';
import { THB_QUERY_PATH, thbCallPair, thbRoutes } from './thb-calls';

type Call = () => Promise<unknown>;
type Params = Record<string, unknown>;

const [which = 'thb', roundsText = '30'] = process.argv.slice(2);
const thb = await thbRoutes();
const server = await startBenchServer({ [`${GATEWAY_BASE_PATH}/balance`]: BALANCE_ENVELOPE, ...thb.routes });
const ORDER_ID = 'M22222000028';

function thbLayers(): Record<string, Call> {
  const pair = thbCallPair(server.origin, thb);
  const transport = new Transport({ baseUrl: server.origin });
  const agent = new Agent({ keepAlive: true });
  const url = new URL(`${server.origin}${THB_QUERY_PATH}`);
  const headers = { 'content-type': 'application/json', accept: 'application/json' };
  const body = { appId: THB_APP_ID, orderId: ORDER_ID };
  const rawSign = (params: Params): Params => ({
    ...params,
    sign: rawRsaSign(rawThbSignString(params, THB_SECRET_KEY), thb.merchant.privateKey),
  });
  const sdkSign = async (params: Params): Promise<Params> => ({
    ...params,
    sign: await signThbParams(params, { secretKey: THB_SECRET_KEY, privateKey: thb.merchant.privatePem }),
  });
  const rawCheck = (data: Params): Params => {
    if (!rawRsaVerify(rawThbSignString(data, THB_SECRET_KEY), thb.platformPublicKey, String(data.sign))) {
      throw new Error('THB answer does not verify');
    }
    return data;
  };
  const sdkCheck = async (data: Params): Promise<Params> => {
    const keys = { secretKey: THB_SECRET_KEY, publicKey: thb.platformPublicPem };
    if (!(await verifyThbParams(data, keys))) throw new Error('THB answer does not verify');
    return data;
  };
  const dataOf = (answer: unknown): Params => (answer as { data: Params }).data;
  const send = (sign: (params: Params) => Params | Promise<Params>) =>
    transport.send({ method: 'POST', path: THB_QUERY_PATH, body, sign, retry: true });
  return {
    'raw node:http + node:crypto': pair.handNode,
    'thaipay transport, raw crypto': async () => rawCheck(dataOf((await send(rawSign)).body)),
    'thaipay transport + signing + verifying': async () => sdkCheck(dataOf((await send(sdkSign)).body)),
    'raw node:http, thaipay signing + verifying': async () =>
      sdkCheck(
        dataOf(JSON.parse(await rawNodePost(agent, url, headers, JSON.stringify(await sdkSign(body))))),
      ),
    'ThbCollectClient.getCollection()': pair.sdk,
  };
}

function balanceLayers(): Record<string, Call> {
  const transport = new Transport({
    baseUrl: `${server.origin}${GATEWAY_BASE_PATH}`,
    headers: { 'x-api-key': API_KEY },
    secrets: [API_KEY],
  });
  const check = (answer: unknown): unknown => {
    const envelope = answer as { code?: unknown; data?: { balance?: unknown } };
    if (envelope.code !== 200 || typeof envelope.data?.balance !== 'number') throw new Error('bad balance');
    return envelope.data;
  };
  const stamped = (params: Params): Params => ({ ...params, timestamp: Math.floor(Date.now() / 1000) });
  const send = (sign: (params: Params) => Params | Promise<Params>) =>
    transport.send({ method: 'POST', path: '/balance', body: {}, sign, retry: true });
  return {
    'raw node:http + createHmac': rawNodeBalanceCall(server.origin),
    'thaipay transport, raw signing': async () =>
      check(
        (
          await send((params) => {
            const fields = stamped(params);
            return { ...fields, signature: rawHs256Sign(fields, API_KEY) };
          })
        ).body,
      ),
    'thaipay transport + signing': async () =>
      check(
        (
          await send(async (params) => {
            const fields = stamped(params);
            return { ...fields, signature: await signJwtGatewayParams(fields, API_KEY) };
          })
        ).body,
      ),
    'JwtGatewayClient.getBalance()': sdkBalanceCall(server.origin),
  };
}

const layers = which === 'balance' ? balanceLayers() : thbLayers();
const kinds = Object.keys(layers);
const cpu: Record<string, number[]> = {};
for (const kind of kinds) {
  cpu[kind] = [];
  for (let i = 0; i < 200; i++) await layers[kind]!();
}
const batch = which === 'balance' ? 50 : 20;
for (let round = 0; round < Number(roundsText); round++) {
  // Every order in turn, so no layer always runs first or after the same neighbour.
  const order = [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)];
  if (round % 2 === 1) order.reverse();
  for (const kind of order) {
    const before = process.cpuUsage();
    for (let i = 0; i < batch; i++) await layers[kind]!();
    const used = process.cpuUsage(before);
    cpu[kind]!.push((used.user + used.system) / batch);
  }
}
const reference = cpu[kinds[0]!]!;
for (const kind of kinds) {
  const ratio = median(cpu[kind]!.map((value, round) => reference[round]! / value));
  console.log(
    `${kind.padEnd(44)} CPU ${median(cpu[kind]!).toFixed(0).padStart(5)} µs  raw/this ${ratio.toFixed(2)}`,
  );
}
await server.close();
