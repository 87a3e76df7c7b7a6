/**
 * The sandbox pages without a browser: escaping, the Content-Security-Policy, the checkout routes and
 * the rules that pick labels and buttons. test/browser/sandbox-page.test.ts drives them in Chromium.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox, type SandboxOrder } from '../../src/testing';
import { checkoutPage } from '../../src/testing/page/checkout';
import { renderDocument } from '../../src/testing/page/document';
import { escapeHtml, html, trustedHtml } from '../../src/testing/page/html';
import { displayBaht, orderActions, requestUrl, statusView } from '../../src/testing/page/order-view';
import { SANDBOX_KEYS } from '../sandbox-keys';
import { collectionParams, depositParams, jwtPost, payoutParams, thbPost, uniqueId } from './helpers';

describe('html', () => {
  it('escapes every interpolated value and keeps nested markup', () => {
    const name = `<script>alert("x")</script>&'`;
    const row = html`<td title="${name}">${name}</td>`;
    expect(row.markup).toBe(
      '<td title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</td>',
    );
    expect(html`<tr>${[row, html`<td>${2}</td>`]}</tr>`.markup).toBe(`<tr>${row.markup}<td>2</td></tr>`);
    expect(html`${null}${undefined}${false}|${0}`.markup).toBe('|0');
    expect(html`${trustedHtml('<svg></svg>')}`.markup).toBe('<svg></svg>');
    expect(escapeHtml('a&b')).toBe('a&amp;b');
  });
});

describe('order labels and buttons', () => {
  function order(overrides: Partial<SandboxOrder>): SandboxOrder {
    return {
      provider: 'thb-collect',
      kind: 'collection',
      orderNo: '6240301235959001',
      merchantOrderId: 'M1',
      status: 1,
      amount: '300.00',
      amountSatang: 30_000,
      feeSatang: 0,
      actualAmountSatang: 0,
      paidAmountSatang: null,
      notifyUrl: 'http://127.0.0.1:9/n',
      createdAt: '2024-03-01T16:59:59.000Z',
      updatedAt: '2024-03-01T16:59:59.000Z',
      completedAt: null,
      payTime: null,
      errorMsg: null,
      hash: null,
      qrCode: null,
      payUrl: null,
      history: [],
      request: {},
      ...overrides,
    };
  }

  it('offers partial and over payment of fixed amounts on an open THB collection', () => {
    const actions = orderActions(order({}));
    expect(actions.map((a) => [a.action, a.label, a.amountSatang])).toEqual([
      ['pay', 'Pay', undefined],
      ['pay', 'Pay partial', 15_000],
      ['pay', 'Overpay', 33_000],
      ['fail', 'Fail', undefined],
      ['expire', 'Expire', undefined],
      ['exception', 'Exception', undefined],
      ['resend', 'Resend', undefined],
    ]);
  });

  it('offers Complete and Fail on payouts and withdrawals, nothing but Resend once final', () => {
    expect(orderActions(order({ kind: 'payout', status: 0 })).map((a) => a.action)).toEqual([
      'process',
      'complete',
      'fail',
      'exception',
      'resend',
    ]);
    const withdrawal = order({ provider: 'jwt-gateway', kind: 'withdrawal', status: 'pending' });
    expect(orderActions(withdrawal).map((a) => a.action)).toEqual(['complete', 'fail', 'resend']);
    expect(orderActions(order({ status: 2 })).map((a) => a.action)).toEqual(['resend']);
    expect(orderActions(order({ status: 2, notifyUrl: null }))).toEqual([]);
  });

  it('names statuses in words next to the raw value', () => {
    expect(statusView(order({ status: 2 }))).toEqual({
      label: 'paid',
      tone: 'success',
      raw: '2',
      final: true,
    });
    expect(statusView(order({ kind: 'payout', status: 2 })).label).toBe('succeeded');
    expect(statusView(order({ status: 4 })).label).toBe('partially paid');
    expect(statusView(order({ status: 3, errorMsg: 'Order expired' })).label).toBe('expired');
    expect(statusView(order({ status: 3, errorMsg: 'Bank declined' })).label).toBe('failed');
    expect(statusView(order({ provider: 'jwt-gateway', kind: 'deposit', status: 'completed' })).label).toBe(
      'completed',
    );
    expect(displayBaht(123_456_789)).toBe('฿1,234,567.89');
  });

  it('never turns a javascript: URL from a merchant into a link', () => {
    const paid = order({
      status: 2,
      request: { callBackUrl: 'javascript:alert(1)', callBackFailUrl: 'https://shop.example/fail' },
    });
    expect(requestUrl(paid, 'callBackUrl')).toBeUndefined();
    expect(requestUrl(paid, 'callBackFailUrl')).toBe('https://shop.example/fail');
    const page = renderDocument(checkoutPage(paid));
    expect(page).toContain('Payment received');
    expect(page).not.toContain('javascript:');
    expect(page).not.toContain('data-testid="checkout-back"');
  });
});

describe('pages served by the sandbox', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await createSandbox({ retryIntervalsMs: [], thbCollect: SANDBOX_KEYS });
  });
  afterAll(() => sandbox.close());

  function sha256(text: string): string {
    return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
  }

  it('serves the dashboard with merchant values escaped and a CSP naming its own script and style', async () => {
    const name = '<script>alert(1)</script>';
    const transactionId = `"><img src=x onerror=alert(1)>${uniqueId()}`;
    const created = await jwtPost(sandbox, '/deposit', depositParams(sandbox, { name, transactionId }));
    expect(created.body.status).toBe('success');

    const response = await fetch(`${sandbox.url}/`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain(escapeHtml(name));
    expect(page).toContain(escapeHtml(transactionId));
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img');
    expect(page).toContain(created.body.data.referenceId);
    expect(page).toContain('<svg'); // its QR code

    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(csp).toContain(`script-src ${sha256(scripts[0]!)}`);
    expect(csp).toContain(`style-src ${sha256(styles[0]!)}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('serves the checkout of a collection at its payUrl, and 404 when there is nothing to pay', async () => {
    const collection = await thbPost(sandbox, '/thb/collect/apply', collectionParams(sandbox));
    const { payUrl, orderNo } = collection.body.data;
    const checkout = await fetch(payUrl);
    expect(checkout.status).toBe(200);
    const page = await checkout.text();
    expect(page).toContain('฿300.00');
    expect(page).toContain('data-testid="checkout-qr"');
    expect(page).toContain('data-testid="checkout-pay"');
    expect(page).toContain(orderNo);

    const payout = await thbPost(sandbox, '/thb/pay/apply', payoutParams(sandbox));
    const forPayout = await fetch(`${sandbox.url}/pay/${payout.body.data.orderNo}`);
    expect(forPayout.status).toBe(404);
    expect(await forPayout.text()).toContain('is a payout: there is nothing to pay');

    const unknown = await fetch(`${sandbox.url}/pay/${encodeURIComponent('<nope>')}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('&lt;nope&gt;');
    expect((await fetch(`${sandbox.url}/pay/%E0%A4%A`)).status).toBe(404);
  });

  it('carries the control token in a <meta> of every page, escaped, and never in the JSON controls', async () => {
    const meta = `<meta name="thaipay-sandbox-token" content="${sandbox.controlToken}">`;
    expect(await (await fetch(`${sandbox.url}/`)).text()).toContain(meta);
    const collection = await thbPost(sandbox, '/thb/collect/apply', collectionParams(sandbox));
    expect(await (await fetch(collection.body.data.payUrl)).text()).toContain(meta);
    expect(await (await fetch(`${sandbox.url}/pay/nope`)).text()).toContain(meta);
    for (const path of ['', '/state', '/orders', '/deliveries', '/requests', '/faults']) {
      expect(await (await fetch(`${sandbox.url}/_sandbox${path}`)).text()).not.toContain(
        sandbox.controlToken,
      );
    }
    const page = renderDocument({ title: 't', body: html`x`, controlToken: '"><script>x</script>' });
    expect(page).toContain(
      '<meta name="thaipay-sandbox-token" content="&quot;&gt;&lt;script&gt;x&lt;/script&gt;">',
    );
  });

  it('answers 409 for a merchant id that names several orders', async () => {
    const shared = uniqueId('S');
    await jwtPost(sandbox, '/deposit', depositParams(sandbox, { transactionId: shared }));
    await thbPost(sandbox, '/thb/collect/apply', collectionParams(sandbox, { orderId: shared }));
    const response = await fetch(`${sandbox.url}/pay/${shared}`);
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('use the order number');
  });
});
