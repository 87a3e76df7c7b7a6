// TEST ONLY. Makes vectors.json, the fixed inputs and outputs the runtime matrix checks thaipay against on
// every runtime (Node, Bun, Deno, edge, Chromium). Everything here is computed by implementations
// independent of thaipay: jsonwebtoken for the HS256 JWTs, node:crypto for the RSA keys and signatures, and
// a THB sign-string builder written in this file.
//
// The keys are fresh 2048-bit RSA pairs made for these tests and published with the source: TEST ONLY,
// never use them for payments. Run from the repository root: node test/runtimes/make-vectors.mjs
// The output is committed; rerunning changes every key and signature (the checks read them from the file).
import { createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import jwt from 'jsonwebtoken';

const here = dirname(fileURLToPath(import.meta.url));

/** Change the first character: it always changes the first byte (the last one may only hold padding bits). */
const alter = (text) => `${text[0] === 'A' ? 'B' : 'A'}${text.slice(1)}`;

// ---- HS256 (JWT gateway) ----------------------------------------------------------------------------

const apiKey = 'test-only-api-key-6f1d0c8e2b';
const otherApiKey = 'test-only-other-api-key-91aa';

/** Top-level keys in UTF-16 code-unit order: the gateway's "parameters sorted by key". */
function sorted(params) {
  const out = {};
  for (const key of Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = params[key];
  return out;
}

/** What the gateway's signer does: jsonwebtoken over the sorted params, no iat. */
function gatewayJwt(params, key = apiKey, algorithm = 'HS256') {
  return jwt.sign(sorted(params), key, { algorithm, noTimestamp: true });
}

const hs256Cases = [
  {
    name: 'deposit (numeric timestamp, Thai name)',
    params: {
      type: 'QR',
      transactionId: 'order-1001',
      name: 'สมชาย ใจดี',
      merchantId: 'M-42',
      timestamp: 1750000000,
      bankName: 'KBANK',
      callbackUrl: 'https://shop.example/callbacks/gateway',
      bankAccountNumber: '1234567890',
      amount: 250.5,
    },
  },
  {
    name: 'withdrawal (string timestamp)',
    params: {
      timestamp: '1750000123',
      agent_order_no: 'payout-77',
      amount: 1500,
      bank_code: 'SCB',
      account_no: '9876543210',
      account_name: 'Somchai Jaidee',
      callback_url: 'https://shop.example/callbacks/gateway',
    },
  },
  { name: 'balance (timestamp only)', params: { timestamp: 1750000456 } },
  {
    name: 'JSON escaping and astral characters',
    params: {
      note: 'a "quoted" \\ back/slash <tag> & \u2028 line sep ✓ 😀',
      Zeta: 'capital sorts first',
      zeta: 0.1,
      empty: '',
      flag: true,
      nothing: null,
    },
  },
].map((c) => ({ ...c, jwt: gatewayJwt(c.params) }));

/** A callback exactly as the gateway would POST it: the fields plus `signature`, as JSON text. */
const callbackFields = {
  order_no: 'GW202506150001',
  agent_order_no: 'order-1001',
  type: 'deposit',
  amount: 250.5,
  actual_amount: 250.5,
  fee: 1.25,
  status: 'completed',
  timestamp: 1750000789,
};
const callbackBody = (fields, signature) => JSON.stringify({ ...fields, signature });
const genuineSignature = gatewayJwt(callbackFields);
const [jwtHeader, jwtPayload, jwtMac] = genuineSignature.split('.');
const noneHeader = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
const flippedMac = alter(jwtMac);
const { type: _type, ...withoutType } = callbackFields;

const callback = {
  apiKey,
  otherApiKey,
  genuine: callbackBody(callbackFields, genuineSignature),
  expected: {
    orderNo: 'GW202506150001',
    agentOrderNo: 'order-1001',
    amountSatang: 25050,
    status: 'succeeded',
  },
  tampered: [
    { name: 'amount changed', body: callbackBody({ ...callbackFields, amount: 2500.5 }, genuineSignature) },
    { name: 'status changed', body: callbackBody({ ...callbackFields, status: 'failed' }, genuineSignature) },
    { name: 'field added', body: callbackBody({ ...callbackFields, bonus: 1 }, genuineSignature) },
    { name: 'field removed', body: callbackBody(withoutType, genuineSignature) },
    {
      name: 'number turned into a string',
      body: callbackBody({ ...callbackFields, amount: '250.5' }, genuineSignature),
    },
    {
      name: 'signed with another key',
      body: callbackBody(callbackFields, gatewayJwt(callbackFields, otherApiKey)),
    },
    { name: 'MAC altered', body: callbackBody(callbackFields, `${jwtHeader}.${jwtPayload}.${flippedMac}`) },
    { name: 'alg none', body: callbackBody(callbackFields, `${noneHeader}.${jwtPayload}.`) },
    {
      name: 'HS512 with the right key',
      body: callbackBody(callbackFields, gatewayJwt(callbackFields, apiKey, 'HS512')),
    },
    { name: 'signature missing', body: JSON.stringify(callbackFields) },
  ],
};

// ---- RSA (THB collect) ------------------------------------------------------------------------------

/** Every form a merchant may be handed a key pair in. */
function keyForms() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs8Pem = privateKey.export({ format: 'pem', type: 'pkcs8' });
  return {
    pkcs8Pem,
    pkcs1Pem: privateKey.export({ format: 'pem', type: 'pkcs1' }),
    pkcs8Base64Der: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    // As pasted into a one-line environment variable.
    pkcs8PemEscapedNewlines: pkcs8Pem.trim().replace(/\n/g, '\\n'),
    spkiPem: publicKey.export({ format: 'pem', type: 'spki' }),
    pkcs1PublicPem: publicKey.export({ format: 'pem', type: 'pkcs1' }),
    spkiBase64Der: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

/** The provider's rule: non-empty params, no sign/sign_type, code-unit order, k=v&..., then key=secret. */
function thbSignString(params, secretKey) {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .filter((k) => params[k] !== '' && params[k] !== null && params[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${keys.map((k) => `${k}=${String(params[k])}&`).join('')}key=${secretKey}`;
}

function rsaSign(pem, text) {
  return sign('sha256', Buffer.from(text, 'utf8'), createPrivateKey(pem)).toString('base64');
}

const merchant = keyForms();
const platform = keyForms();
const secretKey = 'test-only-secret-key-3b7e';

const rsaCases = [
  {
    name: 'collection apply (Thai name, empty field skipped)',
    params: {
      appId: 1001,
      orderId: 'M1001',
      amount: '300.00',
      payType: 'QR',
      name: 'สมชาย ใจดี',
      phone: '0812345678',
      email: 'somchai@example.com',
      callBackUrl: 'https://shop.example/ok',
      partnerUserId: 'user-42',
      subject: '',
      sign_type: 'RSA',
    },
  },
  { name: 'query', params: { appId: 1001, orderId: 'M1001', orderNo: 'TH202506150001' } },
  {
    name: 'astral characters and ASCII order',
    params: { appId: 1001, orderId: 'M-😀-1', Remark: 'สวัสดี ✓', remark: 'a&b=c', zeta: 0 },
  },
].map((c) => {
  const signString = thbSignString(c.params, secretKey);
  return { ...c, signString, sign: rsaSign(merchant.pkcs8Pem, signString) };
});

const first = rsaCases[0];
const rsa = {
  secretKey,
  merchant,
  platform,
  cases: rsaCases,
  tampered: [
    {
      name: 'amount changed',
      params: { ...first.params, amount: '3000.00' },
      sign: first.sign,
    },
    { name: 'field added', params: { ...first.params, extra: 'x' }, sign: first.sign },
    {
      name: 'signed by the platform key',
      params: first.params,
      sign: rsaSign(platform.pkcs8Pem, first.signString),
    },
    {
      name: 'signed with another secret key',
      params: first.params,
      sign: rsaSign(merchant.pkcs8Pem, thbSignString(first.params, 'another-secret')),
    },
    { name: 'signature altered', params: first.params, sign: alter(first.sign) },
    { name: 'signature not Base64', params: first.params, sign: '!!not base64!!' },
    { name: 'signature empty', params: first.params, sign: '' },
  ],
};

// ---- THB notification (signed by the platform key) ------------------------------------------------

const notificationFields = {
  appId: 1001,
  currency: 'THB',
  orderId: 'M1001',
  orderNo: 'TH202506150001',
  amount: '300.00',
  actualAmount: '300.00',
  fee: '6.00',
  status: 2,
  payTime: '2025-06-15 14:30:00',
  errorMsg: '',
};
const signNotification = (fields, key = platform.pkcs8Pem, secret = secretKey) => ({
  ...fields,
  sign: rsaSign(key, thbSignString(fields, secret)),
});
const genuineNotification = signNotification(notificationFields);
const { fee: _fee, ...withoutFee } = genuineNotification;
const formBody = (fields) =>
  Object.entries(fields)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');

const notification = {
  secretKey,
  genuine: JSON.stringify(genuineNotification),
  genuineForm: formBody(genuineNotification),
  expected: {
    orderId: 'M1001',
    orderNo: 'TH202506150001',
    amountSatang: 30000,
    status: 'succeeded',
    // 14:30 in Thailand (UTC+7).
    payTime: '2025-06-15T07:30:00.000Z',
  },
  tampered: [
    { name: 'amount changed', body: JSON.stringify({ ...genuineNotification, amount: '3000.00' }) },
    { name: 'status changed', body: JSON.stringify({ ...genuineNotification, status: 3 }) },
    { name: 'field added', body: JSON.stringify({ ...genuineNotification, bonus: '1' }) },
    { name: 'field removed', body: JSON.stringify(withoutFee) },
    {
      name: 'signed by the merchant key',
      body: JSON.stringify(signNotification(notificationFields, merchant.pkcs8Pem)),
    },
    {
      name: 'signed with another secret key',
      body: JSON.stringify(signNotification(notificationFields, platform.pkcs8Pem, 'another-secret')),
    },
    {
      name: 'signature altered',
      body: JSON.stringify({ ...genuineNotification, sign: alter(genuineNotification.sign) }),
    },
    { name: 'signature missing', body: JSON.stringify(notificationFields) },
  ],
};

const vectors = {
  note: 'TEST ONLY keys and secrets. Made by test/runtimes/make-vectors.mjs with jsonwebtoken and node:crypto.',
  hs256: { apiKey, cases: hs256Cases },
  callback,
  rsa,
  notification,
};
writeFileSync(join(here, 'vectors.json'), `${JSON.stringify(vectors, null, 2)}\n`);
console.log(
  `wrote vectors.json: ${hs256Cases.length} HS256, ${callback.tampered.length} tampered callbacks, ${rsaCases.length} RSA, ${notification.tampered.length} tampered notifications`,
);
