/**
 * Test-side implementations of both providers' schemes, written from the docs with jsonwebtoken and
 * node:crypto, independent of the sandbox's own signing code, plus a local callback receiver.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import type { Sandbox } from '../../src/testing';

/** The doc's recipe, verbatim: sort keys into a fresh object, jsonwebtoken HS256 without iat. */
export function jwtSign(params: Record<string, unknown>, apiKey: string): string {
  const sortedParams: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) {
    if (key !== 'signature') sortedParams[key] = params[key];
  }
  return jwt.sign(sortedParams, apiKey, { algorithm: 'HS256', noTimestamp: true });
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

let sequence = 0;
/** A fresh merchant order id. */
export function uniqueId(prefix = 'T'): string {
  sequence += 1;
  return `${prefix}${Date.now()}${sequence}`;
}

export function depositParams(
  sandbox: Sandbox,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    merchantId: sandbox.jwtGateway.merchantId,
    transactionId: uniqueId('TX'),
    bankAccountNumber: '1234567890',
    bankName: 'KBANK',
    name: 'John Doe',
    amount: 1000,
    callbackUrl: 'http://127.0.0.1:9/callback',
    type: 'QR',
    timestamp: nowSeconds(),
    ...overrides,
  };
}

export function withdrawParams(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    agent_order_no: uniqueId('WO'),
    amount: 1000,
    bank_code: 'SCB',
    account_no: '1234567890',
    account_name: 'John Doe',
    callback_url: 'http://127.0.0.1:9/callback',
    timestamp: String(nowSeconds()),
    ...overrides,
  };
}

export interface JwtCallOptions {
  apiKey?: string | null;
  signWith?: string;
  headers?: Record<string, string>;
  signature?: string;
}

/** POST signed params to a JWT gateway path; answers status + parsed JSON. */
export async function jwtPost(
  sandbox: Sandbox,
  path: string,
  params: Record<string, unknown>,
  options: JwtCallOptions = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const apiKey = options.apiKey === undefined ? sandbox.jwtGateway.apiKey : options.apiKey;
  const signature = options.signature ?? jwtSign(params, options.signWith ?? sandbox.jwtGateway.apiKey);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (apiKey !== null) headers['x-api-key'] = apiKey;
  const response = await fetch(`${sandbox.jwtGateway.baseUrl}${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...params, signature }),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** THB collect sign string, written from the provider's document in the test (independent of src/). */
export function thbSignString(params: Record<string, unknown>, secretKey: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .filter((k) => params[k] !== '' && params[k] !== null && params[k] !== undefined)
    .sort();
  return `${keys.map((k) => `${k}=${String(params[k])}`).join('&')}&key=${secretKey}`;
}

export function thbSign(
  params: Record<string, unknown>,
  secretKey: string,
  privateKeyBase64: string,
): string {
  const key = createPrivateKey({
    key: Buffer.from(privateKeyBase64, 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  return sign('sha256', Buffer.from(thbSignString(params, secretKey), 'utf8'), key).toString('base64');
}

export function thbVerify(
  params: Record<string, unknown>,
  secretKey: string,
  publicKeyBase64: string,
): boolean {
  const key = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
  return verify(
    'sha256',
    Buffer.from(thbSignString(params, secretKey), 'utf8'),
    key,
    Buffer.from(String(params.sign), 'base64'),
  );
}

export function collectionParams(
  sandbox: Sandbox,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    appId: Number(sandbox.thbCollect.appId),
    orderId: uniqueId('M'),
    name: 'John Doe',
    phone: '0812345678',
    email: 'john@example.com',
    amount: '300.00',
    payType: 'QR',
    inBankCode: 'QR',
    callBackUrl: 'https://shop.example/ok',
    callBackFailUrl: 'https://shop.example/fail',
    subject: 'Order',
    partnerUserId: '149597870',
    ...overrides,
  };
}

export function payoutParams(
  sandbox: Sandbox,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    appId: Number(sandbox.thbCollect.appId),
    orderId: uniqueId('P'),
    amount: '500.00',
    accountType: 'BANK_ACCOUNT',
    bankCode: 'KBANK',
    accountNo: '1234567890',
    name: 'John Doe',
    phone: '0812345678',
    email: 'john@example.com',
    partnerUserId: '149597870',
    ...overrides,
  };
}

/** POST signed params to a THB path; answers status + parsed JSON. */
export async function thbPost(
  sandbox: Sandbox,
  path: string,
  params: Record<string, unknown>,
  options: { sign?: string; secretKey?: string } = {},
): Promise<{ status: number; body: any }> {
  const signValue =
    options.sign ??
    thbSign(
      params,
      options.secretKey ?? sandbox.thbCollect.secretKey,
      sandbox.thbCollect.merchantPrivateKey!,
    );
  const response = await fetch(`${sandbox.thbCollect.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...params, sign: signValue }),
  });
  return { status: response.status, body: await response.json() };
}

export interface ReceivedMessage {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local callback receiver answering with `respond(n)` (n = 1 for the first message). */
export interface Receiver {
  url: string;
  received: ReceivedMessage[];
  /** Resolves once `count` messages have arrived. */
  waitFor(count: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

export async function startReceiver(
  respond: (n: number, message: ReceivedMessage) => { status: number; body: string },
): Promise<Receiver> {
  const received: ReceivedMessage[] = [];
  const waiters: Array<{ count: number; resolve: (messages: ReceivedMessage[]) => void }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const message = { headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(message);
      const answer = respond(received.length, message);
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end(answer.body);
      for (const waiter of [...waiters]) {
        if (received.length >= waiter.count) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve([...received]);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    received,
    waitFor: (count) =>
      received.length >= count
        ? Promise.resolve([...received])
        : new Promise((resolve) => waiters.push({ count, resolve })),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export const JWT_ACK = { status: 200, body: '{"code":200,"message":"Success"}' };
export const THB_ACK = { status: 200, body: 'SUCCESS' };
