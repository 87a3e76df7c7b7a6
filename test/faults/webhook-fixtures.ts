/**
 * Signed callbacks and notifications made the providers' way, independently of src/: JWT gateway
 * callbacks with jsonwebtoken, THB collect notifications with node:crypto over a sign string written
 * here from the provider's guide. Shared by the hardening, load and property suites.
 */
import { createPrivateKey, createSecretKey, createSign, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { testRsaKeyPair } from '../helpers/rsa-keys';

export const JWT_API_KEY = 'hardening-api-key-7f3a9c21d8e4b605';
export const JWT_OLD_API_KEY = 'hardening-old-api-key-1b2c3d4e5f607182';
export const JWT_STRANGER_KEY = 'not-the-merchant-key-99aa88bb77cc66dd';

export const THB_SECRET_KEY = 'hardening-thb-secret-0a1b2c3d4e5f6071';

interface Pair {
  privateKey: KeyObject;
  publicPem: string;
}

/** Committed TEST ONLY pairs (test/helpers/rsa-keys.ts): generating three per file cost about 1 s of CPU. */
function pair(n: number): Pair {
  const { privateKey, publicKey } = testRsaKeyPair(n);
  return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

/** The platform's current key, its previous key (a rotation), and someone else's. */
export const THB_PLATFORM = pair(1);
export const THB_PLATFORM_OLD = pair(2);
export const THB_STRANGER = pair(3);

/** A JWT gateway callback, as the document's example has it. */
export function jwtCallbackFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    order_no: 'DP1640995200ABC123',
    agent_order_no: 'order-1001',
    type: 'deposit',
    amount: 1000,
    fee: 5,
    transfer_amount: 995,
    actual_amount: 995,
    status: 'completed',
    timestamp: String(Math.floor(Date.now() / 1000)),
    ...overrides,
  };
}

/**
 * An API key as the HMAC key jsonwebtoken makes of a string itself (`createSecretKey(Buffer.from(key))`,
 * node_modules/jsonwebtoken/sign.js and verify.js), made up front: given the string, jsonwebtoken first
 * tries to read it as a PEM key and catches the throw, about 0.5 ms a token, most of a property run's time.
 */
export function jwtKey(apiKey: string): KeyObject {
  return createSecretKey(Buffer.from(apiKey));
}

/** The doc's recipe: keys sorted into a fresh object, jsonwebtoken HS256 without iat. */
export function jwtSigned(fields: Record<string, unknown>, apiKey = JWT_API_KEY): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(fields).sort()) sorted[key] = fields[key];
  return {
    ...fields,
    signature: jwt.sign(sorted, jwtKey(apiKey), { algorithm: 'HS256', noTimestamp: true }),
  };
}

/** A THB collect collection notification. */
export function thbNotificationFields(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appId: 1054,
    currency: 'THB',
    orderId: 'M233323000059',
    orderNo: '6023071013539074',
    amount: '300.00',
    fee: '4.50',
    status: 2,
    payTime: '2024-03-01 23:59:59',
    errorMsg: '',
    ...overrides,
  };
}

/** THB's sign string, from the guide: non-empty values, no sign/sign_type, sorted, `&key=` appended. */
export function thbSignString(params: Record<string, unknown>, secretKey = THB_SECRET_KEY): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .filter((k) => params[k] !== '' && params[k] !== null && params[k] !== undefined)
    .sort();
  const text = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
  // Each pair followed by "&", then key=...: as a Java StringBuilder loop writes it (no pairs: "key=...").
  return `${keys.map((k) => `${k}=${text(params[k])}&`).join('')}key=${secretKey}`;
}

/** SHA256withRSA, standard Base64, with the platform key unless told otherwise. */
export function thbSigned(
  fields: Record<string, unknown>,
  privateKey: KeyObject | string = THB_PLATFORM.privateKey,
  secretKey = THB_SECRET_KEY,
): Record<string, unknown> {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const signer = createSign('sha256');
  signer.update(thbSignString(fields, secretKey), 'utf8');
  return { ...fields, sign: signer.sign(key).toString('base64') };
}

/** A form-encoded body with every value as text. */
export function formBody(fields: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();
}

/** A POST to a webhook handler. */
export function webhookRequest(
  body: BodyInit | null,
  contentType: string | null = 'application/json',
  init: RequestInit = {},
): Request {
  const headers = new Headers(init.headers);
  if (contentType !== null) headers.set('content-type', contentType);
  return new Request('https://shop.example/webhooks', {
    method: 'POST',
    body,
    ...init,
    headers,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}
