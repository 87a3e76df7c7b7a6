/**
 * Create, then handle the callback, then reconcile: the same three steps for the JWT gateway and THB
 * collect, side by side, written against the fields both providers' results share (`orderId` yours,
 * `orderNo` theirs, the unified `status`, `amountSatang`) and the same last argument (`RequestOptions`).
 *
 * Each step ends in {@link Settlement}, the one record your shop keeps whichever provider it used.
 */
import {
  type CreateDepositInput,
  createJwtGatewayWebhookHandler,
  createThbWebhookHandler,
  type JwtGatewayClient,
  type PaymentStatus,
  type RequestOptions,
  type ThbCollectClient,
  type ThbCreateCollectionInput,
} from 'thaipay';

/** What the shop records about a payment, whichever provider carried it. */
export interface Settlement {
  provider: 'jwt-gateway' | 'thb-collect';
  /** Your order id: the gateway's `transactionId`/`agentOrderNo`, THB collect's `orderId`. */
  orderId: string;
  /** The provider's order number. */
  orderNo: string;
  /** The unified status: decide on this. */
  status: PaymentStatus;
  /** The order amount in satang (integer): compute with this, never with the baht value. */
  amountSatang: number;
  /** Which step learned it. */
  via: 'callback' | 'reconcile';
}

/** The fields every order query and every verified callback of both providers has. */
interface SharedFields {
  orderId: string;
  orderNo: string;
  status: PaymentStatus;
  amountSatang: number;
}

function settlement(
  provider: Settlement['provider'],
  via: Settlement['via'],
  { orderId, orderNo, status, amountSatang }: SharedFields,
): Settlement {
  return { provider, orderId, orderNo, status, amountSatang, via };
}

/** Where settlements go: your database. */
export interface Ledger {
  record(settlement: Settlement): Promise<void>;
}

// 1. Create. The same call shape: input, then RequestOptions (here the shopper's request's signal). A
// create answer names the order (`orderId`, `orderNo`); its outcome comes by callback or reconcile.

/** A create, whichever provider: both answers carry these fields. */
export interface CreatedOrder {
  provider: Settlement['provider'];
  orderId: string;
  orderNo: string;
  /** `true` when the create's answer was lost and the order was found by querying it. */
  reconciled: boolean;
}

/**
 * Create a PromptPay deposit on the JWT gateway.
 *
 * @example
 * ```ts
 * const created = await createOnGateway(gateway, depositForm, { signal: request.signal });
 * ```
 */
export async function createOnGateway(
  gateway: JwtGatewayClient,
  input: CreateDepositInput,
  options?: RequestOptions,
): Promise<CreatedOrder> {
  const { orderId, orderNo, reconciled } = await gateway.createDeposit(input, options);
  return { provider: 'jwt-gateway', orderId, orderNo, reconciled };
}

/**
 * Create a PromptPay collection on THB collect.
 *
 * @example
 * ```ts
 * const created = await createOnThb(thb, collectionForm, { signal: request.signal });
 * ```
 */
export async function createOnThb(
  thb: ThbCollectClient,
  input: ThbCreateCollectionInput,
  options?: RequestOptions,
): Promise<CreatedOrder> {
  const { orderId, orderNo, reconciled } = await thb.createCollection(input, options);
  return { provider: 'thb-collect', orderId, orderNo, reconciled };
}

// 2. Handle the callback. Both handlers are Request → Response; the event has the same shared fields.

/** The keys the two callback handlers verify with. */
export interface CallbackKeys {
  gatewayApiKey: string;
  thbSecretKey: string;
  thbPlatformPublicKey: string;
}

/**
 * One handler per provider, both recording the same {@link Settlement}.
 *
 * @example
 * ```ts
 * const handlers = callbackHandlers(keys, ledger);
 * app.post('/callbacks/gateway', toNodeHandler(handlers.gateway));
 * app.post('/callbacks/thb/collection', toNodeHandler(handlers.thbCollection));
 * ```
 */
export function callbackHandlers(
  keys: CallbackKeys,
  ledger: Ledger,
): {
  gateway: (request: Request) => Promise<Response>;
  thbCollection: (request: Request) => Promise<Response>;
} {
  return {
    gateway: createJwtGatewayWebhookHandler({
      apiKey: keys.gatewayApiKey,
      onEvent: (callback) => ledger.record(settlement('jwt-gateway', 'callback', callback)),
    }),
    thbCollection: createThbWebhookHandler({
      kind: 'collection',
      secretKey: keys.thbSecretKey,
      platformPublicKey: keys.thbPlatformPublicKey,
      onEvent: (notification) => ledger.record(settlement('thb-collect', 'callback', notification)),
    }),
  };
}

// 3. Reconcile. A callback can be lost: ask by your own order id, the same way on both.

/**
 * Ask the JWT gateway for an order by your id.
 *
 * @example
 * ```ts
 * const now = await reconcileOnGateway(gateway, 'order-1001', { timeoutMs: 5_000 });
 * ```
 */
export async function reconcileOnGateway(
  gateway: JwtGatewayClient,
  orderId: string,
  options?: RequestOptions,
): Promise<Settlement> {
  return settlement('jwt-gateway', 'reconcile', await gateway.getOrder({ agentOrderNo: orderId }, options));
}

/**
 * Ask THB collect for a collection by your id.
 *
 * @example
 * ```ts
 * const now = await reconcileOnThb(thb, 'M1001', { timeoutMs: 5_000 });
 * ```
 */
export async function reconcileOnThb(
  thb: ThbCollectClient,
  orderId: string,
  options?: RequestOptions,
): Promise<Settlement> {
  return settlement('thb-collect', 'reconcile', await thb.getCollection({ orderId }, options));
}
