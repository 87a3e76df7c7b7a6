/**
 * `createSandbox`: one local server simulating both providers, with the controls to move orders
 * through their lifecycle, signed callbacks and notifications with retries, and injected faults.
 */
import { createPublicKey, type KeyObject, randomBytes, randomInt } from 'node:crypto';
import { createControlRoutes } from './control-routes';
import { DeliveryQueue, type OutgoingMessage } from './deliveries';
import { ExpiryTimers } from './expiry';
import { FaultRegistry } from './faults';
import { createJwtGatewayRoutes, DEFAULT_JWT_GATEWAY_PATHS, JWT_GATEWAY_PREFIX } from './jwt-gateway-routes';
import { exportPrivateKey, exportPublicKey, generateRsaKeyPair, readPrivateKey, readPublicKey } from './keys';
import { Lifecycle, type OrderChange } from './lifecycle';
import { encodeMessage, jwtCallbackBody, tamperWith, thbNotificationBody } from './messages';
import { bahtNumber, satangFromInput, satangFromNumber } from './money';
import { OrderStore, SandboxError } from './orders';
import { createPageRoutes } from './page';
import { RequestLog } from './request-log';
import { startServer } from './server';
import { createThbCollectRoutes } from './thb-collect-routes';
import type {
  SandboxDelivery,
  SandboxFault,
  SandboxFaultKind,
  SandboxFaultOptions,
  SandboxJwtGatewayCredentials,
  SandboxOptions,
  SandboxOrder,
  SandboxProvider,
  SandboxRequestLogEntry,
  SandboxRoute,
  SandboxThbCollectCredentials,
} from './types';

/** JWT gateway retry waits: 5 attempts over about 6.5 minutes (the doc gives no schedule). */
export const DEFAULT_JWT_GATEWAY_RETRY_INTERVALS_MS: readonly number[] = [5_000, 30_000, 60_000, 300_000];

/** THB collect retry waits: every 5 minutes, up to 5 times (the notification retry schedule the sandbox imitates). */
export const DEFAULT_THB_COLLECT_RETRY_INTERVALS_MS: readonly number[] = [
  300_000, 300_000, 300_000, 300_000, 300_000,
];

/** A running sandbox. Every method returning data returns copies. */
export interface Sandbox {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Options for `new JwtGatewayClient(...)`: base URL, merchant id and API key of the simulated gateway. */
  readonly jwtGateway: SandboxJwtGatewayCredentials;
  /** Options for `new ThbCollectClient(...)` and for verifying notifications: appId, secret key, keys. */
  readonly thbCollect: SandboxThbCollectCredentials;
  /**
   * Sandbox-only test material: the simulated THB collect platform's private key (bare Base64 PKCS#8),
   * which signs its answers and notifications. A real provider never hands this out; it is here so the
   * same keys can be saved and given back as `thbCollect.platformPrivateKey` to a later sandbox (what
   * `thaipay sandbox --keys FILE` does), keeping `THB_PLATFORM_PUBLIC_KEY` valid across restarts.
   *
   * @example
   * ```ts
   * const next = await createSandbox({ thbCollect: { platformPrivateKey: sandbox.thbPlatformPrivateKey } });
   * ```
   */
  readonly thbPlatformPrivateKey: string;
  /**
   * The token every `/_sandbox` control that changes state (pay, fail, expire, inject a fault...)
   * requires in the `x-thaipay-sandbox-token` header (`CONTROL_TOKEN_HEADER`); random per sandbox
   * unless `controlToken` was given. The sandbox's own pages hold it; a web page elsewhere cannot learn
   * it, so it cannot pay orders or inject faults. The methods of this object need no token.
   *
   * @example
   * ```ts
   * await fetch(`${sandbox.url}/_sandbox/orders/${encodeURIComponent(ref)}/pay`, {
   *   method: 'POST',
   *   headers: { 'content-type': 'application/json', 'x-thaipay-sandbox-token': sandbox.controlToken },
   *   body: JSON.stringify({ amount: '150.00' }),
   * });
   * ```
   */
  readonly controlToken: string;
  /**
   * Every order of both providers, oldest first.
   *
   * @example
   * ```ts
   * expect(sandbox.orders().map((o) => o.merchantOrderId)).toEqual(['order-1001']);
   * ```
   */
  orders(): SandboxOrder[];
  /**
   * The order a reference names (either provider's order number or a merchant order id), if any.
   *
   * @example
   * ```ts
   * sandbox.getOrder('order-1001')?.status; // 'pending'
   * ```
   */
  getOrder(ref: string): SandboxOrder | undefined;
  /**
   * The customer pays (`amount` in baht, the ordered amount by default). JWT gateway: completed.
   * THB collect: 2, or 4 when less, 5 when more. On a withdrawal or payout: {@link Sandbox.complete}.
   *
   * @throws SandboxError 404 for an unknown reference, 409 when the order's status does not allow it.
   * @example
   * ```ts
   * sandbox.pay('M1001'); // THB collect status 2, notification sent
   * sandbox.pay('M1002', { amount: '150.00' }); // less than ordered: status 4 (partially paid)
   * ```
   */
  pay(ref: string, options?: { amount?: number | string }): SandboxOrder;
  /**
   * A withdrawal or payout succeeds (a deposit or collection: paid in full).
   *
   * @example
   * ```ts
   * sandbox.complete('payout-77').status; // 'completed'
   * ```
   */
  complete(ref: string): SandboxOrder;
  /**
   * The order fails with `reason` (its `errorMsg`).
   *
   * @example
   * ```ts
   * sandbox.fail('P2001', 'Account name does not match'); // THB collect status 3
   * ```
   */
  fail(ref: string, reason?: string): SandboxOrder;
  /**
   * An unpaid deposit (expired) or collection (3, "Order expired") expires. JWT gateway deposits also
   * expire by themselves once their `expireDate` passes (`jwtGateway.depositExpiryMs`).
   *
   * @example
   * ```ts
   * sandbox.expire('order-1001').status; // 'expired'
   * ```
   */
  expire(ref: string): SandboxOrder;
  /**
   * A THB collect payout starts processing (0 → 1).
   *
   * @example
   * ```ts
   * sandbox.process('P2001').status; // 1
   * ```
   */
  process(ref: string): SandboxOrder;
  /**
   * A THB collect order becomes -1 (exception pending confirmation).
   *
   * @example
   * ```ts
   * sandbox.markException('M1001').status; // -1
   * ```
   */
  markException(ref: string): SandboxOrder;
  /**
   * Send the order's current status again (freshly signed).
   *
   * @throws SandboxError 409 when the order has no callback / notify URL.
   * @example
   * ```ts
   * const [delivery] = sandbox.resendNotification('M1001');
   * await sandbox.deliveriesSettled();
   * ```
   */
  resendNotification(ref: string): SandboxDelivery[];
  /**
   * The JWT gateway balance in baht.
   *
   * @example
   * ```ts
   * sandbox.balance(); // 50000 at start; completed deposits add, withdrawals subtract
   * ```
   */
  balance(): number;
  /**
   * The delivery log, oldest first; of one order when `ref` is given.
   *
   * @example
   * ```ts
   * const [callback] = sandbox.deliveries('order-1001');
   * expect(callback?.state).toBe('acknowledged');
   * ```
   */
  deliveries(ref?: string): SandboxDelivery[];
  /**
   * Resolves when no delivery is pending any more.
   *
   * @example
   * ```ts
   * sandbox.pay('order-1001');
   * await sandbox.deliveriesSettled(); // the callback was acknowledged, or retries gave up
   * ```
   */
  deliveriesSettled(): Promise<void>;
  /**
   * Requests on provider routes (method, path, route, status, fault; never headers or bodies).
   *
   * @example
   * ```ts
   * expect(sandbox.requests().filter((r) => r.route === 'jwt:deposit')).toHaveLength(2); // first try + re-send
   * ```
   */
  requests(): SandboxRequestLogEntry[];
  /**
   * Queue a fault on a route; see {@link SandboxFaultKind}. Throws TypeError on a bad combination.
   *
   * @example
   * ```ts
   * // The create is processed but its answer lost: the client must re-send and reconcile.
   * sandbox.injectFault('jwt:deposit', 'lost-response');
   * sandbox.injectFault('thb:collect/query', '5xx', { status: 503, times: 2 });
   * ```
   */
  injectFault(route: SandboxRoute, fault: SandboxFaultKind, options?: SandboxFaultOptions): SandboxFault;
  /**
   * The faults still waiting.
   *
   * @example
   * ```ts
   * expect(sandbox.faults()).toEqual([]); // every injected fault fired
   * ```
   */
  faults(): SandboxFault[];
  /**
   * Remove all faults, or those of one route.
   *
   * @example
   * ```ts
   * sandbox.clearFaults('jwt:callback');
   * ```
   */
  clearFaults(route?: SandboxRoute): void;
  /**
   * Stop the server and every pending delivery; nothing is left running. Idempotent.
   *
   * @example
   * ```ts
   * afterAll(() => sandbox.close());
   * ```
   */
  close(): Promise<void>;
  /**
   * The same as {@link Sandbox.close}, for `await using`.
   *
   * @example
   * ```ts
   * await using sandbox = await createSandbox(); // closed when the block ends
   * ```
   */
  [Symbol.asyncDispose](): Promise<void>;
}

function nonNegativeInteger(value: number | undefined, fallback: number, name: string): number {
  const result = value ?? fallback;
  if (!Number.isInteger(result) || result < 0) throw new TypeError(`${name} must be a non-negative integer`);
  return result;
}

function intervals(
  value: number[] | undefined,
  fallback: readonly number[],
  name: string,
): readonly number[] {
  const result = value ?? fallback;
  if (!Array.isArray(result) || result.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new TypeError(`${name} must be an array of non-negative numbers of milliseconds`);
  }
  return [...result];
}

/** A given control token, checked: guessable or unprintable ones are refused. */
function controlTokenOption(value: string | undefined): string {
  if (value === undefined) return randomBytes(32).toString('base64url');
  if (typeof value !== 'string' || !/^[\x21-\x7e]{16,256}$/.test(value)) {
    throw new TypeError('controlToken must be 16 to 256 visible ASCII characters');
  }
  return value;
}

function allowedHostsOption(value: string[] | undefined): string[] {
  if (value === undefined) return [];
  if (
    !Array.isArray(value) ||
    value.some((name) => typeof name !== 'string' || !/^[\w.\-[\]:]+$/.test(name))
  ) {
    throw new TypeError(
      'allowedHosts must be an array of host names (letters, digits, ".", "-", "[", "]", ":")',
    );
  }
  return [...value];
}

async function thbKeys(options: SandboxOptions['thbCollect'] = {}): Promise<{
  merchantPublicKey: KeyObject;
  merchantPrivateKey: KeyObject | undefined;
  platformPrivateKey: KeyObject;
}> {
  const [generatedMerchant, generatedPlatform] = await Promise.all([
    options.merchantPublicKey || options.merchantPrivateKey ? undefined : generateRsaKeyPair(),
    options.platformPrivateKey ? undefined : generateRsaKeyPair(),
  ]);
  const merchantPrivateKey = options.merchantPrivateKey
    ? readPrivateKey(options.merchantPrivateKey)
    : generatedMerchant?.privateKey;
  const merchantPublicKey = options.merchantPublicKey
    ? readPublicKey(options.merchantPublicKey)
    : (generatedMerchant?.publicKey ?? createPublicKey(merchantPrivateKey!));
  const platformPrivateKey = options.platformPrivateKey
    ? readPrivateKey(options.platformPrivateKey)
    : generatedPlatform!.privateKey;
  return { merchantPublicKey, merchantPrivateKey, platformPrivateKey };
}

/**
 * Start a sandbox of both providers on 127.0.0.1 (any free port by default).
 *
 * @example
 * ```ts
 * import { createSandbox } from 'thaipay/testing';
 * import { JwtGatewayClient } from 'thaipay/jwt-gateway';
 *
 * await using sandbox = await createSandbox({ retryIntervalsMs: [10, 10, 10] });
 * const client = new JwtGatewayClient(sandbox.jwtGateway);
 * const deposit = await client.createDeposit({ ... });
 * sandbox.pay(deposit.referenceId); // sends the signed "completed" callback
 * ```
 */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const now = options.now ?? Date.now;
  const jwtOptions = options.jwtGateway ?? {};
  const thbOptions = options.thbCollect ?? {};
  const startingBalance = satangFromNumber(jwtOptions.startingBalance ?? 50_000);
  if (startingBalance === undefined || startingBalance < 0) {
    throw new TypeError(
      'jwtGateway.startingBalance must be a non-negative amount of baht with at most 2 decimals',
    );
  }
  const retry = Array.isArray(options.retryIntervalsMs)
    ? { jwtGateway: options.retryIntervalsMs, thbCollect: options.retryIntervalsMs }
    : (options.retryIntervalsMs ?? {});
  const retryIntervalsMs: Record<SandboxProvider, readonly number[]> = {
    'jwt-gateway': intervals(retry.jwtGateway, DEFAULT_JWT_GATEWAY_RETRY_INTERVALS_MS, 'retryIntervalsMs'),
    'thb-collect': intervals(retry.thbCollect, DEFAULT_THB_COLLECT_RETRY_INTERVALS_MS, 'retryIntervalsMs'),
  };
  const merchantId = jwtOptions.merchantId ?? 'sandbox-merchant';
  const apiKey = jwtOptions.apiKey ?? randomBytes(24).toString('hex');
  const appId = String(thbOptions.appId ?? 1000 + randomInt(9000));
  const secretKey = thbOptions.secretKey ?? randomBytes(16).toString('hex');
  const controlToken = controlTokenOption(options.controlToken);
  const allowedHosts = allowedHostsOption(options.allowedHosts);
  const notificationFormat = thbOptions.notificationFormat ?? options.thbNotificationFormat ?? 'json';
  const notificationExtras = { ...(thbOptions.notificationExtras ?? {}) };
  const keys = await thbKeys(thbOptions);
  const platformPublic = exportPublicKey(createPublicKey(keys.platformPrivateKey));
  const merchantPrivate = keys.merchantPrivateKey ? exportPrivateKey(keys.merchantPrivateKey) : undefined;

  const store = new OrderStore(startingBalance);
  const faults = new FaultRegistry();
  const log = new RequestLog();
  const deliveries = new DeliveryQueue({
    retryIntervalsMs,
    timeoutMs: nonNegativeInteger(options.deliveryTimeoutMs, 10_000, 'deliveryTimeoutMs'),
    now,
  });
  const signer = { appId, secretKey, platformPrivateKey: keys.platformPrivateKey };
  const depositExpiryMs = nonNegativeInteger(
    jwtOptions.depositExpiryMs,
    5 * 60_000,
    'jwtGateway.depositExpiryMs',
  );

  function message(order: SandboxOrder, reason: OutgoingMessage['reason'], tamper: boolean): OutgoingMessage {
    let fields =
      order.provider === 'jwt-gateway'
        ? jwtCallbackBody(order, apiKey)
        : thbNotificationBody(order, signer, notificationExtras);
    if (tamper) fields = tamperWith(fields);
    const { contentType, body } = encodeMessage(
      fields,
      order.provider === 'jwt-gateway' ? 'json' : notificationFormat,
    );
    return {
      provider: order.provider,
      orderNo: order.orderNo,
      merchantOrderId: order.merchantOrderId,
      url: order.notifyUrl!,
      status: order.status,
      contentType,
      body,
      reason,
    };
  }

  function statusChanged({ order, previous }: OrderChange): void {
    // A deposit leaves pending only for a final status (paid, failed, expired by hand or by its timer),
    // so any change ends its wait; for other orders there is no timer and this does nothing.
    expiry.cancel(order.orderNo);
    if (!order.notifyUrl) return;
    const fault = faults.take(order.provider === 'jwt-gateway' ? 'jwt:callback' : 'thb:notify');
    const current = message(order, 'status-change', fault?.fault === 'tampered-signature');
    const messages = [current];
    if (fault?.fault === 'duplicate-callback') messages.push({ ...current, reason: 'duplicate-callback' });
    if (fault?.fault === 'out-of-order') messages.push(message(previous, 'out-of-order', false));
    deliveries.send(messages);
  }

  const lifecycle = new Lifecycle(
    store,
    {
      collectionFeeBps: nonNegativeInteger(thbOptions.collectionFeeBps, 100, 'thbCollect.collectionFeeBps'),
      payoutFeeBps: nonNegativeInteger(thbOptions.payoutFeeBps, 100, 'thbCollect.payoutFeeBps'),
      now,
    },
    statusChanged,
  );

  // Sends the same signed "expired" callback as sandbox.expire(ref). A deposit that left pending has
  // had its timer cancelled already; the check keeps a timer callback from ever throwing regardless.
  const expiry = new ExpiryTimers((orderNo) => {
    if (store.byOrderNo(orderNo)?.status === 'pending') lifecycle.expire(orderNo);
  });

  let url = '';
  let sandbox: Sandbox | undefined;
  const resolvers = [
    createJwtGatewayRoutes({
      merchantId,
      apiKey,
      allowedIps: jwtOptions.allowedIps,
      timestampToleranceSeconds: jwtOptions.timestampToleranceSeconds,
      paths: { ...DEFAULT_JWT_GATEWAY_PATHS, ...jwtOptions.paths },
      depositFeeBps: nonNegativeInteger(jwtOptions.depositFeeBps, 50, 'jwtGateway.depositFeeBps'),
      withdrawalFeeBps: nonNegativeInteger(jwtOptions.withdrawalFeeBps, 150, 'jwtGateway.withdrawalFeeBps'),
      depositExpiryMs,
      onDepositCreated: (order) => expiry.schedule(order.orderNo, depositExpiryMs),
      store,
      now,
      startedAt: now(),
    }),
    createThbCollectRoutes({
      appId,
      secretKey,
      merchantPublicKey: keys.merchantPublicKey,
      platformPrivateKey: keys.platformPrivateKey,
      store,
      now,
      baseUrl: () => url,
    }),
    createControlRoutes(() => sandbox!),
    createPageRoutes({
      orders: () => sandbox!.orders(),
      getOrder: (ref) => sandbox!.getOrder(ref),
      controlToken,
    }),
  ];
  const server = await startServer({
    host: options.host ?? '127.0.0.1',
    port: nonNegativeInteger(options.port, 0, 'port'),
    resolvers,
    faults,
    log,
    now,
    allowedHosts,
    controlToken,
  });
  url = server.url;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      expiry.close();
      deliveries.close();
      await server.close();
    })();
    return closing;
  };

  const getOrder = (ref: string): SandboxOrder | undefined => {
    try {
      return structuredClone(store.resolve(ref));
    } catch (error) {
      if (error instanceof SandboxError && error.httpStatus === 404) return undefined;
      throw error;
    }
  };

  sandbox = {
    url,
    jwtGateway: { baseUrl: `${url}${JWT_GATEWAY_PREFIX}`, merchantId, apiKey },
    thbCollect: {
      baseUrl: url,
      appId,
      secretKey,
      merchantPrivateKey: merchantPrivate?.base64,
      merchantPrivateKeyPem: merchantPrivate?.pem,
      merchantPublicKey: exportPublicKey(keys.merchantPublicKey).base64,
      platformPublicKey: platformPublic.base64,
      platformPublicKeyPem: platformPublic.pem,
    },
    thbPlatformPrivateKey: exportPrivateKey(keys.platformPrivateKey).base64,
    controlToken,
    orders: () => store.list().map((order) => structuredClone(order)),
    getOrder,
    pay(ref, payOptions = {}) {
      if (payOptions.amount === undefined) return lifecycle.pay(ref);
      const satang = satangFromInput(payOptions.amount);
      if (satang === undefined || satang <= 0) {
        throw new SandboxError('amount must be a positive amount of baht with at most 2 decimals', 400);
      }
      return lifecycle.pay(ref, satang);
    },
    complete: (ref) => lifecycle.complete(ref),
    fail: (ref, reason) => lifecycle.fail(ref, reason),
    expire: (ref) => lifecycle.expire(ref),
    process: (ref) => lifecycle.process(ref),
    markException: (ref) => lifecycle.markException(ref),
    resendNotification(ref) {
      const order = store.resolve(ref);
      if (!order.notifyUrl) throw new SandboxError(`${order.kind} ${order.orderNo} has no notifyUrl`, 409);
      return deliveries.send([message(order, 'resend', false)]);
    },
    balance: () => bahtNumber(store.jwtBalanceSatang),
    deliveries(ref) {
      if (ref === undefined) return deliveries.list();
      const order = store.resolve(ref);
      return deliveries.list(order.orderNo);
    },
    deliveriesSettled: () => deliveries.settled(),
    requests: () => log.list(),
    injectFault: (route, fault, faultOptions) => faults.inject(route, fault, faultOptions),
    faults: () => faults.list(),
    clearFaults: (route) => faults.clear(route),
    close,
    [Symbol.asyncDispose]: close,
  };
  return sandbox;
}
