/**
 * An order's QR code as inline SVG, drawn on the server with the SDK's own `renderQrSvg`, so the page
 * needs no script or asset to show it.
 */
import { renderQrSvg } from '../../qr';
import { html, type SafeHtml, trustedHtml } from './html';

/** How the pages draw QR codes: scaled by CSS, with a 2-module quiet zone inside their white frame. */
export const PAGE_QR_OPTIONS = { size: 240, margin: 2 } as const;

/**
 * The QR code of `payload` inside a `.qr` box, or a short note when it cannot be drawn.
 *
 * @example
 * ```ts
 * html`<div>${qrImage(order.qrCode, 'order-qr')}</div>`;
 * ```
 */
export function qrImage(payload: string, testId: string, extraClass = ''): SafeHtml {
  let svg: SafeHtml;
  try {
    // The SVG is built from the payload's bits and fixed options only: no text from the payload lands in it.
    svg = trustedHtml(renderQrSvg(payload, PAGE_QR_OPTIONS));
  } catch (error) {
    svg = html`<span class="error-msg">Cannot draw this QR: ${error instanceof Error ? error.message : String(error)}</span>`;
  }
  return html`<div class="qr${extraClass ? ` ${extraClass}` : ''}" data-testid="${testId}" title="${payload}">${svg}</div>`;
}
