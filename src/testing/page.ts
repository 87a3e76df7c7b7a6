/**
 * The sandbox's pages: `GET /`, a dashboard of both providers' orders (QR codes, buttons to pay, fail
 * or expire them, the log of every callback and notification with the merchant's answers), and
 * `GET /pay/<orderNo>`, the customer checkout a THB collect `payUrl` points at.
 *
 * Everything page-related is wired through {@link createPageRoutes}; the markup, styles and the two
 * small inline scripts are in `./page/`. The pages act through the `/_sandbox/...` control endpoints
 * (control-routes.ts) with the control token each page carries in a `<meta>` tag; no external asset,
 * no build step.
 */
import type { ResolvedRoute, RouteResolver } from './http';
import { SandboxError } from './orders';
import { checkoutPage, nothingToPayPage } from './page/checkout';
import { dashboardPage } from './page/dashboard';
import { type PageParts, pageReply } from './page/document';
import type { SandboxOrder } from './types';

/** What the pages read. */
export interface PageSource {
  orders(): SandboxOrder[];
  getOrder(ref: string): SandboxOrder | undefined;
  /** Embedded in every page, for its script to send with the controls that change state. */
  controlToken: string;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The page routes: `GET /` and `GET /pay/<ref>` (`ref`: the provider order number or the merchant's).
 *
 * @example
 * ```ts
 * const resolver = createPageRoutes({
 *   orders: () => sandbox.orders(),
 *   getOrder: (ref) => sandbox.getOrder(ref),
 *   controlToken: sandbox.controlToken,
 * });
 * ```
 */
export function createPageRoutes(source: PageSource): RouteResolver {
  const reply = (status: number, parts: PageParts) =>
    pageReply(status, { ...parts, controlToken: source.controlToken });
  return (method, pathname): ResolvedRoute | undefined => {
    if (method !== 'GET') return undefined;
    if (pathname === '/') return { handle: () => reply(200, dashboardPage(source.orders())) };
    const match = /^\/pay\/([^/]+)\/?$/.exec(pathname);
    if (!match) return undefined;
    return {
      handle: () => {
        const ref = decodeSegment(match[1]!);
        let order: SandboxOrder | undefined;
        try {
          order = source.getOrder(ref);
        } catch (error) {
          // A merchant id shared by several kinds of order: say so instead of failing with a 500.
          if (error instanceof SandboxError)
            return reply(error.httpStatus, nothingToPayPage(ref, undefined, error.message));
          throw error;
        }
        if (order && (order.kind === 'deposit' || order.kind === 'collection')) {
          return reply(200, checkoutPage(order));
        }
        return reply(404, nothingToPayPage(ref, order));
      },
    };
  };
}
