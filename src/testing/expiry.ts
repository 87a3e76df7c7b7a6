/**
 * One timer per pending JWT gateway deposit, firing when its `expireDate` passes. Timers are
 * cancelled when the order reaches a final status and all at once on `close()`, so a closed sandbox
 * leaves nothing behind.
 */

/** The longest delay `setTimeout` honours; longer ones fire at once (with a warning) on Node. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Expiry timers by order number.
 *
 * @example
 * ```ts
 * const expiry = new ExpiryTimers((orderNo) => lifecycle.expire(orderNo));
 * expiry.schedule('DP1640995200ABC123', 5 * 60_000);
 * expiry.cancel('DP1640995200ABC123'); // paid in time
 * expiry.close(); // the sandbox closes
 * ```
 */
export class ExpiryTimers {
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #onExpire: (orderNo: string) => void;
  #closed = false;

  constructor(onExpire: (orderNo: string) => void) {
    this.#onExpire = onExpire;
  }

  /**
   * Call `onExpire(orderNo)` in `delayMs`, unless cancelled or closed first. Does nothing once closed.
   *
   * @example
   * ```ts
   * expiry.schedule(order.orderNo, 100);
   * ```
   */
  schedule(orderNo: string, delayMs: number): void {
    if (this.#closed) return;
    this.cancel(orderNo);
    // Delays beyond the timer limit are waited out in steps rather than firing at once.
    const step = Math.min(delayMs, MAX_TIMER_MS);
    const timer = setTimeout(() => {
      this.#timers.delete(orderNo);
      if (delayMs > step) this.schedule(orderNo, delayMs - step);
      else this.#onExpire(orderNo);
    }, step);
    this.#timers.set(orderNo, timer);
  }

  /**
   * Forget the order's timer, if it has one.
   *
   * @example
   * ```ts
   * expiry.cancel(order.orderNo);
   * ```
   */
  cancel(orderNo: string): void {
    const timer = this.#timers.get(orderNo);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.#timers.delete(orderNo);
  }

  /**
   * How many timers are waiting.
   *
   * @example
   * ```ts
   * expiry.pending(); // 0 after close()
   * ```
   */
  pending(): number {
    return this.#timers.size;
  }

  /**
   * Clear every timer; later `schedule` calls do nothing. Idempotent.
   *
   * @example
   * ```ts
   * expiry.close();
   * ```
   */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
