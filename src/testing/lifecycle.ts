/**
 * What each status change does to an order, by provider and kind, and which changes a status allows.
 *
 * JWT gateway: pending → completed | failed | expired (deposits), pending → completed | failed
 * (withdrawals). A completed deposit adds what the merchant receives to the balance; a completed
 * withdrawal takes its amount off.
 * THB collect collections: 1 (collecting; also 0 and -1) → 2 paid, 4 partially paid (less), 5 overpaid
 * (more), 3 failed (expiry is a failure with `errorMsg` "Order expired"), -1 exception. Payouts:
 * 0 → 1 processing → 2 succeeded | 3 failed, and -1 exception. 2, 3, 4, 5 are final.
 * Every change is recorded in `history` and reported to `onChange` with the order as it was before.
 */
import { feeFromBps } from './money';
import { type OrderStore, SandboxError } from './orders';
import { formatThaiTime } from './thai-time';
import type { JwtGatewayOrderStatus, SandboxOrder, ThbOrderStatus } from './types';

/** A status change: the live order and a copy of it from just before. */
export interface OrderChange {
  order: SandboxOrder;
  previous: SandboxOrder;
}

/** Fees and clock the rules need. */
export interface LifecycleConfig {
  collectionFeeBps: number;
  payoutFeeBps: number;
  now: () => number;
}

const FINAL_STATUSES = new Set<SandboxOrder['status']>(['completed', 'failed', 'expired', 2, 3, 4, 5]);

/**
 * The order lifecycle: the operations the sandbox object and its control endpoints offer.
 *
 * @example
 * ```ts
 * const lifecycle = new Lifecycle(store, config, (change) => deliveries.statusChanged(change));
 * lifecycle.pay('M1001', 29900); // THB: status 4, partially paid
 * ```
 */
export class Lifecycle {
  readonly #store: OrderStore;
  readonly #config: LifecycleConfig;
  readonly #onChange: (change: OrderChange) => void;

  constructor(store: OrderStore, config: LifecycleConfig, onChange: (change: OrderChange) => void) {
    this.#store = store;
    this.#config = config;
    this.#onChange = onChange;
  }

  /**
   * The customer pays a deposit or collection: `amountSatang` (the ordered amount by default). On the
   * JWT gateway any amount completes the deposit; on THB collect less gives 4 and more gives 5.
   * On a withdrawal or payout without an amount, the same as {@link Lifecycle.complete}.
   *
   * @example
   * ```ts
   * lifecycle.pay('6024030123595900', 30000);
   * ```
   */
  pay(ref: string, amountSatang?: number): SandboxOrder {
    const order = this.#open(ref);
    if (order.kind === 'withdrawal' || order.kind === 'payout') {
      if (amountSatang !== undefined) {
        throw new SandboxError(
          `${order.kind} ${order.orderNo} is paid out in full: call complete() without amount`,
          400,
        );
      }
      return this.complete(ref);
    }
    const paid = amountSatang ?? order.amountSatang;
    if (!Number.isSafeInteger(paid) || paid <= 0) throw new SandboxError('amount must be more than 0', 400);
    if (order.kind === 'deposit') {
      return this.#change(order, 'completed', (o) => {
        o.paidAmountSatang = paid;
        o.actualAmountSatang = Math.max(0, paid - o.feeSatang);
        this.#store.jwtBalanceSatang += o.actualAmountSatang;
      });
    }
    const status: ThbOrderStatus = paid === order.amountSatang ? 2 : paid < order.amountSatang ? 4 : 5;
    return this.#change(order, status, (o) => {
      o.paidAmountSatang = paid;
      o.actualAmountSatang = paid;
      o.feeSatang = feeFromBps(paid, this.#config.collectionFeeBps);
      o.payTime = formatThaiTime(this.#config.now());
    });
  }

  /**
   * A withdrawal or payout succeeds (a deposit or collection: paid in full).
   *
   * @example
   * ```ts
   * lifecycle.complete('WD1640995200XYZ789');
   * ```
   */
  complete(ref: string): SandboxOrder {
    const order = this.#open(ref);
    if (order.kind === 'deposit' || order.kind === 'collection') return this.pay(ref);
    if (order.kind === 'withdrawal') {
      return this.#change(order, 'completed', (o) => {
        o.actualAmountSatang = o.amountSatang - o.feeSatang;
        this.#store.jwtBalanceSatang -= o.amountSatang;
      });
    }
    return this.#change(order, 2, (o) => {
      o.feeSatang = feeFromBps(o.amountSatang, this.#config.payoutFeeBps);
      o.actualAmountSatang = o.amountSatang;
      o.payTime = formatThaiTime(this.#config.now());
    });
  }

  /**
   * The order fails, with `reason` as its `errorMsg`.
   *
   * @example
   * ```ts
   * lifecycle.fail('M100000450012', 'Account does not exist');
   * ```
   */
  fail(ref: string, reason?: string): SandboxOrder {
    const order = this.#open(ref);
    const status = order.provider === 'jwt-gateway' ? 'failed' : 3;
    return this.#change(order, status, (o) => {
      o.errorMsg =
        reason?.trim() ||
        (o.kind === 'payout' || o.kind === 'withdrawal' ? 'Payout failed' : 'Payment failed');
    });
  }

  /**
   * An unpaid deposit or collection expires (THB collect: status 3, `errorMsg` "Order expired").
   *
   * @example
   * ```ts
   * lifecycle.expire('DP1640995200ABC123');
   * ```
   */
  expire(ref: string): SandboxOrder {
    const order = this.#open(ref);
    if (order.kind === 'withdrawal' || order.kind === 'payout') {
      throw new SandboxError(`${order.kind} ${order.orderNo} cannot expire; fail it instead`, 409);
    }
    if (order.provider === 'jwt-gateway') return this.#change(order, 'expired', () => {});
    return this.#change(order, 3, (o) => {
      o.errorMsg = 'Order expired';
    });
  }

  /**
   * A THB collect payout starts processing (0 → 1).
   *
   * @example
   * ```ts
   * lifecycle.process('3024030123595900');
   * ```
   */
  process(ref: string): SandboxOrder {
    const order = this.#open(ref);
    if (order.kind !== 'payout' || order.status !== 0) {
      throw new SandboxError(
        `only a THB collect payout in status 0 can start processing (${describe(order)})`,
        409,
      );
    }
    return this.#change(order, 1, () => {});
  }

  /**
   * A THB collect order goes to -1, "exception pending confirmation".
   *
   * @example
   * ```ts
   * lifecycle.markException('M1001');
   * ```
   */
  markException(ref: string): SandboxOrder {
    const order = this.#open(ref);
    if (order.provider !== 'thb-collect' || order.status === -1) {
      throw new SandboxError(
        `only an open THB collect order can become an exception (${describe(order)})`,
        409,
      );
    }
    return this.#change(order, -1, () => {});
  }

  #open(ref: string): SandboxOrder {
    const order = this.#store.resolve(ref);
    if (FINAL_STATUSES.has(order.status)) {
      throw new SandboxError(`${describe(order)} is final and cannot change`, 409);
    }
    return order;
  }

  #change(
    order: SandboxOrder,
    status: JwtGatewayOrderStatus | ThbOrderStatus,
    apply: (order: SandboxOrder) => void,
  ): SandboxOrder {
    const previous = structuredClone(order);
    const at = new Date(this.#config.now()).toISOString();
    apply(order);
    order.status = status;
    order.updatedAt = at;
    if (status === 'completed' || status === 2 || status === 4 || status === 5) order.completedAt = at;
    order.history.push({ status, at });
    this.#onChange({ order, previous });
    return structuredClone(order);
  }
}

function describe(order: SandboxOrder): string {
  return `${order.kind} ${order.orderNo} in status ${order.status}`;
}
