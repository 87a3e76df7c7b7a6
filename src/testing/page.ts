/**
 * The sandbox's pages: `GET /` (the orders) and `GET /pay/<orderNo>` (a THB collect `payUrl`).
 *
 * A placeholder: a richer page is to replace this file. Everything page-related is wired through
 * {@link createPageRoutes} alone, so swapping it is a one-file change. The page acts through the
 * `/_sandbox/...` control endpoints (see control-routes.ts).
 */
import { htmlReply, type Reply, type RouteResolver } from './http';
import type { SandboxOrder } from './types';

/** What the pages read. */
export interface PageSource {
  orders(): SandboxOrder[];
  getOrder(ref: string): SandboxOrder | undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

function orderRow(order: SandboxOrder): string {
  const cells = [
    order.provider,
    order.kind,
    order.orderNo,
    order.merchantOrderId,
    order.amount,
    String(order.status),
  ];
  return `<tr>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`;
}

/**
 * The orders page.
 *
 * @example
 * ```ts
 * renderOrdersPage(sandbox.orders());
 * ```
 */
export function renderOrdersPage(orders: SandboxOrder[]): string {
  const rows = orders.map(orderRow).join('');
  return layout(
    'thaipay sandbox',
    `<h1>thaipay sandbox</h1><p>${orders.length} order(s). Controls: <code>/_sandbox</code>.</p>` +
      `<table><thead><tr><th>Provider</th><th>Kind</th><th>Order no</th><th>Merchant order id</th><th>Amount</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

/**
 * The payment page of one order.
 *
 * @example
 * ```ts
 * renderPayPage(order);
 * ```
 */
export function renderPayPage(order: SandboxOrder): string {
  return layout(
    `Pay ${order.orderNo}`,
    `<h1>Pay ${escapeHtml(order.amount)} THB</h1><p>Order ${escapeHtml(order.orderNo)} (${escapeHtml(order.merchantOrderId)}), status ${escapeHtml(String(order.status))}.</p>` +
      `<pre>${escapeHtml(order.qrCode ?? '')}</pre>` +
      `<p>POST <code>/_sandbox/orders/${escapeHtml(encodeURIComponent(order.orderNo))}/pay</code> to pay.</p>`,
  );
}

/**
 * The page routes.
 *
 * @example
 * ```ts
 * const resolver = createPageRoutes(sandbox);
 * ```
 */
export function createPageRoutes(source: PageSource): RouteResolver {
  return (method, pathname) => {
    if (method !== 'GET') return undefined;
    if (pathname === '/') return { handle: (): Reply => htmlReply(200, renderOrdersPage(source.orders())) };
    const match = /^\/pay\/([^/]+)$/.exec(pathname);
    if (!match) return undefined;
    return {
      handle: (): Reply => {
        let orderNo: string;
        try {
          orderNo = decodeURIComponent(match[1]!);
        } catch {
          orderNo = match[1]!;
        }
        const order = source.getOrder(orderNo);
        return order
          ? htmlReply(200, renderPayPage(order))
          : htmlReply(404, layout('Not found', `<h1>No order ${escapeHtml(orderNo)}</h1>`));
      },
    };
  };
}
