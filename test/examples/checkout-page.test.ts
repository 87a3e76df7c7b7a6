/**
 * The checkout page example: a real deposit and collection from the sandbox rendered as a page with
 * the QR as SVG, and a QR for any other amount refused before a page exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayCheckout, renderCheckoutPage } from '../../examples/checkout-page';
import { InvalidRequestError } from '../../src/core/errors';
import { parsePromptPayPayload } from '../../src/qr';
import type { Sandbox } from '../../src/testing';
import { collectionInput, gatewayClient, startSandbox, thbClient, uniqueId } from './helpers';

describe('checkout page example', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('renders a gateway deposit: the QR as SVG, the amount, the order', async () => {
    const orderId = uniqueId('order');
    const html = await gatewayCheckout(gatewayClient(sandbox), {
      orderId,
      amountSatang: 1_234_550,
      customer: { name: 'Somchai Jaidee', bankName: 'KBANK', bankAccountNumber: '1234567890' },
      callbackUrl: 'http://127.0.0.1:9/callbacks/gateway',
    });
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toMatch(/<svg [^>]*viewBox="0 0 \d+ \d+"[^>]*>.*<path fill="#000" d="M/s);
    expect(html).toContain('<p class="amount">12,345.50 THB</p>');
    expect(html).toContain(`order ${orderId}`);
    expect(html).toContain('<time datetime="');
    // The deposit the page shows is the one the gateway made, for the same amount.
    expect(sandbox.getOrder(orderId)?.amountSatang).toBe(1_234_550);
  });

  it('renders a THB collection QR, escaping what comes from outside', async () => {
    const collection = await thbClient(sandbox).createCollection(
      collectionInput('http://127.0.0.1:9/callbacks/thb', { amount: '300.00' }),
    );
    const html = renderCheckoutPage({
      orderId: collection.orderId,
      amountSatang: 30_000,
      qrPayload: collection.qrCode!,
      description: '<script>alert(1)</script> & Co',
    });
    expect(html).toContain('<svg');
    expect(html).toContain('300.00 THB');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
  });

  it('refuses a QR that asks for another amount, before any page exists', async () => {
    const collection = await thbClient(sandbox).createCollection(
      collectionInput('http://127.0.0.1:9/callbacks/thb', { amount: '300.00' }),
    );
    expect(parsePromptPayPayload(collection.qrCode!).amountSatang).toBe(30_000);
    const render = () =>
      renderCheckoutPage({
        orderId: collection.orderId,
        amountSatang: 3_000,
        qrPayload: collection.qrCode!,
        description: 'Siam Coffee',
      });
    expect(render).toThrow(InvalidRequestError);
    expect(render).toThrow(/asks for 300\.00 THB, expected 30\.00 THB/);
  });
});
