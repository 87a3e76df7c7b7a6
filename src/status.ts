/**
 * One payment status for both providers.
 *
 * Each provider's own status is mapped onto {@link PaymentStatus}; the raw value stays available as
 * `providerStatus` on results. Anything a mapping does not know becomes `needs_review`: an unknown code is
 * never taken for a success (nor for a failure, which could make a merchant pay twice).
 */

/**
 * Every {@link PaymentStatus}, in lifecycle order.
 *
 * @example
 * ```ts
 * import { PAYMENT_STATUSES } from 'thaipay';
 *
 * PAYMENT_STATUSES.includes('succeeded'); // true
 * ```
 */
export const PAYMENT_STATUSES = /* @__PURE__ */ Object.freeze([
  'pending',
  'processing',
  'succeeded',
  'failed',
  'expired',
  'partially_paid',
  'overpaid',
  'needs_review',
] as const);

/**
 * The unified status of a collection, deposit, payout or withdrawal.
 *
 * - `pending` — created, nothing paid or sent yet (THB 0, gateway `pending`).
 * - `processing` — under way at the provider (THB 1).
 * - `succeeded` — paid in full / paid out (THB 2, gateway `completed`).
 * - `failed` — will not happen (THB 3, gateway `failed`).
 * - `expired` — the payer did not pay in time (gateway `expired`).
 * - `partially_paid` — a collection closed with less than the amount asked (THB 4).
 * - `overpaid` — a collection closed with more than the amount asked (THB 5).
 * - `needs_review` — the provider reports an exception to confirm by hand (THB -1), or sent a status
 *   thaipay does not know.
 *
 * @example
 * ```ts
 * import type { PaymentStatus } from 'thaipay';
 *
 * const status: PaymentStatus = 'succeeded';
 * ```
 */
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * Statuses that will not change any more. `partially_paid` and `overpaid` are final: THB collect reports
 * them as the outcome of a closed collection (the amount received is in `actualAmount`), so a merchant
 * settles the difference outside the order. `needs_review` is not final: the provider may still resolve
 * it, so keep polling or wait for the notification.
 */
const FINAL_STATUSES: ReadonlySet<PaymentStatus> = new Set<PaymentStatus>([
  'succeeded',
  'failed',
  'expired',
  'partially_paid',
  'overpaid',
]);

/**
 * Whether `value` is one of the {@link PAYMENT_STATUSES}.
 *
 * @example
 * ```ts
 * import { isPaymentStatus } from 'thaipay';
 *
 * isPaymentStatus('overpaid'); // true
 * isPaymentStatus('completed'); // false (a gateway status, not a unified one)
 * ```
 */
export function isPaymentStatus(value: unknown): value is PaymentStatus {
  return typeof value === 'string' && (PAYMENT_STATUSES as readonly string[]).includes(value);
}

/**
 * Whether a status is final: `succeeded`, `failed`, `expired`, `partially_paid` and `overpaid` never change
 * again; `pending`, `processing` and `needs_review` may.
 *
 * @example
 * ```ts
 * import { isFinalStatus } from 'thaipay';
 *
 * isFinalStatus('succeeded'); // true
 * isFinalStatus('needs_review'); // false: poll again later
 * ```
 */
export function isFinalStatus(status: PaymentStatus): boolean {
  return FINAL_STATUSES.has(status);
}

const THB_COLLECTION_STATUS: ReadonlyMap<number, PaymentStatus> = new Map<number, PaymentStatus>([
  [0, 'pending'],
  [1, 'processing'],
  [2, 'succeeded'],
  [3, 'failed'],
  [4, 'partially_paid'],
  [5, 'overpaid'],
  [-1, 'needs_review'],
]);

const THB_PAYOUT_STATUS: ReadonlyMap<number, PaymentStatus> = new Map<number, PaymentStatus>([
  [0, 'pending'],
  [1, 'processing'],
  [2, 'succeeded'],
  [3, 'failed'],
  [-1, 'needs_review'],
]);

// A Map, not an object literal: "constructor" or "__proto__" must not find anything.
const JWT_GATEWAY_STATUS: ReadonlyMap<string, PaymentStatus> = new Map<string, PaymentStatus>([
  ['pending', 'pending'],
  ['completed', 'succeeded'],
  ['failed', 'failed'],
  ['expired', 'expired'],
]);

/**
 * The integer a THB status code stands for: a number, or its canonical decimal text (form-encoded
 * notifications carry `"2"`); anything else (`"02"`, `" 2"`, `2.5`) is not a code.
 */
function thbCode(code: number | string): number | undefined {
  if (typeof code === 'number') return Number.isInteger(code) ? code : undefined;
  if (typeof code === 'string') {
    const n = Number(code);
    return Number.isInteger(n) && String(n) === code ? n : undefined;
  }
  return undefined;
}

/**
 * Map a THB collect collection status onto {@link PaymentStatus}: 0 `pending`, 1 `processing`,
 * 2 `succeeded`, 3 `failed`, 4 `partially_paid`, 5 `overpaid`, -1 `needs_review`. Accepts the number or its
 * decimal text (form-encoded notifications). Any other value gives `needs_review`.
 *
 * @example
 * ```ts
 * import { fromThbCollectionStatus } from 'thaipay';
 *
 * fromThbCollectionStatus(2); // "succeeded"
 * fromThbCollectionStatus('4'); // "partially_paid"
 * fromThbCollectionStatus(9); // "needs_review"
 * ```
 */
export function fromThbCollectionStatus(code: number | string): PaymentStatus {
  const n = thbCode(code);
  return (n === undefined ? undefined : THB_COLLECTION_STATUS.get(n)) ?? 'needs_review';
}

/**
 * Map a THB collect payout (disbursement) status onto {@link PaymentStatus}: 0 `pending`, 1 `processing`,
 * 2 `succeeded`, 3 `failed`, -1 `needs_review`. Accepts the number or its decimal text. Any other value
 * (including 4 and 5, which payouts do not have) gives `needs_review`.
 *
 * @example
 * ```ts
 * import { fromThbPayoutStatus } from 'thaipay';
 *
 * fromThbPayoutStatus(3); // "failed"
 * fromThbPayoutStatus(5); // "needs_review"
 * ```
 */
export function fromThbPayoutStatus(code: number | string): PaymentStatus {
  const n = thbCode(code);
  return (n === undefined ? undefined : THB_PAYOUT_STATUS.get(n)) ?? 'needs_review';
}

/**
 * Map a JWT gateway status onto {@link PaymentStatus}: `pending`, `completed` → `succeeded`, `failed`,
 * `expired`. Strict (exact lower case, as documented); anything else gives `needs_review`.
 *
 * @example
 * ```ts
 * import { fromJwtGatewayStatus } from 'thaipay';
 *
 * fromJwtGatewayStatus('completed'); // "succeeded"
 * fromJwtGatewayStatus('success'); // "needs_review": not a documented status
 * ```
 */
export function fromJwtGatewayStatus(status: string): PaymentStatus {
  return (typeof status === 'string' ? JWT_GATEWAY_STATUS.get(status) : undefined) ?? 'needs_review';
}
