/**
 * A reconciliation job: settle the orders whose callback or notification never arrived (your receiver
 * was down, a firewall dropped it, the provider gave up) by asking the provider, for both providers.
 *
 * Run it every few minutes. It only reads from the providers; it never creates or re-sends an order.
 * Two cases need care:
 * - An order whose create threw `OrderStatusUnknownError` may or may not exist. It is saved as
 *   `creating` under the same id and the job asks for it by that id: found, it is followed like any
 *   other; not found, it is marked `not_created` and may be created again, with the same id.
 * - `needs_review` (THB collect -1 "exception pending confirmation", or a status thaipay does not know)
 *   is not final: the order is flagged for a person and asked about again on the next run. It is never
 *   taken for a success or a failure, which could ship unpaid goods or pay out twice.
 */
import {
  ApiError,
  AuthenticationError,
  InvalidRequestError,
  isFinalStatus,
  type JwtGatewayClient,
  OrderStatusUnknownError,
  type PaymentStatus,
  PermissionError,
  SignatureError,
  type ThbCollectClient,
} from 'thaipay';

/** An order as your database keeps it. */
export interface MerchantOrder {
  provider: 'jwt-gateway' | 'thb-collect';
  kind: 'deposit' | 'withdrawal' | 'collection' | 'payout';
  /** Your id: `transactionId` / `agentOrderNo` (gateway) or `orderId` (THB collect). */
  orderId: string;
  /** The provider's number, once a create answered. */
  providerOrderNo?: string;
  /** What you asked for, in satang. */
  amountSatang: number;
  /**
   * `creating` until the provider answered (and after `OrderStatusUnknownError`), `not_created` when the
   * provider never got it, otherwise the unified status.
   */
  status: PaymentStatus | 'creating' | 'not_created';
  /** What was actually paid, when the provider reports it (partial and over payments differ). */
  receivedSatang?: number;
  /** Why a person should look. */
  reviewReason?: string;
  createdAt: Date;
}

/** What the job (and {@link createAndRecord}) needs from your database. */
export interface OrderRepository {
  /** Save a new order. */
  add(order: MerchantOrder): Promise<void>;
  /** Orders that are not final and were created before `createdBefore`. */
  listUnsettled(createdBefore: Date): Promise<MerchantOrder[]>;
  /** Save what was learned about an order. */
  update(
    orderId: string,
    change: Partial<Pick<MerchantOrder, 'status' | 'providerOrderNo' | 'receivedSatang' | 'reviewReason'>>,
  ): Promise<void>;
}

const OPEN_STATUSES = new Set<MerchantOrder['status']>(['creating', 'pending', 'processing', 'needs_review']);

/**
 * An in-memory {@link OrderRepository}, for this example and tests. Yours is a table.
 *
 * @example
 * ```ts
 * const orders = new MemoryOrderRepository();
 * await orders.add({ provider: 'thb-collect', kind: 'collection', orderId: 'M1', amountSatang: 30000,
 *   status: 'creating', createdAt: new Date() });
 * ```
 */
export class MemoryOrderRepository implements OrderRepository {
  readonly #orders = new Map<string, MerchantOrder>();

  async add(order: MerchantOrder): Promise<void> {
    this.#orders.set(order.orderId, { ...order });
  }

  get(orderId: string): MerchantOrder | undefined {
    const order = this.#orders.get(orderId);
    return order && { ...order };
  }

  async listUnsettled(createdBefore: Date): Promise<MerchantOrder[]> {
    return [...this.#orders.values()]
      .filter((o) => OPEN_STATUSES.has(o.status) && o.createdAt < createdBefore)
      .map((o) => ({ ...o }));
  }

  async update(orderId: string, change: Partial<MerchantOrder>): Promise<void> {
    const order = this.#orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    Object.assign(order, change);
  }
}

/**
 * Create an order the safe way: saved as `creating` first, so a crash or an `OrderStatusUnknownError`
 * leaves a row the job will resolve. Returns `undefined` when the outcome is unknown.
 *
 * @example
 * ```ts
 * const deposit = await createAndRecord(orders, order, () => gateway.createDeposit(input));
 * if (!deposit) showPleaseWait(); // the job will find out
 * ```
 */
export async function createAndRecord<T extends { orderNo: string; status?: PaymentStatus }>(
  orders: OrderRepository,
  order: Omit<MerchantOrder, 'status' | 'createdAt'>,
  create: () => Promise<T>,
  now: Date = new Date(),
): Promise<T | undefined> {
  await orders.add({ ...order, status: 'creating', createdAt: now });
  try {
    const created = await create();
    await orders.update(order.orderId, {
      providerOrderNo: created.orderNo,
      // THB collect's create answer has no status: the order is open until told otherwise.
      status: created.status ?? 'pending',
    });
    return created;
  } catch (error) {
    // Keep the row as `creating`: the job asks for it by this same id. Never retry under a new id.
    if (error instanceof OrderStatusUnknownError) return undefined;
    // Refused for certain (bad input, keys, permissions): nothing was made. Any other error leaves the
    // row as `creating` too, and the job finds out.
    if (
      error instanceof InvalidRequestError ||
      error instanceof AuthenticationError ||
      error instanceof PermissionError ||
      error instanceof SignatureError
    ) {
      await orders.update(order.orderId, { status: 'not_created' });
    }
    throw error;
  }
}

/** What the job did with one order. */
export interface ReconcileResult {
  orderId: string;
  action: 'settled' | 'still-open' | 'needs-review' | 'not-created' | 'query-failed';
  status?: PaymentStatus;
  detail?: string;
}

/** Options of {@link reconcileOrders}. */
export interface ReconcileOptions {
  orders: OrderRepository;
  gateway: JwtGatewayClient;
  thb: ThbCollectClient;
  /** Leave younger orders alone: their callback may still be on its way. Default 10 minutes. */
  minAgeMs?: number;
  now?: Date;
}

/** What a provider's query says, reduced to what the job needs. */
interface Answer {
  orderNo: string;
  status: PaymentStatus;
  amountSatang: number;
  receivedSatang?: number;
}

async function ask(order: MerchantOrder, gateway: JwtGatewayClient, thb: ThbCollectClient): Promise<Answer> {
  if (order.provider === 'jwt-gateway') {
    const found = await gateway.getOrder(
      order.providerOrderNo ? { orderNo: order.providerOrderNo } : { agentOrderNo: order.orderId },
    );
    // A deposit's `actualAmount` is what reaches you after the fee; a withdrawal has none to compare.
    return { orderNo: found.orderNo, status: found.status, amountSatang: found.amountSatang };
  }
  const query = {
    orderId: order.orderId,
    ...(order.providerOrderNo ? { orderNo: order.providerOrderNo } : {}),
  };
  if (order.kind === 'payout') {
    const found = await thb.getPayout(query);
    return { orderNo: found.orderNo, status: found.status, amountSatang: found.amountSatang };
  }
  const found = await thb.getCollection(query);
  return {
    orderNo: found.orderNo,
    status: found.status,
    amountSatang: found.amountSatang,
    ...(found.actualAmountSatang === undefined ? {} : { receivedSatang: found.actualAmountSatang }),
  };
}

function isNotFound(error: unknown): boolean {
  // Both clients report "no such order" as an ApiError with the code `order_not_found`.
  return error instanceof ApiError && error.code === 'order_not_found';
}

async function reconcileOne(order: MerchantOrder, options: ReconcileOptions): Promise<ReconcileResult> {
  const { orders } = options;
  const { orderId } = order;
  let answer: Answer;
  try {
    answer = await ask(order, options.gateway, options.thb);
  } catch (error) {
    if (isNotFound(error) && order.status === 'creating') {
      // The create never reached the provider: safe to create it again, with the same id.
      await orders.update(orderId, { status: 'not_created' });
      return { orderId, action: 'not-created' };
    }
    if (isNotFound(error)) {
      await orders.update(orderId, {
        status: 'needs_review',
        reviewReason: 'the provider has no such order',
      });
      return { orderId, action: 'needs-review', detail: 'the provider has no such order' };
    }
    // Network trouble, a 5xx, an answer that failed its signature check: nothing learned, try next run.
    return {
      orderId,
      action: 'query-failed',
      detail: error instanceof Error ? error.message : String(error),
    };
  }

  const received = answer.receivedSatang === undefined ? {} : { receivedSatang: answer.receivedSatang };
  if (answer.amountSatang !== order.amountSatang) {
    const reason = `the provider has ${answer.amountSatang} satang, the order ${order.amountSatang}`;
    await orders.update(orderId, {
      status: 'needs_review',
      providerOrderNo: answer.orderNo,
      reviewReason: reason,
    });
    return { orderId, action: 'needs-review', status: answer.status, detail: reason };
  }
  if (answer.status === 'needs_review') {
    const reason = 'the provider reports an exception to confirm';
    await orders.update(orderId, {
      status: 'needs_review',
      providerOrderNo: answer.orderNo,
      reviewReason: reason,
    });
    return { orderId, action: 'needs-review', status: answer.status, detail: reason };
  }
  await orders.update(orderId, { status: answer.status, providerOrderNo: answer.orderNo, ...received });
  // partially_paid and overpaid are final too: settle the difference with the customer outside the order.
  return { orderId, action: isFinalStatus(answer.status) ? 'settled' : 'still-open', status: answer.status };
}

/**
 * Ask the providers about every unsettled order old enough, and save the answers.
 *
 * @example
 * ```ts
 * const results = await reconcileOrders({ orders, gateway, thb });
 * for (const r of results) if (r.action === 'needs-review') alertOps(r);
 * ```
 */
export async function reconcileOrders(options: ReconcileOptions): Promise<ReconcileResult[]> {
  const now = options.now ?? new Date();
  const createdBefore = new Date(now.getTime() - (options.minAgeMs ?? 10 * 60_000));
  const results: ReconcileResult[] = [];
  // One at a time: a job that runs every few minutes gains nothing from hammering the providers.
  for (const order of await options.orders.listUnsettled(createdBefore)) {
    results.push(await reconcileOne(order, options));
  }
  return results;
}
