/**
 * `npm run demo`: the whole story of both providers against the local sandbox, in a few lines per step.
 *
 * It starts the sandbox and a webhook receiver on 127.0.0.1 (nothing leaves the machine), then for the
 * JWT gateway: a deposit with its QR, the payment, the verified callback, the query, a withdrawal and the
 * balance; and for THB collect: a collection with its QR, the payment, the verified notification, the
 * query and a payout with its completion notification. Exit code 0 when every step checked out; otherwise
 * 1, with the reason on stderr.
 *
 * It imports from `../src` so it runs without a build; in your code the same names come from
 * `thaipay/jwt-gateway`, `thaipay/thb-collect`, `thaipay/qr` and `thaipay/testing`.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatBaht, parseProviderAmount } from '../src/core/money';
import { formatThailandTime } from '../src/core/time';
import {
  createJwtGatewayWebhookHandler,
  type JwtGatewayCallback,
  JwtGatewayClient,
  toNodeHandler,
} from '../src/jwt-gateway';
import { assertQrAmount, renderQrTerminal } from '../src/qr';
import { createSandbox, type Sandbox } from '../src/testing';
import {
  createThbWebhookHandler,
  ThbCollectClient,
  type ThbCollectionNotification,
  type ThbPayoutNotification,
} from '../src/thb-collect';

/** How long a callback may take to arrive before the demo gives up. */
const CALLBACK_TIMEOUT_MS = 10_000;

/** `25075` → `250.75 THB`, `5000000` → `50,000.00 THB`. Display only: the arithmetic stays in satang. */
function baht(satang: number): string {
  const [whole = '0', fraction = '00'] = formatBaht(satang).split('.');
  return `${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${fraction} THB`;
}

let step = 0;
function say(text: string): void {
  step += 1;
  console.log(`${String(step).padStart(2)}. ${text}`);
}
function ok(text: string): void {
  console.log(`    ✓ ${text}`);
}
function note(text: string): void {
  console.log(`    ${text}`);
}
function heading(text: string): void {
  console.log(`\n${text}\n${'─'.repeat(text.length)}`);
}

/** Events the receiver's `onEvent` got, handed to whoever waits for them. */
class Inbox<T> {
  readonly #queue: T[] = [];
  readonly #waiters: Array<(event: T) => void> = [];

  push(event: T): void {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(event);
    else this.#queue.push(event);
  }

  /** The next event, or a rejection naming `what` after the timeout. */
  next(what: string): Promise<T> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(deliver), 1);
        reject(new Error(`${what} did not arrive within ${CALLBACK_TIMEOUT_MS / 1000} s`));
      }, CALLBACK_TIMEOUT_MS);
      const deliver = (event: T) => {
        clearTimeout(timer);
        resolve(event);
      };
      this.#waiters.push(deliver);
    });
  }
}

interface Receiver {
  url: string;
  gatewayEvents: Inbox<JwtGatewayCallback>;
  thbCollections: Inbox<ThbCollectionNotification>;
  thbPayouts: Inbox<ThbPayoutNotification>;
  server: Server;
}

/** The merchant's side: a node:http server with both providers' webhook handlers. */
async function startReceiver(sandbox: Sandbox): Promise<Receiver> {
  const gatewayEvents = new Inbox<JwtGatewayCallback>();
  const thbCollections = new Inbox<ThbCollectionNotification>();
  const thbPayouts = new Inbox<ThbPayoutNotification>();
  const gateway = toNodeHandler(
    createJwtGatewayWebhookHandler({
      apiKey: sandbox.jwtGateway.apiKey,
      toleranceSeconds: 600,
      onEvent: (callback) => gatewayEvents.push(callback),
    }),
  );
  // THB notifications do not say whether they are about a collection or a payout: one URL per kind.
  const thbKeys = {
    secretKey: sandbox.thbCollect.secretKey,
    platformPublicKey: sandbox.thbCollect.platformPublicKey,
  };
  const thbCollection = toNodeHandler(
    createThbWebhookHandler({
      ...thbKeys,
      kind: 'collection',
      onEvent: (notification) => thbCollections.push(notification),
    }),
  );
  const thbPayout = toNodeHandler(
    createThbWebhookHandler({
      ...thbKeys,
      kind: 'payout',
      onEvent: (notification) => thbPayouts.push(notification),
    }),
  );
  const server = createServer((req, res) => {
    if (req.url === '/callbacks/gateway') void gateway(req, res);
    else if (req.url === '/callbacks/thb-collection') void thbCollection(req, res);
    else if (req.url === '/callbacks/thb-payout') void thbPayout(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, gatewayEvents, thbCollections, thbPayouts, server };
}

/** Rejects naming `what` when `promise` takes longer than the callback timeout. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not happen within ${CALLBACK_TIMEOUT_MS / 1000} s`)),
      CALLBACK_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The answer the receiver gave to the order's last delivery, once the sandbox has logged it. */
async function lastAnswer(sandbox: Sandbox, ref: string): Promise<string> {
  // onEvent runs before the receiver answers: wait until the sandbox has the answer.
  await within(sandbox.deliveriesSettled(), 'the delivery of the callback');
  const delivery = sandbox.deliveries(ref).at(-1);
  const attempt = delivery?.attempts.at(-1);
  if (!delivery || !attempt) throw new Error(`the sandbox has no delivery for ${ref}`);
  if (!attempt.acknowledged) {
    throw new Error(
      `the receiver did not acknowledge ${ref}: HTTP ${attempt.statusCode} ${attempt.error ?? ''}`,
    );
  }
  return `HTTP ${attempt.statusCode} ${attempt.responseExcerpt}`;
}

function showQr(payload: string, amountSatang: number): void {
  // The last check before a customer sees the QR: it must ask for exactly the order's amount.
  assertQrAmount(payload, { satang: amountSatang });
  console.log(
    renderQrTerminal(payload)
      .split('\n')
      .map((line) => `      ${line}`)
      .join('\n'),
  );
  ok(`assertQrAmount: the QR asks for exactly ${baht(amountSatang)}, CRC intact`);
}

async function jwtGatewayStory(sandbox: Sandbox, receiver: Receiver, run: string): Promise<void> {
  heading('JWT gateway (HS256 JWT signatures)');
  const gateway = new JwtGatewayClient({ ...sandbox.jwtGateway, timeoutMs: 5_000 });
  const callbackUrl = `${receiver.url}/callbacks/gateway`;

  const deposit = await gateway.createDeposit({
    transactionId: `order-${run}`,
    bankAccountNumber: '1234567890',
    bankName: 'KBANK',
    name: 'Somchai Jaidee',
    amount: '250.00',
    callbackUrl,
    type: 'QR',
  });
  say(`Deposit ${deposit.orderId} created: ${baht(deposit.amountSatang)} by PromptPay QR`);
  note(`gateway reference ${deposit.orderNo}, status ${deposit.status}`);
  if (!deposit.qrcode) throw new Error('the deposit came back without a QR payload');
  showQr(deposit.qrcode, deposit.amountSatang);

  say(`The customer scans the QR and pays ${baht(deposit.amountSatang)}`);
  sandbox.pay(deposit.orderNo);

  const paid = await receiver.gatewayEvents.next('the deposit callback');
  say('The gateway calls back; the signature is verified before onEvent runs');
  note(
    `onEvent got: ${paid.type} ${paid.orderId} ${paid.providerStatus} → ${paid.status}, ` +
      `${baht(paid.amountSatang)}, credited ${baht(paid.actualAmountSatang ?? 0)}`,
  );
  ok(`acknowledged: ${await lastAnswer(sandbox, deposit.orderNo)}`);

  const order = await gateway.getOrder({ agentOrderNo: deposit.orderId });
  say(`Query ${order.orderId}: ${order.status} (gateway says "${order.providerStatus}")`);
  if (order.status !== 'succeeded') throw new Error(`the deposit query says ${order.status}, not succeeded`);
  ok(`received ${baht(order.actualAmountSatang ?? 0)} after the fee`);

  const withdrawal = await gateway.createWithdrawal({
    agentOrderNo: `payout-${run}`,
    amount: '1500.00',
    bankCode: 'SCB',
    accountNo: '9876543210',
    accountName: 'Malee Sukjai',
    callbackUrl,
  });
  say(`Withdrawal ${withdrawal.orderId}: ${baht(withdrawal.amountSatang)} to SCB 9876543210`);
  if (withdrawal.fee !== undefined && withdrawal.transferAmount !== undefined) {
    const fee = parseProviderAmount(withdrawal.fee, 'fee');
    const transfer = parseProviderAmount(withdrawal.transferAmount, 'transfer_amount');
    note(`status ${withdrawal.status}; fee ${baht(fee)}, the account holder gets ${baht(transfer)}`);
  }
  sandbox.complete(withdrawal.orderNo);
  const sent = await receiver.gatewayEvents.next('the withdrawal callback');
  ok(`callback verified: ${sent.type} ${sent.orderId} ${sent.providerStatus} → ${sent.status}`);

  const balance = await gateway.getBalance();
  say(`Balance: ${baht(balance.balanceSatang)}`);
}

async function thbCollectStory(sandbox: Sandbox, receiver: Receiver, run: string): Promise<void> {
  heading('THB collect (SHA256withRSA signatures)');
  const thb = new ThbCollectClient({
    appId: sandbox.thbCollect.appId,
    secretKey: sandbox.thbCollect.secretKey,
    privateKey: sandbox.thbCollect.merchantPrivateKey!,
    platformPublicKey: sandbox.thbCollect.platformPublicKey,
    baseUrl: sandbox.thbCollect.baseUrl,
    timeoutMs: 5_000,
  });

  const collection = await thb.createCollection({
    orderId: `M${run}`,
    amount: '300.00',
    payType: 'QR',
    name: 'Somchai Jaidee',
    phone: '0812345678',
    email: 'somchai@example.com',
    callBackUrl: 'https://shop.example/paid',
    callBackFailUrl: 'https://shop.example/failed',
    notifyUrl: `${receiver.url}/callbacks/thb-collection`,
    subject: 'Order M1002',
    partnerUserId: 'user-42',
  });
  say(`Collection ${collection.orderId} created: 300.00 THB by PromptPay QR`);
  note(`platform order ${collection.orderNo}; the answer's signature checked with the platform key`);
  if (!collection.qrCode) throw new Error('the collection came back without a QR payload');
  showQr(collection.qrCode, 30_000);

  say('The customer pays 300.00 THB');
  sandbox.pay(collection.orderNo);

  const paid = await receiver.thbCollections.next('the collection notification');
  say('THB collect notifies; the RSA signature over every field is verified before onEvent runs');
  note(
    `onEvent got: ${paid.kind} ${paid.orderId} status ${paid.providerStatus} → ${paid.status}, ` +
      `${baht(paid.amountSatang)}, fee ${baht(paid.feeSatang ?? 0)}`,
  );
  ok(`acknowledged: ${await lastAnswer(sandbox, collection.orderNo)}`);

  const order = await thb.getCollection({ orderId: collection.orderId, orderNo: collection.orderNo });
  say(`Query ${order.orderId}: ${order.status} (status ${order.providerStatus})`);
  if (order.status !== 'succeeded')
    throw new Error(`the collection query says ${order.status}, not succeeded`);
  ok(
    `paid ${baht(order.actualAmountSatang ?? order.amountSatang)} at ${order.payTime ? formatThailandTime(order.payTime) : '?'} Thailand time`,
  );

  const payout = await thb.createPayout({
    orderId: `P${run}`,
    amount: '1200.00',
    accountType: 'BANK_ACCOUNT',
    bankCode: 'KBANK',
    accountNo: '1234567890',
    name: 'Malee Sukjai',
    phone: '0898765432',
    email: 'malee@example.com',
    notifyUrl: `${receiver.url}/callbacks/thb-payout`,
    partnerUserId: 'user-77',
  });
  say(`Payout ${payout.orderId}: 1,200.00 THB to KBANK 1234567890 (platform order ${payout.orderNo})`);
  sandbox.complete(payout.orderNo);
  const done = await receiver.thbPayouts.next('the payout notification');
  say('The payout completes and THB collect notifies');
  ok(
    `notification verified: ${done.kind} ${done.orderId} status ${done.providerStatus} → ${done.status}, ` +
      // THB payouts carry no `hash`: the document sends it for stablecoin payouts only.
      `${done.amount} THB`,
  );
  ok(`acknowledged: ${await lastAnswer(sandbox, payout.orderNo)}`);
}

async function main(): Promise<void> {
  // Retries compressed from minutes to milliseconds: a demo cannot wait for the real schedule.
  const sandbox = await createSandbox({ retryIntervalsMs: [100, 200, 400] });
  let receiver: Receiver | undefined;
  try {
    receiver = await startReceiver(sandbox);
    console.log('thaipay demo: both providers against the local sandbox (loopback only)');
    console.log(`  sandbox   ${sandbox.url}   (open it in a browser to see orders and callbacks)`);
    console.log(
      `  receiver  ${receiver.url}/callbacks/gateway, /callbacks/thb-collection and /callbacks/thb-payout`,
    );
    const run = randomUUID().slice(0, 8);
    await jwtGatewayStory(sandbox, receiver, run);
    await thbCollectStory(sandbox, receiver, run);
    console.log('\n✓ Done: every request signed, every answer and callback verified.');
  } finally {
    await sandbox.close();
    if (receiver) {
      receiver.server.closeAllConnections();
      await new Promise((resolve) => receiver?.server.close(resolve));
    }
  }
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  console.error(`\n✗ demo failed: ${reason}`);
  process.exitCode = 1;
});
