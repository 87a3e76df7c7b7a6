/**
 * JWT gateway quick start: take a payment by PromptPay QR, learn its status, pay out, read the balance.
 *
 * Environment: `GATEWAY_BASE_URL` (ends in `/api/v1`), `GATEWAY_MERCHANT_ID`, `GATEWAY_API_KEY`, and
 * `PUBLIC_URL`, where your webhook receiver is reachable (see examples/webhooks/). `thaipay sandbox`
 * prints values for all of them.
 *
 * Run it (after `npm run build`): `node --import tsx examples/jwt-gateway-quickstart.ts`
 */
import { pathToFileURL } from 'node:url';
import {
  DuplicateOrderError,
  InvalidRequestError,
  type JwtGatewayBalance,
  JwtGatewayClient,
  type JwtGatewayDepositCreated,
  type JwtGatewayOrder,
  type JwtGatewayWithdrawalCreated,
  OrderStatusUnknownError,
} from 'thaipay/jwt-gateway';

/** What the quick start did. */
export interface JwtGatewayQuickstartResult {
  deposit: JwtGatewayDepositCreated;
  order: JwtGatewayOrder;
  withdrawal: JwtGatewayWithdrawalCreated;
  balance: JwtGatewayBalance;
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`Set ${name} (thaipay sandbox prints a value).`);
  return value;
}

/**
 * Create a deposit and a withdrawal, query the deposit and read the balance.
 *
 * @param orderId your order id; a new one per order, reused unchanged if you must retry.
 * @example
 * ```ts
 * const { deposit } = await jwtGatewayQuickstart(process.env, 'order-1001');
 * ```
 */
export async function jwtGatewayQuickstart(
  env: Record<string, string | undefined> = process.env,
  orderId = `order-${Date.now()}`,
): Promise<JwtGatewayQuickstartResult> {
  const gateway = new JwtGatewayClient({
    baseUrl: required(env, 'GATEWAY_BASE_URL'),
    merchantId: required(env, 'GATEWAY_MERCHANT_ID'),
    apiKey: required(env, 'GATEWAY_API_KEY'),
  });
  const callbackUrl = new URL('/callbacks/gateway', required(env, 'PUBLIC_URL')).href;

  // 1. A deposit: the gateway answers with a PromptPay payload to show as a QR (see checkout-page.ts).
  //    Amounts are baht as a string or a number with at most 2 decimals, never a computed float.
  const deposit = await gateway.createDeposit({
    transactionId: orderId,
    bankAccountNumber: '1234567890',
    bankName: 'KBANK',
    name: 'Somchai Jaidee',
    amount: '250.00',
    callbackUrl,
    type: 'QR',
  });

  // 2. Its status. The callback tells you when it changes; a query is the fallback (see reconcile.ts).
  //    `status` is unified across providers; `providerStatus` is the gateway's own word.
  const order = await gateway.getOrder({ agentOrderNo: deposit.orderId });

  // 3. A payout to a bank account. `agentOrderNo` is your id: a lost answer is re-sent with it, so
  //    the gateway never pays twice.
  const withdrawal = await gateway.createWithdrawal({
    agentOrderNo: `${orderId}-refund`,
    amount: '100.00',
    bankCode: 'SCB',
    accountNo: '9876543210',
    accountName: 'Somchai Jaidee',
    callbackUrl,
  });

  // 4. The merchant balance; `balanceSatang` is the exact integer to compute with.
  const balance = await gateway.getBalance();
  return { deposit, order, withdrawal, balance };
}

/** The errors worth telling apart, in words for a log. */
export function explainGatewayError(error: unknown): string {
  if (error instanceof InvalidRequestError) {
    // Nothing was sent: the input broke a rule, and every broken rule is listed.
    return `fix the input: ${error.issues.map((i) => `${i.field} ${i.rule}`).join('; ')}`;
  }
  if (error instanceof DuplicateOrderError) return 'this order id was already used: query it instead';
  if (error instanceof OrderStatusUnknownError) {
    // The order may exist. Record it as unknown and let reconcile.ts query it; never create it again
    // under a new id, or the customer may be charged (or paid) twice.
    return `outcome unknown for ${error.orderId}: query it later by this id`;
  }
  return error instanceof Error ? error.message : String(error);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { deposit, order, withdrawal, balance } = await jwtGatewayQuickstart();
    console.log(`deposit ${deposit.orderId}: ${deposit.amount} THB, QR payload ${deposit.qrcode}`);
    console.log(`status ${order.status} (${order.providerStatus})`);
    console.log(`withdrawal ${withdrawal.orderId}: ${withdrawal.status}`);
    console.log(`balance ${balance.balance} ${balance.currency}`);
  } catch (error) {
    console.error(explainGatewayError(error));
    process.exitCode = 1;
  }
}
