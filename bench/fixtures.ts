/**
 * What every benchmark row works on: the documented request and callback shapes, fresh RSA keys, and
 * the hand-written "raw" versions of each operation that the SDK is measured against.
 *
 * The raw versions are what a careful merchant would write with node:crypto alone: they are the limit
 * the issue asks the SDK to approach, not a strawman.
 */
import {
  createHmac,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
  timingSafeEqual,
} from 'node:crypto';

/** The JWT gateway API key used everywhere (any non-empty string works). */
export const API_KEY = 'bench-api-key-6f1c2d9e8a7b4c3d2e1f0a9b8c7d6e5f';
export const MERCHANT_ID = 'merchant-bench-001';

/** `{"alg":"HS256","typ":"JWT"}` in Base64url, the header jsonwebtoken writes. */
export const JWT_HEADER = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9';

/** A deposit request's parameters, as in the gateway document (9 fields). */
export const DEPOSIT_PARAMS: Record<string, unknown> = {
  merchantId: MERCHANT_ID,
  transactionId: 'order-2024-000123456',
  bankAccountNumber: '1234567890',
  bankName: 'KBANK',
  name: 'Somchai Jaidee',
  amount: 1000,
  callbackUrl: 'https://shop.example/callbacks/gateway',
  type: 'QR',
  timestamp: 1640995200,
};

/** A fresh object with the keys in sorted order, as the gateway's documented code builds it. */
export function sortedCopy(params: Record<string, unknown>): Record<string, unknown> {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) sorted[key] = params[key];
  return sorted;
}

/** The limit of HS256 signing: sort, one JSON.stringify, one Buffer base64url, one createHmac. */
export function rawHs256Sign(params: Record<string, unknown>, apiKey: string): string {
  const input = `${JWT_HEADER}.${Buffer.from(JSON.stringify(sortedCopy(params))).toString('base64url')}`;
  return `${input}.${createHmac('sha256', apiKey).update(input).digest('base64url')}`;
}

/** A deposit callback as the gateway document shows it, signed, as the raw JSON body text. */
export function callbackBody(): string {
  const fields: Record<string, unknown> = {
    order_no: 'DP1640995200ABC123',
    agent_order_no: 'order-2024-000123456',
    type: 'deposit',
    amount: 1000,
    fee: 5,
    transfer_amount: 995,
    actual_amount: 995,
    status: 'completed',
    timestamp: '1640995380',
  };
  return JSON.stringify({ ...fields, signature: rawHs256Sign(fields, API_KEY) });
}

/** Strict equality of two parsed JSON values (what "the signed fields equal the body" means). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  if (ak.length !== bk.length) return false;
  return ak.every(
    (k) =>
      Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/**
 * A careful hand-written check of a callback body: the fields other than `signature` must equal the
 * signed payload exactly. Shared by the raw and the library-based verifiers.
 */
export function checkSignedFields(body: Record<string, unknown>, payload: Record<string, unknown>): void {
  const { signature: _s, ...received } = body;
  if (!jsonEqual(received, payload)) throw new Error('callback fields differ from the signed payload');
}

/** The limit of callback verification: parse, one createHmac, timingSafeEqual, parse payload, compare. */
export function rawVerifyCallback(text: string, apiKey: string): Record<string, unknown> {
  const body = JSON.parse(text) as Record<string, unknown>;
  const token = body.signature;
  if (typeof token !== 'string') throw new Error('no signature');
  const [header, payload, mac] = token.split('.') as [string, string, string];
  const headerJson = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: unknown };
  if (headerJson.alg !== 'HS256') throw new Error('not HS256');
  const expected = createHmac('sha256', apiKey).update(`${header}.${payload}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
  checkSignedFields(
    body,
    JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
  );
  return body;
}

/** RSA material for the THB rows: one 2048-bit merchant key pair in every form the candidates need. */
export interface RsaFixture {
  privatePem: string;
  publicPem: string;
  /** Bare Base64 DER, the form THB's dashboard hands out. */
  privateBase64: string;
  publicBase64: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A fresh 2048-bit RSA key pair (the size THB collect uses). */
export function makeRsaFixture(): RsaFixture {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicPem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
  const privateBase64 = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
  const publicBase64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return {
    privatePem,
    publicPem,
    privateBase64,
    publicBase64,
    // Re-imported from PEM, as an app would from its configuration.
    privateKey: createPrivateKey(privatePem),
    publicKey: createPublicKey(publicPem),
  };
}

/** THB collect's merchant secret key, appended to every sign string. */
export const THB_SECRET_KEY = 'bench-thb-secret-5d4c3b2a19f8e7d6';
export const THB_APP_ID = 1054;

/** A collection request's parameters, as in the THB document. */
export const THB_COLLECTION_PARAMS: Record<string, unknown> = {
  appId: THB_APP_ID,
  orderId: 'M233323000059',
  name: 'Somchai Jaidee',
  phone: '0812345678',
  email: 'somchai@example.co.th',
  amount: '300.00',
  payType: 'QR',
  inBankCode: 'QR',
  callBackUrl: 'https://shop.example/pay/done',
  callBackFailUrl: 'https://shop.example/pay/failed',
  notifyUrl: 'https://shop.example/callbacks/thb',
  subject: 'Order 59',
  partnerUserId: '149597870',
};

/** THB's sign string written by hand: non-empty fields, sorted, `k=v&...&key=secret`. */
export function rawThbSignString(params: Record<string, unknown>, secretKey: string): string {
  let text = '';
  for (const key of Object.keys(params).sort()) {
    const value = params[key];
    if (key === 'sign' || key === 'sign_type' || value === '' || value === null || value === undefined)
      continue;
    text += `${key}=${String(value)}&`;
  }
  return `${text}key=${secretKey}`;
}

/** The sign string of {@link THB_COLLECTION_PARAMS}: about 300 bytes, the size the RSA rows sign. */
export const THB_SIGN_STRING = rawThbSignString(THB_COLLECTION_PARAMS, THB_SECRET_KEY);

/** The limit of RSA signing: crypto.sign with a KeyObject prepared once. */
export function rawRsaSign(data: string, key: KeyObject): string {
  return nodeSign('sha256', Buffer.from(data), key).toString('base64');
}

/** The limit of RSA verification: crypto.verify with a KeyObject prepared once. */
export function rawRsaVerify(data: string, key: KeyObject, signatureBase64: string): boolean {
  return nodeVerify('sha256', Buffer.from(data), key, Buffer.from(signatureBase64, 'base64'));
}
