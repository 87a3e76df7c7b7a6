/**
 * The bodies of outgoing status messages: JWT gateway callbacks and THB collect notifications, each
 * signed the provider's way, and the tampering the `tampered-signature` fault applies after signing.
 */
import type { KeyObject } from 'node:crypto';
import { bahtNumber, formatBaht } from './money';
import { signJwtGatewayParams, signThbParams } from './signing';
import type { SandboxOrder } from './types';

/** Unix seconds of the moment the order entered its current status. */
function statusSeconds(order: SandboxOrder): number {
  const last = order.history[order.history.length - 1];
  return Math.floor(Date.parse(last?.at ?? order.updatedAt) / 1000);
}

/**
 * A JWT gateway callback for the order as it is, with the doc's fields in the doc's order and
 * `signature` over all of them.
 *
 * @example
 * ```ts
 * jwtCallbackBody(order, apiKey); // { order_no, agent_order_no, type, ..., timestamp: "1640995380", signature }
 * ```
 */
export function jwtCallbackBody(order: SandboxOrder, apiKey: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    order_no: order.orderNo,
    agent_order_no: order.merchantOrderId,
    type: order.kind === 'deposit' ? 'deposit' : 'withdrawal',
    amount: bahtNumber(order.amountSatang),
    fee: bahtNumber(order.feeSatang),
    transfer_amount: bahtNumber(order.amountSatang - order.feeSatang),
    actual_amount: bahtNumber(order.actualAmountSatang),
    status: order.status,
    timestamp: String(statusSeconds(order)),
  };
  return { ...fields, signature: signJwtGatewayParams(fields, apiKey) };
}

/** The platform's signing material. */
export interface ThbSigner {
  appId: string;
  secretKey: string;
  platformPrivateKey: KeyObject;
}

/**
 * A THB collect notification: appId, currency, orderId, orderNo, amount, fee, status, then payTime and
 * errorMsg when they have a value, the extras, and `sign` over all of them. No `hash`: `CommonApi.mdx`
 * gives it to stablecoin payouts only, never to THB ones.
 *
 * @example
 * ```ts
 * thbNotificationBody(order, signer, {}); // { appId: 1054, currency: "THB", ..., sign }
 * ```
 */
export function thbNotificationBody(
  order: SandboxOrder,
  signer: ThbSigner,
  extras: Record<string, string>,
): Record<string, unknown> {
  // appId is a Long in the provider's tables: a JSON number when it is one.
  const fields: Record<string, unknown> = {
    appId: /^\d{1,15}$/.test(signer.appId) ? Number(signer.appId) : signer.appId,
    currency: 'THB',
    orderId: order.merchantOrderId,
    orderNo: order.orderNo,
    amount: formatBaht(order.amountSatang),
    fee: formatBaht(order.feeSatang),
    status: order.status,
  };
  if (order.payTime) fields.payTime = order.payTime;
  if (order.errorMsg) fields.errorMsg = order.errorMsg;
  Object.assign(fields, extras);
  return { ...fields, sign: signThbParams(fields, signer.secretKey, signer.platformPrivateKey) };
}

/**
 * The wire form of a message: JSON, or (THB collect, when asked) form-encoded.
 *
 * @example
 * ```ts
 * encodeMessage({ a: 1 }, 'form'); // { contentType: "application/x-www-form-urlencoded", body: "a=1" }
 * ```
 */
export function encodeMessage(
  fields: Record<string, unknown>,
  format: 'json' | 'form',
): { contentType: string; body: string } {
  if (format === 'json') return { contentType: 'application/json', body: JSON.stringify(fields) };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) form.append(key, String(value));
  }
  return { contentType: 'application/x-www-form-urlencoded', body: form.toString() };
}

/**
 * A copy of signed fields with one value changed, the signature left as it was: what a man in the middle
 * would send. `amount` is raised by 1 baht when present (in the same type), else `orderNo`'s last
 * character is changed.
 *
 * @example
 * ```ts
 * tamperWith({ amount: '300.00', sign: 's' }); // { amount: "301.00", sign: "s" }
 * ```
 */
export function tamperWith(fields: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...fields };
  const amount = copy.amount;
  if (typeof amount === 'number') copy.amount = amount + 1;
  else if (typeof amount === 'string' && /^\d+(\.\d+)?$/.test(amount)) {
    const [whole, fraction] = amount.split('.');
    copy.amount = fraction === undefined ? String(Number(whole) + 1) : `${Number(whole) + 1}.${fraction}`;
  } else {
    for (const key of ['orderNo', 'order_no', 'orderId']) {
      const value = copy[key];
      if (typeof value === 'string' && value.length > 0) {
        copy[key] = value.slice(0, -1) + (value.endsWith('0') ? '1' : '0');
        break;
      }
    }
  }
  return copy;
}
