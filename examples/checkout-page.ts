/**
 * A checkout page: the PromptPay QR of a deposit (JWT gateway) or collection (THB collect), drawn as
 * SVG, after checking that it asks for exactly the order's amount.
 *
 * Why the check: the payload comes from the provider's answer. A mix-up between orders, a bug in an
 * amount conversion or a tampered answer would otherwise show the customer a QR for the wrong amount,
 * and the banking app would pay it. `assertQrAmount` reads the payload (CRC, currency, amount) and
 * throws before the page is built.
 */
import { formatBaht } from 'thaipay';
import type { JwtGatewayClient } from 'thaipay/jwt-gateway';
import { assertQrAmount, renderQrSvg } from 'thaipay/qr';

/** What the page shows. */
export interface CheckoutOrder {
  /** Your order id, shown to the customer. */
  orderId: string;
  /** The order's amount in satang (your database's integer). */
  amountSatang: number;
  /** The PromptPay payload from the provider (`deposit.qrcode` or `collection.qrCode`). */
  qrPayload: string;
  /** Shown under the amount, for example the shop's name. */
  description: string;
  /** When the QR stops working, if the provider says (`deposit.expireDate`). */
  expiresAt?: Date;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Everything from outside goes into the page escaped. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** `1234550` → `12,345.50`; display only, the amount stays in satang. */
function displayBaht(satang: number): string {
  const [whole = '0', fraction = '00'] = formatBaht(satang).split('.');
  return `${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${fraction}`;
}

/**
 * The checkout page as HTML.
 *
 * @throws InvalidRequestError when the QR does not ask for exactly `amountSatang` THB (or is damaged).
 * @example
 * ```ts
 * const html = renderCheckoutPage({ orderId: 'order-1001', amountSatang: 25000,
 *   qrPayload: deposit.qrcode!, description: 'Siam Coffee', expiresAt: deposit.expireDate });
 * ```
 */
export function renderCheckoutPage(order: CheckoutOrder): string {
  assertQrAmount(order.qrPayload, { satang: order.amountSatang });
  // renderQrSvg builds the SVG from the QR matrix only: nothing of the payload lands in the markup.
  const qr = renderQrSvg(order.qrPayload, { size: 280, ecc: 'M' });
  const amount = displayBaht(order.amountSatang);
  const expires = order.expiresAt
    ? `<p class="expires">Pay before <time datetime="${order.expiresAt.toISOString()}">${escapeHtml(
        order.expiresAt.toLocaleString('en-GB', { timeZone: 'Asia/Bangkok' }),
      )}</time> (Thailand time)</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Pay ${amount} THB</title>
<style>
  body { font-family: system-ui, sans-serif; display: grid; place-items: center; min-height: 100vh; margin: 0; }
  main { text-align: center; padding: 2rem; }
  .amount { font-size: 2rem; font-weight: 600; margin: 0.5rem 0; }
  .qr svg { width: 280px; height: 280px; }
</style>
</head>
<body>
<main>
  <h1>Scan to pay with PromptPay</h1>
  <p class="amount">${amount} THB</p>
  <p>${escapeHtml(order.description)} · order ${escapeHtml(order.orderId)}</p>
  <div class="qr">${qr}</div>
  ${expires}
  <p>Open your banking app, scan the code and confirm the amount. This page updates when we receive it.</p>
</main>
</body>
</html>
`;
}

/**
 * Create a JWT gateway deposit for an order and return its checkout page.
 *
 * @example
 * ```ts
 * const html = await gatewayCheckout(gateway, {
 *   orderId: 'order-1001',
 *   amountSatang: 25000,
 *   customer: { name: 'Somchai Jaidee', bankName: 'KBANK', bankAccountNumber: '1234567890' },
 *   callbackUrl: 'https://shop.example/callbacks/gateway',
 * });
 * ```
 */
export async function gatewayCheckout(
  gateway: JwtGatewayClient,
  order: {
    orderId: string;
    amountSatang: number;
    /** The paying customer, as the gateway's deposit asks for them. */
    customer: { name: string; bankName: string; bankAccountNumber: string };
    callbackUrl: string;
  },
): Promise<string> {
  const deposit = await gateway.createDeposit({
    transactionId: order.orderId,
    bankAccountNumber: order.customer.bankAccountNumber,
    bankName: order.customer.bankName,
    name: order.customer.name,
    // The amount leaves as an exact "250.00" string, never a float computed from satang.
    amount: formatBaht(order.amountSatang),
    callbackUrl: order.callbackUrl,
    type: 'QR',
  });
  if (!deposit.qrcode) throw new Error(`deposit ${deposit.orderNo} came back without a QR payload`);
  return renderCheckoutPage({
    orderId: order.orderId,
    amountSatang: order.amountSatang,
    qrPayload: deposit.qrcode,
    description: 'Siam Coffee',
    ...(deposit.expireDate ? { expiresAt: deposit.expireDate } : {}),
  });
}
