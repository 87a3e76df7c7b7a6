/**
 * THB collect quick start: take a payment by PromptPay QR, learn its status, pay out to a bank account.
 *
 * Environment: `THB_APP_ID`, `THB_SECRET_KEY`, `THB_PRIVATE_KEY` (yours: PEM or bare Base64, PKCS#8 or
 * PKCS#1), `THB_PLATFORM_PUBLIC_KEY` (the platform's), `THB_BASE_URL` (required: the sandbox URL, or
 * `https://uat-interface.haipay.asia` for the provider's test host; no host is assumed) and `PUBLIC_URL`, where your webhook receiver is reachable (see examples/webhooks/).
 * `thaipay sandbox` prints values for all of them.
 *
 * Run it (after `npm run build`): `node --import tsx examples/thb-collect-quickstart.ts`
 */
import { pathToFileURL } from 'node:url';
import {
  InvalidRequestError,
  OrderStatusUnknownError,
  ResponseVerificationError,
  ThbCollectClient,
  type ThbCollectionCreated,
  type ThbCollectionOrder,
  type ThbPayoutCreated,
  type ThbPayoutOrder,
} from 'thaipay/thb-collect';

/** What the quick start did. */
export interface ThbCollectQuickstartResult {
  collection: ThbCollectionCreated;
  order: ThbCollectionOrder;
  payout: ThbPayoutCreated;
  payoutOrder: ThbPayoutOrder;
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Set ${name} (thaipay sandbox prints a value).`);
  return value;
}

/**
 * Create a collection and a payout, and query both.
 *
 * @param orderId your order id (1-48 characters); a new one per order, reused unchanged to retry.
 * @example
 * ```ts
 * const { collection } = await thbCollectQuickstart(process.env, 'M1001');
 * ```
 */
export async function thbCollectQuickstart(
  env: Record<string, string | undefined> = process.env,
  orderId = `M${Date.now()}`,
): Promise<ThbCollectQuickstartResult> {
  const thb = new ThbCollectClient({
    appId: required(env, 'THB_APP_ID'),
    secretKey: required(env, 'THB_SECRET_KEY'),
    privateKey: required(env, 'THB_PRIVATE_KEY'),
    platformPublicKey: required(env, 'THB_PLATFORM_PUBLIC_KEY'),
    // Required: the sandbox's URL, THB_COLLECT_TEST_BASE_URL for the provider's test host, or the
    // production URL the provider issues at go-live. There is no default host.
    baseUrl: required(env, 'THB_BASE_URL'),
  });
  // One notify URL per kind: a notification does not say whether it is about a collection or a payout.
  const notifyUrl = (path: string) => new URL(path, required(env, 'PUBLIC_URL')).href;

  // 1. A collection. The answer's signature is checked with the platform key before it is returned;
  //    `qrCode` is the PromptPay payload to show (see checkout-page.ts), `payUrl` the hosted page.
  const collection = await thb.createCollection({
    orderId,
    amount: '300.00',
    payType: 'QR',
    name: 'Somchai Jaidee',
    phone: '0812345678',
    email: 'somchai@example.com',
    callBackUrl: 'https://shop.example/paid',
    callBackFailUrl: 'https://shop.example/failed',
    notifyUrl: notifyUrl('/callbacks/thb-collection'),
    subject: `Order ${orderId}`,
    // Your stable id of the payer: the provider's risk control uses it.
    partnerUserId: 'user-42',
  });

  // 2. Its status: the notification tells you when it changes; a query is the fallback.
  //    `orderNo` (the platform's number) makes the query faster; `orderId` alone works too.
  const order = await thb.getCollection({ orderId: collection.orderId, orderNo: collection.orderNo });

  // 3. A payout to a bank account (codes: thaipay/banks).
  const payout = await thb.createPayout({
    orderId: `${orderId}P`,
    amount: '1200.00',
    accountType: 'BANK_ACCOUNT',
    bankCode: 'KBANK',
    accountNo: '1234567890',
    name: 'Malee Sukjai',
    phone: '0898765432',
    email: 'malee@example.com',
    notifyUrl: notifyUrl('/callbacks/thb-payout'),
    partnerUserId: 'user-77',
  });
  const payoutOrder = await thb.getPayout({ orderId: payout.orderId });
  return { collection, order, payout, payoutOrder };
}

/** The errors worth telling apart, in words for a log. */
export function explainThbError(error: unknown): string {
  if (error instanceof InvalidRequestError) {
    // Nothing was sent: the input broke a rule, and every broken rule is listed.
    return `fix the input: ${error.issues.map((i) => `${i.field} ${i.rule}`).join('; ')}`;
  }
  if (error instanceof OrderStatusUnknownError) {
    // The order may exist: query it later by the same orderId (reconcile.ts); never re-create it.
    return `outcome unknown for ${error.orderId}: query it later by this id`;
  }
  if (error instanceof ResponseVerificationError) {
    // Usually a configuration problem: THB_PLATFORM_PUBLIC_KEY or THB_SECRET_KEY is not the right one.
    return `an answer failed its signature check: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { collection, order, payout, payoutOrder } = await thbCollectQuickstart();
    // A reconciled create (its answer was lost, the order found by query) has no QR: a query cannot restore it.
    const qr = collection.reconciled ? '(reconciled: no QR)' : collection.qrCode;
    console.log(`collection ${collection.orderId} (${collection.orderNo}): QR payload ${qr}`);
    console.log(`status ${order.status} (${order.providerStatus})`);
    console.log(`payout ${payout.orderId}: ${payoutOrder.status}`);
  } catch (error) {
    console.error(explainThbError(error));
    process.exitCode = 1;
  }
}
