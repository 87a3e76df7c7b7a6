/**
 * The customer's side: `GET /pay/<orderNo>`, the page a THB collect `payUrl` points at (JWT gateway
 * deposits get one too). It shows what a hosted PromptPay checkout shows — the amount, the QR code and
 * whom it pays — with a "Pay" button standing in for the customer's banking app, and the outcome once
 * the order is settled.
 */
import { parsePromptPayPayload } from '../../qr';
import type { SandboxOrder } from '../types';
import { CHECKOUT_SCRIPT } from './checkout-script';
import type { PageParts } from './document';
import { html, type SafeHtml } from './html';
import { displayBaht, displayThaiTime, requestUrl, type StatusView, statusView } from './order-view';
import { qrImage } from './qr-image';

function mobileForDisplay(mobile: string): string {
  return /^\d{10}$/.test(mobile) ? `${mobile.slice(0, 3)}-${mobile.slice(3, 6)}-${mobile.slice(6)}` : mobile;
}

/** Whom the QR pays, read back out of the payload, and whether it asks for the order's amount. */
function qrTarget(order: SandboxOrder, payload: string): SafeHtml {
  try {
    const qr = parsePromptPayPayload(payload);
    const target = qr.target?.mobileNumber
      ? `PromptPay ${mobileForDisplay(qr.target.mobileNumber)}`
      : `PromptPay ${qr.target?.value ?? ''}`;
    const amountMatches = qr.amountSatang === order.amountSatang;
    return html`<p class="checkout-target">Scan with any Thai banking app · <span class="nowrap">${target}</span>${
      amountMatches
        ? ''
        : html`<br><span class="error-msg">The QR does not ask for the order's amount.</span>`
    }</p>`;
  } catch {
    return html`<p class="checkout-target error-msg">This QR payload cannot be read.</p>`;
  }
}

function outcome(order: SandboxOrder, view: StatusView): SafeHtml {
  const paid = order.paidAmountSatang === null ? '' : displayBaht(order.paidAmountSatang);
  const ordered = displayBaht(order.amountSatang);
  const texts: Record<string, string> = {
    success: '✓ Payment received',
    danger: `Payment failed${order.errorMsg ? `: ${order.errorMsg}` : ''}`,
    muted: 'This QR code has expired',
  };
  let text = texts[view.tone] ?? view.label;
  if (view.label === 'partially paid') text = `Partially paid: ${paid} of ${ordered} received`;
  if (view.label === 'overpaid') text = `Overpaid: ${paid} received for ${ordered}`;
  const back =
    view.tone === 'success' || view.tone === 'warning'
      ? requestUrl(order, 'callBackUrl')
      : requestUrl(order, 'callBackFailUrl');
  return html`<div class="result tone-${view.tone}" data-testid="checkout-result">${text}</div>${
    back
      ? html`<p><a href="${back}" rel="noopener noreferrer" data-testid="checkout-back">Return to the merchant</a></p>`
      : ''
  }`;
}

/**
 * The checkout page of a deposit or collection.
 *
 * @example
 * ```ts
 * pageReply(200, checkoutPage(sandbox.getOrder(orderNo)!));
 * ```
 */
export function checkoutPage(order: SandboxOrder): PageParts {
  const view = statusView(order);
  const amount = displayBaht(order.amountSatang);
  const qr = order.qrCode
    ? html`${qrImage(order.qrCode, 'checkout-qr', view.final ? 'done' : '')}${view.final ? '' : qrTarget(order, order.qrCode)}`
    : html`<p class="checkout-target">This order has no QR code.</p>`;
  const action = view.final
    ? outcome(order, view)
    : html`<button type="button" class="primary" id="pay" data-testid="checkout-pay">Pay ${amount}</button>
<p class="message" id="message" role="alert"></p>`;
  const meta = [
    html`<dt>Order no</dt><dd class="mono" data-testid="checkout-order-no">${order.orderNo}</dd>`,
    html`<dt>Merchant order</dt><dd class="mono">${order.merchantOrderId}</dd>`,
    html`<dt>Status</dt><dd data-testid="checkout-status" data-status="${view.raw}">${view.label}</dd>`,
    order.payTime ? html`<dt>Paid at</dt><dd>${order.payTime} (Thailand time)</dd>` : '',
    order.payTime || !order.completedAt
      ? ''
      : html`<dt>Paid at</dt><dd>${displayThaiTime(order.completedAt)} (Thailand time)</dd>`,
  ];
  const body = html`<main class="checkout" data-testid="checkout" data-checkout data-order-no="${order.orderNo}" data-status="${view.raw}" data-final="${String(view.final)}">
<div class="checkout-brand">Thai QR Payment<small>PromptPay · sandbox checkout</small></div>
<div class="checkout-body">
<div class="checkout-label">${view.final ? 'Amount' : 'Amount to pay'}</div>
<div class="checkout-amount" data-testid="checkout-amount">${amount}</div>
${qr}
${action}
<dl class="checkout-meta">${meta}</dl>
<p class="sandbox-note">thaipay sandbox: “Pay” stands in for the customer's banking app. <a href="/">Sandbox dashboard</a></p>
</div>
</main>`;
  return {
    title: `Pay ${amount} · ${order.orderNo}`,
    body,
    bodyClass: 'checkout-page',
    ...(view.final ? {} : { script: CHECKOUT_SCRIPT }),
  };
}

/**
 * The page for a `/pay/<ref>` with nothing to pay: no such order, a withdrawal or payout, or a `problem`
 * finding it (a merchant id naming several orders).
 *
 * @example
 * ```ts
 * pageReply(404, nothingToPayPage('6024...', undefined));
 * ```
 */
export function nothingToPayPage(ref: string, order: SandboxOrder | undefined, problem?: string): PageParts {
  const reason = problem
    ? html`${problem}`
    : order
      ? html`Order <span class="mono">${order.orderNo}</span> is a ${order.kind}: there is nothing to pay.`
      : html`There is no order <span class="mono">${ref}</span> in this sandbox.`;
  const body = html`<main class="checkout" data-testid="checkout-missing">
<div class="checkout-brand">Thai QR Payment<small>PromptPay · sandbox checkout</small></div>
<div class="checkout-body"><div class="result">Nothing to pay</div><p>${reason}</p>
<p class="sandbox-note"><a href="/">Sandbox dashboard</a></p></div>
</main>`;
  return { title: 'Nothing to pay', body, bodyClass: 'checkout-page' };
}
