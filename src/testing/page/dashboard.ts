/**
 * The dashboard at `GET /`: every order of both providers with its QR code, the buttons its status
 * allows, and a slot for its callback/notification log. The orders are rendered here; the inline script
 * (dashboard-script.ts) acts through `/_sandbox/...`, swaps in a freshly rendered `#orders` when it
 * changes, and fills the delivery logs and the credentials strip from the control endpoints' JSON.
 */
import { formatBaht } from '../money';
import type { SandboxOrder, SandboxProvider } from '../types';
import { DASHBOARD_SCRIPT } from './dashboard-script';
import type { PageParts } from './document';
import { html, type SafeHtml } from './html';
import {
  customerName,
  displayBaht,
  displayThaiTime,
  type OrderAction,
  orderActions,
  PROVIDER_NAMES,
  statusView,
} from './order-view';
import { qrImage } from './qr-image';

function statusBadge(order: SandboxOrder): SafeHtml {
  const view = statusView(order);
  // The JWT gateway's raw values are words already; THB collect's integers are worth showing.
  const raw = view.raw === view.label ? '' : html`<span class="raw">${view.raw}</span>`;
  return html`<span class="badge tone-${view.tone}" data-testid="order-status" data-status="${view.raw}" data-label="${view.label}">${view.label}${raw}</span>`;
}

function field(label: string, value: SafeHtml | string, testId?: string, valueClass = ''): SafeHtml {
  return html`<div><dt>${label}</dt><dd${valueClass ? html` class="${valueClass}"` : ''}${testId ? html` data-testid="${testId}"` : ''}>${value}</dd></div>`;
}

function actionButton(order: SandboxOrder, action: OrderAction): SafeHtml {
  const amount = action.amountSatang;
  const sub = amount === undefined ? '' : html`<span class="sub">${displayBaht(amount)}</span>`;
  const data = amount === undefined ? '' : html` data-amount="${formatBaht(amount)}"`;
  return html`<button type="button" class="${action.variant}" data-testid="action-${action.testId}" data-action="${action.action}" data-ref="${order.orderNo}"${data}>${action.label}${sub}</button>`;
}

function orderCard(order: SandboxOrder): SafeHtml {
  const view = statusView(order);
  const customer = customerName(order);
  const isPaymentIn = order.kind === 'deposit' || order.kind === 'collection';
  const qr = order.qrCode
    ? html`<div>${qrImage(order.qrCode, 'order-qr')}<div class="qr-caption">PromptPay QR</div></div>`
    : '';
  const fields = [
    field('Merchant order id', order.merchantOrderId, 'order-merchant-id', 'mono'),
    field('Provider order no', order.orderNo, 'order-no', 'mono'),
    customer === undefined ? '' : field('Customer', customer, 'order-customer'),
    field(
      'Created (Thailand time)',
      html`<time datetime="${order.createdAt}">${displayThaiTime(order.createdAt)}</time>`,
      'order-created',
    ),
    order.paidAmountSatang === null ? '' : field('Paid by customer', displayBaht(order.paidAmountSatang)),
    order.feeSatang > 0 ? field('Fee', displayBaht(order.feeSatang)) : '',
    order.actualAmountSatang > 0
      ? field(isPaymentIn ? 'Credited' : 'Paid out', displayBaht(order.actualAmountSatang))
      : '',
    order.completedAt === null
      ? ''
      : field('Completed (Thailand time)', displayThaiTime(order.completedAt), 'order-completed'),
    order.errorMsg === null ? '' : field('Reason', order.errorMsg, 'order-error', 'error-msg'),
    field('Sends status to', order.notifyUrl ?? 'nowhere (no callback URL)', 'order-notify-url', 'mono'),
  ];
  const checkout =
    isPaymentIn && order.qrCode
      ? html`<a class="link" href="/pay/${encodeURIComponent(order.orderNo)}" target="_blank" rel="noopener" data-testid="order-checkout-link">Customer checkout page ↗</a>`
      : '';
  const messages = order.provider === 'jwt-gateway' ? 'Callbacks' : 'Notifications';
  const log = order.notifyUrl
    ? html`<p class="none">Loading…</p>`
    : html`<p class="none">No ${messages.toLowerCase()}: the order has no callback URL.</p>`;
  return html`<article class="order${qr ? '' : ' no-qr'}" data-testid="order" data-order-no="${order.orderNo}" data-provider="${order.provider}" data-kind="${order.kind}" data-status="${view.raw}">
${qr}
<div>
<div class="head"><span class="kind" data-testid="order-kind">${order.kind}</span>${statusBadge(order)}<span class="amount" data-testid="order-amount">${displayBaht(order.amountSatang)}</span></div>
<dl class="fields">${fields}</dl>
<div class="actions">${orderActions(order).map((action) => actionButton(order, action))}${checkout}</div>
<div class="deliveries" data-testid="delivery-log" data-delivery-log="${order.orderNo}"${order.notifyUrl ? '' : ' data-no-notify'}><h3>${messages}</h3>${log}</div>
</div>
</article>`;
}

function providerSection(provider: SandboxProvider, orders: SandboxOrder[]): SafeHtml {
  const mine = orders.filter((order) => order.provider === provider).reverse();
  const hint =
    provider === 'jwt-gateway'
      ? 'Create a deposit or withdrawal with JwtGatewayClient and the sandbox.jwtGateway credentials.'
      : 'Create a collection or payout with ThbCollectClient and the sandbox.thbCollect credentials.';
  const body =
    mine.length === 0
      ? html`<div class="empty">No orders yet. ${hint}</div>`
      : mine.map((order) => orderCard(order));
  return html`<section class="provider" data-testid="provider-${provider}">
<header><h2>${PROVIDER_NAMES[provider]}</h2><span class="count" data-testid="order-count">${mine.length} ${mine.length === 1 ? 'order' : 'orders'}</span></header>
${body}
</section>`;
}

function fact(label: string, key: string): SafeHtml {
  return html`<dt>${label}</dt><dd data-fact="${key}">…</dd>`;
}

/**
 * The dashboard page: both providers' orders, newest first.
 *
 * @example
 * ```ts
 * pageReply(200, dashboardPage(sandbox.orders()));
 * ```
 */
export function dashboardPage(orders: SandboxOrder[]): PageParts {
  const body = html`<header class="topbar">
<h1>thaipay sandbox</h1>
<span class="count">a local simulator of the JWT gateway and THB collect</span>
<span class="grow"></span>
<span class="live" id="live" data-testid="live"><span class="dot"></span><span id="updated">Live</span>
<label><input type="checkbox" id="auto" checked> Auto-refresh</label></span>
<button type="button" id="refresh" data-testid="refresh">Refresh</button>
</header>
<main class="wrap">
<section class="facts" data-testid="facts">
<div class="fact"><h2>JWT gateway</h2><dl>${fact('Base URL', 'jwt-base-url')}${fact('Merchant id', 'jwt-merchant-id')}${fact('Balance', 'jwt-balance')}</dl></div>
<div class="fact"><h2>THB collect</h2><dl>${fact('Base URL', 'thb-base-url')}${fact('appId', 'thb-app-id')}</dl></div>
<div class="fact"><h2>Faults armed</h2><div class="faults" data-fact="faults">…</div></div>
</section>
<div id="orders" data-testid="orders">
${providerSection('jwt-gateway', orders)}
${providerSection('thb-collect', orders)}
</div>
</main>
<div class="toasts" id="toasts" role="status" aria-live="polite"></div>`;
  return { title: 'thaipay sandbox', body, script: DASHBOARD_SCRIPT };
}
