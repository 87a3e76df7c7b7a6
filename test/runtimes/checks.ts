/**
 * The runtime-neutral checks of the matrix: given the BUILT package (the `dist/` ESM root entry, passed in
 * so this file imports nothing at run time but plain data), the fixed vectors and the URL of the local
 * provider server, run every check and report each as `{ name, ok, detail }`. Never throws: a failing
 * check is a result, so one run shows every problem of a runtime at once.
 *
 * It uses only what every target runtime has (fetch, Request, Response, TextEncoder, crypto.subtle on
 * secure pages), so the same code runs in Node, Bun, Deno, an edge VM and Chromium.
 */
import type * as Thaipay from '../../src/index';
import { couldBeMerged } from '../helpers/resplit';
import { MOCK_GATEWAY, MOCK_THB } from './mock-api';
import { PRIVATE_KEY_FORMS, PUBLIC_KEY_FORMS, type RuntimeVectors } from './vectors';

/** The root entry of thaipay as a runtime loaded it. */
export type ThaipayApi = typeof Thaipay;
type CryptoProvider = Thaipay.CryptoProvider;

/** One check's outcome. `detail` says what was seen (a value on success, the reason on failure). */
export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface CheckOptions {
  /** The provider `getDefaultCryptoProvider()` must pick in this runtime, when it is known. */
  expectProvider?: CryptoProvider['name'];
  /**
   * Whether the runtime has `crypto.subtle`. Default true; false on an insecure browser page, where the
   * checks instead expect `createWebCryptoProvider()` to refuse with `crypto_unavailable`.
   */
  webCrypto?: boolean;
}

/** A check's own failure, as opposed to an error thrown by thaipay. */
class CheckFailed extends Error {
  override name = 'CheckFailed';
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (actual !== expected) {
    throw new CheckFailed(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** The call must reject with an instance of `errorClass`; anything else (or success) fails the check. */
async function expectRejects(
  call: () => Promise<unknown>,
  errorClass: abstract new (...args: never[]) => Error,
  what: string,
): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof errorClass) return;
    throw new CheckFailed(`${what}: rejected with ${describeError(error)}, not ${errorClass.name}`);
  }
  throw new CheckFailed(`${what}: was accepted`);
}

/**
 * Run every check of the matrix in the current runtime.
 *
 * @example
 * ```ts
 * const api = await import('../../dist/index.js');
 * const results = await runChecks(api, vectors, 'http://127.0.0.1:4010', { expectProvider: 'node' });
 * const failed = results.filter((r) => !r.ok);
 * ```
 */
export async function runChecks(
  api: ThaipayApi,
  vectors: RuntimeVectors,
  serverUrl: string,
  options: CheckOptions = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  async function check(name: string, run: () => Promise<string | undefined> | string | undefined) {
    try {
      results.push({ name, ok: true, detail: (await run()) ?? '' });
    } catch (error) {
      results.push({ name, ok: false, detail: describeError(error) });
    }
  }

  // ---- which crypto the runtime gets --------------------------------------------------------------
  await check('runtime globals', () => {
    const g = globalThis as unknown as {
      Buffer?: unknown;
      process?: { getBuiltinModule?: unknown };
      crypto?: { subtle?: unknown };
    };
    const has = (value: unknown) => (value === undefined ? 'no' : 'yes');
    return `Buffer ${has(g.Buffer)}, process.getBuiltinModule ${has(g.process?.getBuiltinModule)}, crypto.subtle ${has(g.crypto?.subtle)}`;
  });
  const providers: { label: string; provider: CryptoProvider }[] = [];
  if (options.expectProvider === 'forge') {
    // node-forge is opt-in: detection alone must refuse, naming the way out.
    await check('no crypto without opting in to node-forge', () => {
      try {
        api.getDefaultCryptoProvider();
      } catch (error) {
        if (error instanceof api.ThaiPayError && error.code === 'crypto_unavailable') {
          if (!error.message.includes('createForgeCryptoProvider'))
            throw new CheckFailed('no hint in the message');
          return error.code;
        }
        throw error;
      }
      throw new CheckFailed('getDefaultCryptoProvider() worked without node:crypto or crypto.subtle');
    });
    api.setDefaultCryptoProvider(api.createForgeCryptoProvider());
  }
  await check('default crypto provider', () => {
    const provider = api.getDefaultCryptoProvider();
    providers.push({ label: `default (${provider.name})`, provider });
    if (options.expectProvider) expectEqual(provider.name, options.expectProvider, 'provider');
    return provider.name;
  });
  if (options.webCrypto === false) {
    await check('web crypto provider refused without crypto.subtle', () => {
      try {
        api.createWebCryptoProvider();
      } catch (error) {
        if (error instanceof api.ThaiPayError && error.code === 'crypto_unavailable') return error.code;
        throw error;
      }
      throw new CheckFailed('createWebCryptoProvider() worked without crypto.subtle');
    });
  } else {
    await check('web crypto provider available', () => {
      const web = api.createWebCryptoProvider();
      if (!providers.some((p) => p.provider.name === 'web')) providers.push({ label: 'web', provider: web });
      return web.name;
    });
  }

  // ---- HS256 (JWT gateway) --------------------------------------------------------------------------
  for (const { label, provider } of providers) {
    await check(`HS256 signing equals jsonwebtoken [${label}]`, async () => {
      for (const vector of vectors.hs256.cases) {
        const token = await api.signJwtGatewayParams(vector.params, vectors.hs256.apiKey, provider);
        expectEqual(token, vector.jwt, vector.name);
      }
      return `${vectors.hs256.cases.length} vectors`;
    });
  }

  const { callback } = vectors;
  const encoder = new TextEncoder();
  const callbackForms: [string, () => Thaipay.WebhookBody][] = [
    ['string', () => callback.genuine],
    ['bytes', () => encoder.encode(callback.genuine)],
    ['parsed object', () => JSON.parse(callback.genuine) as Record<string, unknown>],
  ];
  for (const [form, body] of callbackForms) {
    await check(`callback verification accepts the genuine callback (${form})`, async () => {
      const verified = await api.verifyJwtGatewayCallback(body(), { apiKey: callback.apiKey });
      expectEqual(verified.orderNo, callback.expected.orderNo, 'orderNo');
      expectEqual(verified.orderId, callback.expected.agentOrderNo, 'agentOrderNo');
      expectEqual(verified.amountSatang, callback.expected.amountSatang, 'amountSatang');
      expectEqual(verified.status, callback.expected.status, 'status');
      return `${verified.orderNo} ${verified.status}`;
    });
  }
  await check('callback verification accepts the genuine callback during a key rotation', async () => {
    const verified = await api.verifyJwtGatewayCallback(callback.genuine, {
      apiKey: [callback.otherApiKey, callback.apiKey],
    });
    expectEqual(verified.orderNo, callback.expected.orderNo, 'orderNo');
    return undefined;
  });
  // Only signed values count (src/jwt-gateway/webhooks.ts): a field added to the body is set apart as
  // unsigned, and a signed field missing from the body is read from the token; neither changes the event.
  const unchanged = new Set(['field added', 'field removed']);
  await check('callback verification reads an added or removed body field from the token alone', async () => {
    for (const variant of callback.tampered.filter((t) => unchanged.has(t.name))) {
      const verified = await api.verifyJwtGatewayCallback(variant.body, { apiKey: callback.apiKey });
      expectEqual(verified.orderNo, callback.expected.orderNo, `${variant.name}: orderNo`);
      expectEqual(verified.amountSatang, callback.expected.amountSatang, `${variant.name}: amountSatang`);
      expectEqual(verified.status, callback.expected.status, `${variant.name}: status`);
      expectEqual(verified.kind, 'deposit', `${variant.name}: kind`);
    }
    return undefined;
  });
  await check('callback verification refuses every tampered callback', async () => {
    for (const tampered of callback.tampered.filter((t) => !unchanged.has(t.name))) {
      await expectRejects(
        () => api.verifyJwtGatewayCallback(tampered.body, { apiKey: callback.apiKey }),
        api.WebhookVerificationError,
        tampered.name,
      );
    }
    return `${callback.tampered.length - unchanged.size} variants refused`;
  });
  await check('callback verification refuses the genuine callback under another key', () =>
    expectRejects(
      () => api.verifyJwtGatewayCallback(callback.genuine, { apiKey: callback.otherApiKey }),
      api.WebhookVerificationError,
      'other key',
    ).then(() => undefined),
  );

  // ---- RSA (THB collect) ------------------------------------------------------------------------------
  const { rsa } = vectors;
  await check('THB sign strings equal the reference builder', () => {
    for (const vector of rsa.cases) {
      expectEqual(api.thbSignString(vector.params, rsa.secretKey), vector.signString, vector.name);
    }
    return `${rsa.cases.length} vectors`;
  });
  for (const { label, provider } of providers) {
    for (const form of PRIVATE_KEY_FORMS) {
      await check(`RSA-SHA256 signing equals node:crypto, private key ${form} [${label}]`, async () => {
        for (const vector of rsa.cases) {
          const keys = { secretKey: rsa.secretKey, privateKey: rsa.merchant[form] };
          expectEqual(await api.signThbParams(vector.params, keys, provider), vector.sign, vector.name);
        }
        return `${rsa.cases.length} vectors`;
      });
    }
    for (const form of PUBLIC_KEY_FORMS) {
      await check(`RSA-SHA256 verification, public key ${form} [${label}]`, async () => {
        const keys = { secretKey: rsa.secretKey, publicKey: rsa.merchant[form] };
        for (const vector of rsa.cases) {
          const valid = await api.verifyThbParams({ ...vector.params, sign: vector.sign }, keys, provider);
          // Fields that could be a merge of other signed fields are refused however genuine the signature
          // (the sign string itself is checked by the signing check above).
          const resplittable = couldBeMerged(vector.params);
          expectEqual(valid, !resplittable, `${resplittable ? 'refuses' : 'accepts'} ${vector.name}`);
        }
        for (const tampered of rsa.tampered) {
          const valid = await api.verifyThbParams(
            { ...tampered.params, sign: tampered.sign },
            keys,
            provider,
          );
          expectEqual(valid, false, `refuses ${tampered.name}`);
        }
        return `${rsa.cases.length} accepted, ${rsa.tampered.length} refused`;
      });
    }
    await check(`key import refuses the wrong kind of key, without echoing it [${label}]`, async () => {
      const params = rsa.cases[0]!.params;
      const publicAsPrivate = { secretKey: rsa.secretKey, privateKey: rsa.merchant.spkiPem };
      const garbage = { secretKey: rsa.secretKey, privateKey: 'MIIB-this-is-not-a-key' };
      for (const [what, keys] of [
        ['a public key as the private key', publicAsPrivate],
        ['garbage as the private key', garbage],
      ] as const) {
        try {
          await api.signThbParams(params, keys, provider);
          throw new CheckFailed(`${what} was accepted`);
        } catch (error) {
          if (!(error instanceof api.InvalidRequestError)) {
            throw new CheckFailed(`${what}: ${describeError(error)}, not InvalidRequestError`);
          }
          const keyBody = rsa.merchant.spkiBase64Der.slice(40, 80);
          if (error.message.includes(keyBody))
            throw new CheckFailed(`${what}: the error echoes key material`);
        }
      }
      return undefined;
    });
  }

  // ---- THB notifications --------------------------------------------------------------------------
  const { notification } = vectors;
  const notificationKeys = (platformPublicKey: string) => ({
    secretKey: notification.secretKey,
    platformPublicKey,
  });
  const notificationForms: [string, Thaipay.WebhookBody, string | undefined, string][] = [
    ['JSON, SPKI PEM key', notification.genuine, undefined, rsa.platform.spkiPem],
    ['JSON, Base64 DER key', notification.genuine, 'application/json', rsa.platform.spkiBase64Der],
    ['form-encoded', notification.genuineForm, 'application/x-www-form-urlencoded', rsa.platform.spkiPem],
  ];
  for (const [form, body, contentType, key] of notificationForms) {
    await check(`THB notification verification accepts the genuine notification (${form})`, async () => {
      const verified = await api.verifyThbNotification(body, {
        ...notificationKeys(key),
        ...(contentType === undefined ? {} : { contentType }),
      });
      expectEqual(verified.orderId, notification.expected.orderId, 'orderId');
      expectEqual(verified.orderNo, notification.expected.orderNo, 'orderNo');
      expectEqual(verified.amountSatang, notification.expected.amountSatang, 'amountSatang');
      expectEqual(verified.status, notification.expected.status, 'status');
      expectEqual(verified.payTime?.toISOString(), notification.expected.payTime, 'payTime');
      return `${verified.orderId} ${verified.status}`;
    });
  }
  await check('THB notification verification refuses every tampered notification', async () => {
    for (const tampered of notification.tampered) {
      await expectRejects(
        () => api.verifyThbNotification(tampered.body, notificationKeys(rsa.platform.spkiPem)),
        api.WebhookVerificationError,
        tampered.name,
      );
    }
    return `${notification.tampered.length} variants refused`;
  });

  // ---- webhook handlers on the runtime's own Request / Response -------------------------------------
  await check(
    'JWT gateway webhook handler answers a genuine callback and refuses a tampered one',
    async () => {
      const seen: string[] = [];
      const handle = api.createJwtGatewayWebhookHandler({
        apiKey: callback.apiKey,
        onEvent: (event) => {
          seen.push(event.orderNo);
        },
      });
      const post = (body: string) =>
        new Request(`${serverUrl}/merchant/callback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
      const genuine = await handle(post(callback.genuine));
      expectEqual(genuine.status, 200, 'genuine status');
      expectEqual(JSON.parse(await genuine.text()).code, 200, 'acknowledgement code');
      const tampered = await handle(post(callback.tampered[0]!.body));
      expectEqual(tampered.status, 400, 'tampered status');
      expectEqual(seen.join(), callback.expected.orderNo, 'events handled');
      return undefined;
    },
  );
  await check(
    'THB webhook handler answers SUCCESS to a genuine notification and refuses a tampered one',
    async () => {
      const seen: string[] = [];
      const handle = api.createThbWebhookHandler({
        ...notificationKeys(rsa.platform.spkiPem),
        onEvent: (event) => {
          seen.push(event.orderId);
        },
      });
      const post = (body: string, contentType: string) =>
        new Request(`${serverUrl}/merchant/notify`, {
          method: 'POST',
          headers: { 'content-type': contentType },
          body,
        });
      const genuine = await handle(post(notification.genuineForm, 'application/x-www-form-urlencoded'));
      expectEqual(genuine.status, 200, 'genuine status');
      expectEqual(await genuine.text(), 'SUCCESS', 'acknowledgement');
      const tampered = await handle(post(notification.tampered[0]!.body, 'application/json'));
      expectEqual(tampered.status, 400, 'tampered status');
      expectEqual(seen.join(), notification.expected.orderId, 'events handled');
      return undefined;
    },
  );

  // ---- clients over fetch to the local server --------------------------------------------------------
  await check('JwtGatewayClient.getBalance() against the local server', async () => {
    const client = new api.JwtGatewayClient({
      baseUrl: `${serverUrl}${MOCK_GATEWAY.prefix}`,
      merchantId: MOCK_GATEWAY.merchantId,
      apiKey: vectors.hs256.apiKey,
      maxRetries: 0,
      // The insecure-page run in Chromium reaches this loopback server under a non-loopback host name.
      allowInsecureHttp: true,
    });
    const balance = await client.getBalance();
    expectEqual(balance.balanceSatang, MOCK_GATEWAY.balanceSatang, 'balanceSatang');
    expectEqual(balance.currency, MOCK_GATEWAY.currency, 'currency');
    return `${balance.balance} ${balance.currency}`;
  });
  const thbClient = () =>
    new api.ThbCollectClient({
      appId: MOCK_THB.appId,
      secretKey: rsa.secretKey,
      privateKey: rsa.merchant.pkcs8Base64Der,
      platformPublicKey: rsa.platform.spkiPem,
      baseUrl: serverUrl,
      maxRetries: 0,
      allowInsecureHttp: true,
    });
  await check('ThbCollectClient.getCollection() against the local server, answer verified', async () => {
    const order = await thbClient().getCollection({ orderId: MOCK_THB.orderId });
    expectEqual(order.orderId, MOCK_THB.orderId, 'orderId');
    expectEqual(order.orderNo, MOCK_THB.orderNo, 'orderNo');
    expectEqual(order.amountSatang, MOCK_THB.amountSatang, 'amountSatang');
    expectEqual(order.status, 'succeeded', 'status');
    return `${order.orderNo} ${order.status}`;
  });
  await check('ThbCollectClient refuses an answer whose platform signature does not verify', () =>
    expectRejects(
      () => thbClient().getCollection({ orderId: MOCK_THB.tamperedOrderId }),
      api.ResponseVerificationError,
      'tampered answer',
    ).then(() => undefined),
  );

  return results;
}
