/**
 * The sandbox's memory: every order of both providers, its lookups by either number, the JWT gateway
 * balance, and the provider-style order numbers. No rules about statuses here (see lifecycle.ts).
 */
import { randomInt } from 'node:crypto';
import { thaiTimeDigits } from './thai-time';
import type { SandboxOrder, SandboxOrderKind } from './types';

/**
 * A refusal of a sandbox operation (unknown order, ambiguous reference, a change the order's status
 * does not allow), with the HTTP status the control endpoints answer it with.
 *
 * @example
 * ```ts
 * try { sandbox.pay('nope'); } catch (error) { if (error instanceof SandboxError) console.log(error.httpStatus); }
 * ```
 */
export class SandboxError extends Error {
  /** Always `SandboxError`. */
  override name = 'SandboxError';
  /** 400 bad argument, 404 no such order, 409 the order's status does not allow the change. */
  readonly httpStatus: 400 | 404 | 409;

  /**
   * @param httpStatus what the control endpoints answer: 400, 404 or 409.
   * @example
   * ```ts
   * throw new SandboxError('payout P2001 is already succeeded', 409);
   * ```
   */
  constructor(message: string, httpStatus: 400 | 404 | 409) {
    super(message);
    this.httpStatus = httpStatus;
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Orders by provider number and by merchant id (per kind), plus the JWT gateway balance.
 *
 * @example
 * ```ts
 * const store = new OrderStore(5_000_000);
 * store.add(order);
 * store.resolve('M1001'); // the order
 * ```
 */
export class OrderStore {
  /** JWT gateway merchant balance in satang; moved by completed deposits and withdrawals. */
  jwtBalanceSatang: number;
  readonly #byOrderNo = new Map<string, SandboxOrder>();
  readonly #byMerchantId = new Map<string, SandboxOrder>();
  #sequence = 0;

  constructor(jwtBalanceSatang: number) {
    this.jwtBalanceSatang = jwtBalanceSatang;
  }

  /**
   * Store a new order. The caller has already checked that its merchant id is free.
   *
   * @example
   * ```ts
   * store.add(order);
   * ```
   */
  add(order: SandboxOrder): void {
    this.#byOrderNo.set(order.orderNo, order);
    this.#byMerchantId.set(`${order.kind}:${order.merchantOrderId}`, order);
  }

  /**
   * The order of `kind` with this merchant id (the live record).
   *
   * @example
   * ```ts
   * store.byMerchantId('deposit', 'T1');
   * ```
   */
  byMerchantId(kind: SandboxOrderKind, merchantOrderId: string): SandboxOrder | undefined {
    return this.#byMerchantId.get(`${kind}:${merchantOrderId}`);
  }

  /**
   * The order with this provider number (the live record).
   *
   * @example
   * ```ts
   * store.byOrderNo('6023071013539074');
   * ```
   */
  byOrderNo(orderNo: string): SandboxOrder | undefined {
    return this.#byOrderNo.get(orderNo);
  }

  /**
   * Every order, oldest first (live records).
   *
   * @example
   * ```ts
   * store.list().length;
   * ```
   */
  list(): SandboxOrder[] {
    return [...this.#byOrderNo.values()];
  }

  /**
   * The order a reference names: a provider order number first, else a merchant order id of any kind.
   * Throws {@link SandboxError} 404 when none matches and 409 when a merchant id is used by several kinds.
   *
   * @example
   * ```ts
   * store.resolve('DP1640995200ABC123');
   * ```
   */
  resolve(ref: string): SandboxOrder {
    const byNumber = this.#byOrderNo.get(ref);
    if (byNumber) return byNumber;
    const matches = (['deposit', 'withdrawal', 'collection', 'payout'] as const)
      .map((kind) => this.byMerchantId(kind, ref))
      .filter((order) => order !== undefined);
    if (matches.length === 0) throw new SandboxError(`No order ${JSON.stringify(ref)}`, 404);
    if (matches.length > 1) {
      const numbers = matches.map((order) => `${order.kind} ${order.orderNo}`).join(', ');
      throw new SandboxError(
        `${JSON.stringify(ref)} names several orders (${numbers}): use the order number`,
        409,
      );
    }
    return matches[0]!;
  }

  /**
   * A JWT gateway order number like the doc's: `DP1640995200ABC123` / `WD1640995200XYZ789`.
   *
   * @example
   * ```ts
   * store.nextJwtOrderNo('DP', Date.now());
   * ```
   */
  nextJwtOrderNo(prefix: 'DP' | 'WD', nowMs: number): string {
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 6; i++) suffix += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
      const orderNo = `${prefix}${Math.floor(nowMs / 1000)}${suffix}`;
      if (!this.#byOrderNo.has(orderNo)) return orderNo;
    }
  }

  /**
   * A 16-digit THB collect order number: a leading 6 (collection) or 3 (payout) as in the doc's
   * examples, `yyMMddHHmmss` in Thailand time, then a 3-digit sequence.
   *
   * @example
   * ```ts
   * store.nextThbOrderNo('6', Date.now()); // "6240301235959001"
   * ```
   */
  nextThbOrderNo(prefix: '6' | '3', nowMs: number): string {
    for (let tries = 0; tries < 1000; tries++) {
      this.#sequence = (this.#sequence + 1) % 1000;
      const orderNo = `${prefix}${thaiTimeDigits(nowMs)}${String(this.#sequence).padStart(3, '0')}`;
      if (!this.#byOrderNo.has(orderNo)) return orderNo;
    }
    throw new SandboxError('More than 1000 THB orders in one second: the sandbox ran out of numbers', 409);
  }
}
