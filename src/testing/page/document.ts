/**
 * A whole page: the HTML document around a body, and the headers it is served with. The
 * Content-Security-Policy allows exactly the page's own inline script and stylesheet (by hash) and
 * requests to the sandbox itself, so even a value that slipped past escaping could not run or phone out.
 */
import { createHash } from 'node:crypto';
import type { Reply } from '../http';
import { html, type SafeHtml, trustedHtml } from './html';
import { PAGE_STYLES } from './styles';

/** The parts of a page. */
export interface PageParts {
  title: string;
  body: SafeHtml;
  /** The page's inline script (fixed text, never built from data). */
  script?: string;
  /** A class on `<body>`. */
  bodyClass?: string;
  /**
   * The sandbox's control token, in `<meta name="thaipay-sandbox-token">` for the page's script to send.
   * Only a page served under a loopback `Host` carries it, and another site cannot read it (no CORS).
   */
  controlToken?: string;
}

/** The `<meta>` name the page scripts read the control token from. */
export const CONTROL_TOKEN_META = 'thaipay-sandbox-token';

function sourceHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

const STYLE_HASH = sourceHash(PAGE_STYLES);

/**
 * The Content-Security-Policy of a page with `script` as its only script.
 *
 * @example
 * ```ts
 * contentSecurityPolicy(DASHBOARD_SCRIPT); // "default-src 'none'; script-src 'sha256-...'; ..."
 * ```
 */
export function contentSecurityPolicy(script: string | undefined): string {
  return [
    "default-src 'none'",
    `script-src ${script === undefined ? "'none'" : sourceHash(script)}`,
    `style-src ${STYLE_HASH}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The HTML document of a page.
 *
 * @example
 * ```ts
 * renderDocument({ title: 'thaipay sandbox', body: html`<h1>Orders</h1>` });
 * ```
 */
export function renderDocument(parts: PageParts): string {
  const script = parts.script === undefined ? '' : html`<script>${trustedHtml(parts.script)}</script>`;
  const token =
    parts.controlToken === undefined
      ? ''
      : html`<meta name="${CONTROL_TOKEN_META}" content="${parts.controlToken}">
`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${token}<link rel="icon" href="data:,">
<title>${parts.title}</title>
<style>${trustedHtml(PAGE_STYLES)}</style>
</head>
<body${parts.bodyClass ? html` class="${parts.bodyClass}"` : ''}>
${parts.body}
${script}
</body>
</html>
`.markup;
}

/**
 * A page as an HTTP reply: the document, its CSP, and no caching (the page shows live state).
 *
 * @example
 * ```ts
 * pageReply(200, dashboardPage(orders));
 * ```
 */
export function pageReply(status: number, parts: PageParts): Reply {
  return {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': contentSecurityPolicy(parts.script),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: renderDocument(parts),
  };
}
