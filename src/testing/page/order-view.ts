/**
 * How the pages describe an order: a status label a person understands (next to the provider's raw
 * value), which buttons its status allows, and money, time and customer name for display.
 */
import { formatBaht } from '../money';
import { formatThaiTime } from '../thai-time';
import type { SandboxOrder } from '../types';

/** The colour family of a status badge. */
export type StatusTone = 'waiting' | 'success' | 'danger' | 'muted' | 'warning';

/** A status as the pages show it. */
export interface StatusView {
  /** Words: `paid`, `partially paid`, `completed`. */
  label: string;
  tone: StatusTone;
  /** The provider's value as text: `completed`, `2`. */
  raw: string;
  /** Whether the status can no longer change. */
  final: boolean;
}

const JWT_STATUSES: Record<string, Omit<StatusView, 'raw'>> = {
  pending: { label: 'pending', tone: 'waiting', final: false },
  completed: { label: 'completed', tone: 'success', final: true },
  failed: { label: 'failed', tone: 'danger', final: true },
  expired: { label: 'expired', tone: 'muted', final: true },
};

const THB_COLLECTION_STATUSES: Record<string, Omit<StatusView, 'raw'>> = {
  '0': { label: 'not started', tone: 'waiting', final: false },
  '1': { label: 'collecting', tone: 'waiting', final: false },
  '2': { label: 'paid', tone: 'success', final: true },
  '3': { label: 'failed', tone: 'danger', final: true },
  '4': { label: 'partially paid', tone: 'warning', final: true },
  '5': { label: 'overpaid', tone: 'warning', final: true },
  '-1': { label: 'exception', tone: 'warning', final: false },
};

const THB_PAYOUT_STATUSES: Record<string, Omit<StatusView, 'raw'>> = {
  ...THB_COLLECTION_STATUSES,
  '0': { label: 'pending', tone: 'waiting', final: false },
  '1': { label: 'processing', tone: 'waiting', final: false },
  '2': { label: 'succeeded', tone: 'success', final: true },
};

/**
 * The label, colour and finality of an order's status.
 *
 * @example
 * ```ts
 * statusView(collection); // { label: 'paid', tone: 'success', raw: '2', final: true }
 * ```
 */
export function statusView(order: SandboxOrder): StatusView {
  const raw = String(order.status);
  const table =
    order.provider === 'jwt-gateway'
      ? JWT_STATUSES
      : order.kind === 'payout'
        ? THB_PAYOUT_STATUSES
        : THB_COLLECTION_STATUSES;
  const known = Object.hasOwn(table, raw) ? table[raw] : undefined;
  // An expired THB collection is status 3 like any failure; its errorMsg is what tells them apart.
  if (known && order.provider === 'thb-collect' && raw === '3' && order.errorMsg === 'Order expired') {
    return { label: 'expired', tone: 'muted', raw, final: true };
  }
  return { raw, ...(known ?? { label: raw, tone: 'muted', final: false }) };
}

/** A control endpoint an order button calls: `POST /_sandbox/orders/:ref/<action>`. */
export type OrderActionName = 'pay' | 'complete' | 'fail' | 'expire' | 'process' | 'exception' | 'resend';

/** One button of an order. */
export interface OrderAction {
  action: OrderActionName;
  label: string;
  /** Satang sent as `{ amount }` in baht (THB partial and over payment). */
  amountSatang?: number;
  variant: 'primary' | 'secondary' | 'danger' | 'quiet';
  /** Tells buttons of the same action apart (`pay`, `pay-partial`, `overpay`). */
  testId: string;
}

/**
 * The buttons an order's kind and status allow (none for a final order, except resending its message).
 *
 * @example
 * ```ts
 * orderActions(collection).map((a) => a.label); // ['Pay', 'Pay partial', 'Overpay', 'Fail', 'Expire', ...]
 * ```
 */
export function orderActions(order: SandboxOrder): OrderAction[] {
  const actions: OrderAction[] = [];
  const add = (action: OrderActionName, label: string, variant: OrderAction['variant'], extra = {}) =>
    actions.push({ action, label, variant, testId: action, ...extra });
  if (!statusView(order).final) {
    if (order.kind === 'deposit' || order.kind === 'collection') {
      add('pay', 'Pay', 'primary');
      if (order.kind === 'collection') {
        // Fixed amounts keep the page free of inputs a poll could wipe: half, and a tenth more.
        const partial = Math.max(1, Math.floor(order.amountSatang / 2));
        const over = order.amountSatang + Math.max(1, Math.round(order.amountSatang / 10));
        add('pay', 'Pay partial', 'secondary', { amountSatang: partial, testId: 'pay-partial' });
        add('pay', 'Overpay', 'secondary', { amountSatang: over, testId: 'overpay' });
      }
      add('fail', 'Fail', 'danger');
      add('expire', 'Expire', 'secondary');
    } else {
      if (order.kind === 'payout' && order.status === 0) add('process', 'Start processing', 'secondary');
      add('complete', 'Complete', 'primary');
      add('fail', 'Fail', 'danger');
    }
    if (order.provider === 'thb-collect' && order.status !== -1) add('exception', 'Exception', 'quiet');
  }
  if (order.notifyUrl) add('resend', 'Resend', 'quiet');
  return actions;
}

/**
 * Baht with thousands separators and the currency sign, from satang: `฿1,000.00`.
 *
 * @example
 * ```ts
 * displayBaht(100000); // "฿1,000.00"
 * ```
 */
export function displayBaht(satang: number): string {
  const [whole, cents] = formatBaht(satang).split('.');
  return `฿${whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`;
}

/**
 * An ISO time as Thailand time (`yyyy-MM-dd HH:mm:ss`), the zone both providers and their merchants use.
 *
 * @example
 * ```ts
 * displayThaiTime('2024-03-01T16:59:59.000Z'); // "2024-03-01 23:59:59"
 * ```
 */
export function displayThaiTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatThaiTime(ms);
}

/**
 * The customer's name from the create request (`name`, or `account_name` for a withdrawal).
 *
 * @example
 * ```ts
 * customerName(order); // "John Doe"
 * ```
 */
export function customerName(order: SandboxOrder): string | undefined {
  const value = order.request.name ?? order.request.account_name;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * An http(s) URL from the create request, or `undefined` (a `javascript:` URL never becomes a link).
 *
 * @example
 * ```ts
 * requestUrl(order, 'callBackUrl'); // "https://shop.example/ok"
 * ```
 */
export function requestUrl(order: SandboxOrder, field: string): string | undefined {
  const value = order.request[field];
  if (typeof value !== 'string') return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** Provider names as the pages print them. */
export const PROVIDER_NAMES: Record<SandboxOrder['provider'], string> = {
  'jwt-gateway': 'JWT gateway',
  'thb-collect': 'THB collect',
};
