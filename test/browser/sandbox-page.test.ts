/**
 * The sandbox's web page in real headless Chromium: orders of both providers with their QR codes, the
 * buttons, the delivery log with the merchant's answers, the customer checkout page, and escaping.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JwtGatewayClient, verifyJwtGatewayCallback } from '../../src/jwt-gateway';
import { renderQrSvg } from '../../src/qr';
import { createSandbox, type Sandbox } from '../../src/testing';
import { PAGE_QR_OPTIONS } from '../../src/testing/page/qr-image';
import { ThbCollectClient, verifyThbNotification } from '../../src/thb-collect';
import { SANDBOX_KEYS } from '../sandbox-keys';
import { depositParams, jwtPost, uniqueId } from '../testing/helpers';
import { launchChromium } from './chromium';

const SCREENSHOTS = join(process.cwd(), '.tmp', 'browser');
const JWT_ACK = '{"code":200,"message":"Success"}';

interface Receiver {
  url: string;
  bodies: { path: string; contentType: string; body: string }[];
  close(): Promise<void>;
}

/** A merchant's callback endpoint: `/jwt` acknowledges like a gateway merchant, `/thb` with `SUCCESS`. */
async function startReceiver(): Promise<Receiver> {
  const bodies: Receiver['bodies'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      bodies.push({
        path,
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks).toString(),
      });
      if (path === '/jwt') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JWT_ACK);
      } else if (path === '/thb') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('SUCCESS');
      } else {
        res.writeHead(404).end('no such path');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

let sandbox: Sandbox;
let receiver: Receiver;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let jwt: JwtGatewayClient;
let thb: ThbCollectClient;
/** Everything the page logged as an error: script errors, CSP refusals, failed loads. */
const pageProblems: string[] = [];

function card(orderNo: string): Locator {
  return page.locator(`[data-testid="order"][data-order-no="${orderNo}"]`);
}

async function createDeposit(amount = 1000) {
  return jwt.createDeposit({
    transactionId: uniqueId('TX'),
    bankAccountNumber: '1234567890',
    bankName: 'KBANK',
    name: 'Somchai Jaidee',
    amount,
    callbackUrl: `${receiver.url}/jwt`,
    type: 'QR',
  });
}

async function createCollection(amount = '300.00') {
  return thb.createCollection({
    orderId: uniqueId('M'),
    amount,
    payType: 'QR',
    name: 'Malee Sukjai',
    phone: '0812345678',
    email: 'malee@example.com',
    callBackUrl: 'https://shop.example/thanks',
    callBackFailUrl: 'https://shop.example/sorry',
    notifyUrl: `${receiver.url}/thb`,
    subject: 'Order',
    partnerUserId: 'user-42',
  });
}

/** Wait until the card shows `status` (the provider's raw value), then answer the label it shows. */
async function waitForStatus(orderNo: string, status: string): Promise<string> {
  const badge = card(orderNo).locator(`[data-testid="order-status"][data-status="${status}"]`);
  await badge.waitFor({ timeout: 10_000 });
  return (await badge.getAttribute('data-label')) ?? '';
}

/** Wait for an acknowledged HTTP 200 attempt in the card's delivery log and answer its row. */
async function acknowledgedAttempt(orderNo: string): Promise<Locator> {
  const row = card(orderNo).locator(
    '[data-testid="delivery-attempt"][data-acknowledged="true"][data-http-status="200"]',
  );
  await row.first().waitFor({ timeout: 10_000 });
  return row.first();
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  receiver = await startReceiver();
  sandbox = await createSandbox({ retryIntervalsMs: [50, 100, 200], thbCollect: SANDBOX_KEYS });
  jwt = new JwtGatewayClient(sandbox.jwtGateway);
  thb = new ThbCollectClient({
    baseUrl: sandbox.thbCollect.baseUrl,
    appId: sandbox.thbCollect.appId,
    secretKey: sandbox.thbCollect.secretKey,
    privateKey: sandbox.thbCollect.merchantPrivateKey!,
    platformPublicKey: sandbox.thbCollect.platformPublicKey,
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  page = await context.newPage();
  page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageProblems.push(`console: ${message.text()}`);
  });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await sandbox?.close();
  await receiver?.close();
});

describe('sandbox dashboard in Chromium', () => {
  let depositNo: string;
  let depositPayload: string;
  let collectionNo: string;
  let collectionPayload: string;

  it('lists the orders of both providers with their QR codes as inline SVG', async () => {
    const deposit = await createDeposit(1000);
    const collection = await createCollection('300.00');
    depositNo = deposit.orderNo;
    depositPayload = deposit.qrcode!;
    collectionNo = collection.orderNo;
    collectionPayload = collection.qrCode!;

    await page.goto(sandbox.url);
    await expect(page.title()).resolves.toBe('thaipay sandbox');

    const depositCard = card(depositNo);
    await depositCard.waitFor();
    expect(await depositCard.getAttribute('data-provider')).toBe('jwt-gateway');
    expect(await depositCard.locator('[data-testid="order-kind"]').textContent()).toBe('deposit');
    expect(await depositCard.locator('[data-testid="order-merchant-id"]').textContent()).toBe(
      deposit.orderId,
    );
    expect(await depositCard.locator('[data-testid="order-amount"]').textContent()).toBe('฿1,000.00');
    expect(await waitForStatus(depositNo, 'pending')).toBe('pending');
    expect(await depositCard.locator('[data-testid="order-created"]').textContent()).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
    );

    const collectionCard = card(collectionNo);
    expect(await collectionCard.getAttribute('data-provider')).toBe('thb-collect');
    expect(await collectionCard.locator('[data-testid="order-kind"]').textContent()).toBe('collection');
    expect(await collectionCard.locator('[data-testid="order-amount"]').textContent()).toBe('฿300.00');
    expect(await waitForStatus(collectionNo, '1')).toBe('collecting');
    const buttons = (where: Locator) =>
      where.locator('button[data-action]').evaluateAll((all) => all.map((b) => b.firstChild?.textContent));
    expect(await buttons(collectionCard)).toEqual([
      'Pay',
      'Pay partial',
      'Overpay',
      'Fail',
      'Expire',
      'Exception',
      'Resend',
    ]);
    expect(await buttons(depositCard)).toEqual(['Pay', 'Fail', 'Expire', 'Resend']);

    // The drawn QR is the order's own payload: same modules as renderQrSvg draws for it.
    for (const [orderNo, payload] of [
      [depositNo, depositPayload],
      [collectionNo, collectionPayload],
    ] as const) {
      const svg = card(orderNo).locator('[data-testid="order-qr"] svg');
      expect(await svg.count()).toBe(1);
      const box = await svg.boundingBox();
      expect(box!.width).toBeGreaterThan(120);
      const expected = /<path fill="#000" d="([^"]+)"/.exec(renderQrSvg(payload, PAGE_QR_OPTIONS))![1];
      expect(await svg.locator('path').getAttribute('d')).toBe(expected);
    }

    // The credentials strip is filled from /_sandbox/state.
    await expect
      .poll(() => page.locator('[data-fact="jwt-base-url"]').textContent())
      .toBe(sandbox.jwtGateway.baseUrl);
    expect(await page.locator('[data-fact="thb-app-id"]').textContent()).toBe(sandbox.thbCollect.appId);
  });

  it('"Pay" completes the deposit and shows the callback acknowledged with HTTP 200', async () => {
    await card(depositNo).locator('[data-testid="action-pay"]').click();

    expect(await waitForStatus(depositNo, 'completed')).toBe('completed');
    const row = await acknowledgedAttempt(depositNo);
    expect(await row.locator('[data-testid="attempt-http-status"]').textContent()).toBe('HTTP 200');
    expect(await row.textContent()).toContain(JWT_ACK);
    expect(await row.locator('[data-testid="attempt-ack"]').textContent()).toContain('acknowledged');
    await expect
      .poll(() => card(depositNo).locator('[data-testid="delivery-state"]').first().textContent())
      .toBe('acknowledged');
    // A final order has no buttons to change it any more.
    expect(await card(depositNo).locator('[data-testid="action-pay"]').count()).toBe(0);

    expect(sandbox.getOrder(depositNo)!.status).toBe('completed');
    const received = receiver.bodies.filter((entry) => entry.path === '/jwt');
    expect(received).toHaveLength(1);
    const callback = await verifyJwtGatewayCallback(received[0]!.body, { apiKey: sandbox.jwtGateway.apiKey });
    expect(callback).toMatchObject({ orderNo: depositNo, status: 'succeeded' });
  });

  it('"Pay" on the THB collection makes it paid (2) with the notification answered SUCCESS', async () => {
    await card(collectionNo).locator('[data-testid="action-pay"]').click();

    expect(await waitForStatus(collectionNo, '2')).toBe('paid');
    const row = await acknowledgedAttempt(collectionNo);
    expect(await row.locator('[data-testid="attempt-http-status"]').textContent()).toBe('HTTP 200');
    expect(await row.locator('td.answer').textContent()).toBe('SUCCESS');

    expect(sandbox.getOrder(collectionNo)!.status).toBe(2);
    const received = receiver.bodies.filter((entry) => entry.path === '/thb');
    expect(received).toHaveLength(1);
    const notification = await verifyThbNotification(received[0]!.body, {
      secretKey: sandbox.thbCollect.secretKey,
      platformPublicKey: sandbox.thbCollect.platformPublicKey,
      contentType: received[0]!.contentType,
    });
    expect(notification).toMatchObject({ orderNo: collectionNo, status: 'succeeded' });
  });

  it('"Pay partial" and "Expire" send the amount and the change through the control endpoints', async () => {
    const partial = await createCollection('300.00');
    const expiring = await createDeposit(250);
    await page.locator('[data-testid="refresh"]').click();

    const partialButton = card(partial.orderNo).locator('[data-testid="action-pay-partial"]');
    expect(await partialButton.getAttribute('data-amount')).toBe('150.00');
    await partialButton.click();
    expect(await waitForStatus(partial.orderNo, '4')).toBe('partially paid');
    expect(sandbox.getOrder(partial.orderNo)!.paidAmountSatang).toBe(15_000);
    await acknowledgedAttempt(partial.orderNo);

    await card(expiring.orderNo).locator('[data-testid="action-expire"]').click();
    expect(await waitForStatus(expiring.orderNo, 'expired')).toBe('expired');
    await acknowledgedAttempt(expiring.orderNo);
  });

  it('shows a refused action as a message instead of failing silently', async () => {
    const collection = await createCollection('120.00');
    await page.locator('[data-testid="refresh"]').click();
    await card(collection.orderNo).waitFor();
    // The order fails while the page's "Pay" is on its way: the sandbox refuses it (409).
    const payPath = `**/_sandbox/orders/${collection.orderNo}/pay`;
    await page.route(payPath, async (route) => {
      sandbox.fail(collection.orderNo, 'Bank declined');
      await route.continue();
    });
    await card(collection.orderNo).locator('[data-testid="action-pay"]').click();
    await page.locator('.toast.error').filter({ hasText: 'final' }).waitFor({ timeout: 10_000 });
    expect(await waitForStatus(collection.orderNo, '3')).toBe('failed');
    await page.unroute(payPath);
    expect(await card(collection.orderNo).locator('[data-testid="order-error"]').textContent()).toBe(
      'Bank declined',
    );
    // Chromium logs the refused POST (HTTP 409) as a failed load; that one is expected.
    const others = pageProblems.filter((problem) => !problem.includes('status of 409'));
    pageProblems.splice(0, pageProblems.length, ...others);
  });

  it('"Complete" and "Fail" settle a THB payout and a JWT gateway withdrawal', async () => {
    const payout = await thb.createPayout({
      orderId: uniqueId('P'),
      amount: '500.00',
      accountType: 'BANK_ACCOUNT',
      bankCode: 'KBANK',
      accountNo: '1234567890',
      name: 'Malee Sukjai',
      phone: '0812345678',
      email: 'malee@example.com',
      notifyUrl: `${receiver.url}/thb`,
      partnerUserId: 'user-42',
    });
    const withdrawal = await jwt.createWithdrawal({
      agentOrderNo: uniqueId('WO'),
      amount: 700,
      bankCode: 'SCB',
      accountNo: '1234567890',
      accountName: 'Somchai Jaidee',
      callbackUrl: `${receiver.url}/jwt`,
    });
    await page.locator('[data-testid="refresh"]').click();
    await card(payout.orderNo).waitFor();
    await card(withdrawal.orderNo).waitFor();

    const payoutButtons = card(payout.orderNo).locator('button[data-action]');
    expect(await payoutButtons.evaluateAll((all) => all.map((b) => b.textContent))).toEqual([
      'Start processing',
      'Complete',
      'Fail',
      'Exception',
      'Resend',
    ]);
    expect(await waitForStatus(payout.orderNo, '0')).toBe('pending');
    await card(payout.orderNo).locator('[data-testid="action-complete"]').click();
    expect(await waitForStatus(payout.orderNo, '2')).toBe('succeeded');
    await acknowledgedAttempt(payout.orderNo);

    await card(withdrawal.orderNo).locator('[data-testid="action-fail"]').click();
    expect(await waitForStatus(withdrawal.orderNo, 'failed')).toBe('failed');
    expect(await card(withdrawal.orderNo).locator('[data-testid="order-error"]').textContent()).toBe(
      'Payout failed',
    );
    await acknowledgedAttempt(withdrawal.orderNo);
  });

  it('renders merchant-supplied values as text, never as markup', async () => {
    const name = '<script>window.__pwned = 1</script><b>Bold</b>';
    const transactionId = `<img src=x onerror="window.__pwned=2">${uniqueId('X')}`;
    const { body } = await jwtPost(
      sandbox,
      '/deposit',
      depositParams(sandbox, { name, transactionId, callbackUrl: `${receiver.url}/jwt` }),
    );
    expect(body.status).toBe('success');
    const orderNo: string = body.data.referenceId;

    await page.reload();
    const evil = card(orderNo);
    await evil.waitFor();
    expect(await evil.locator('[data-testid="order-customer"]').textContent()).toBe(name);
    expect(await evil.locator('[data-testid="order-merchant-id"]').textContent()).toBe(transactionId);
    expect(await evil.locator('[data-testid="order-customer"] b').count()).toBe(0);

    // Through a poll swap and the client-rendered delivery log (the callback body repeats the id).
    await evil.locator('[data-testid="action-pay"]').click();
    await acknowledgedAttempt(orderNo);
    expect(await evil.locator('details.body pre').first().textContent()).toContain('<img src=x');
    expect(await page.locator('#orders img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  });

  it('looks like a dashboard (screenshot in .tmp/browser/sandbox.png) and logs no errors', async () => {
    // Open orders too, so the picture shows their buttons.
    const open = [await createDeposit(1500), await createCollection('820.00')];
    await page.reload();
    await acknowledgedAttempt(depositNo);
    for (const order of open) await card(order.orderNo).locator('[data-testid="action-pay"]').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'sandbox.png'), fullPage: true });
    expect(pageProblems).toEqual([]);
  });
});

describe('customer checkout page in Chromium', () => {
  it('shows the amount and the QR of a THB collection and pays it with "Pay"', async () => {
    const collection = await createCollection('455.50');
    const checkout = await context.newPage();
    const problems: string[] = [];
    checkout.on('pageerror', (error) => problems.push(error.message));
    checkout.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    await checkout.goto(collection.payUrl!);
    expect(await checkout.locator('[data-testid="checkout-amount"]').textContent()).toBe('฿455.50');
    expect(await checkout.locator('[data-testid="checkout-order-no"]').textContent()).toBe(
      collection.orderNo,
    );
    expect(await checkout.locator('[data-testid="checkout-qr"] svg').count()).toBe(1);
    expect(await checkout.locator('.checkout-target').textContent()).toContain('PromptPay 089-876-5432');
    expect(await checkout.locator('[data-testid="checkout-pay"]').textContent()).toBe('Pay ฿455.50');
    await checkout.setViewportSize({ width: 480, height: 820 });
    await checkout.screenshot({ path: join(SCREENSHOTS, 'checkout.png'), fullPage: true });

    await checkout.locator('[data-testid="checkout-pay"]').click();
    await checkout.locator('[data-testid="checkout-result"]').waitFor({ timeout: 10_000 });
    expect(await checkout.locator('[data-testid="checkout-result"]').textContent()).toBe(
      '✓ Payment received',
    );
    expect(await checkout.locator('[data-testid="checkout-status"]').getAttribute('data-status')).toBe('2');
    expect(await checkout.locator('[data-testid="checkout-back"]').getAttribute('href')).toBe(
      'https://shop.example/thanks',
    );
    expect(await checkout.locator('[data-testid="checkout-pay"]').count()).toBe(0);
    await checkout.screenshot({ path: join(SCREENSHOTS, 'checkout-paid.png'), fullPage: true });

    expect(sandbox.getOrder(collection.orderNo)!.status).toBe(2);
    await sandbox.deliveriesSettled();
    expect(sandbox.deliveries(collection.orderNo).map((delivery) => delivery.state)).toEqual([
      'acknowledged',
    ]);
    expect(problems).toEqual([]);
    await checkout.close();
  });

  it('follows the order: paid from the dashboard, the open checkout shows it', async () => {
    const collection = await createCollection('99.00');
    const checkout = await context.newPage();
    await checkout.goto(collection.payUrl!);
    await checkout.locator('[data-testid="checkout-pay"]').waitFor();
    sandbox.pay(collection.orderNo, { amount: '120.00' });
    await checkout.locator('[data-testid="checkout-result"]').waitFor({ timeout: 10_000 });
    expect(await checkout.locator('[data-testid="checkout-result"]').textContent()).toBe(
      'Overpaid: ฿120.00 received for ฿99.00',
    );
    await checkout.close();
  });
});

describe('another web site cannot drive the sandbox (issue 12, finding 8)', () => {
  /** A page on another origin that tries every way a browser lets a site reach the sandbox. */
  function attackerPage(target: string): string {
    return `<!doctype html><title>evil</title><body>
<form id="f" method="post" action="${target}" enctype="text/plain" target="sink"><input name='{"amount":"1","x":"' value='"}'></form>
<iframe name="sink"></iframe>
<script>
window.results = (async () => {
  const out = {};
  try {
    await fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', body: '{}' });
    out.noCors = 'sent';
  } catch (error) { out.noCors = 'blocked'; }
  try {
    const response = await fetch(${JSON.stringify(target)}, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-thaipay-sandbox-token': 'guess' },
      body: '{}',
    });
    out.cors = 'answered ' + response.status;
  } catch (error) { out.cors = 'blocked'; }
  document.getElementById('f').submit();
  await new Promise((resolve) => setTimeout(resolve, 500));
  return out;
})();
</script></body>`;
  }

  it('a cross-site fetch (no-cors text/plain, CORS JSON) and a form post leave the order unpaid', async () => {
    const collection = await createCollection('75.00');
    const target = `${sandbox.url}/_sandbox/orders/${collection.orderNo}/pay`;
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(attackerPage(target));
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const attacker = await context.newPage();
    try {
      await attacker.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const results = await attacker.evaluate(
        () => (window as unknown as { results: Promise<unknown> }).results,
      );
      // The no-cors request leaves (and is refused by the sandbox); the JSON one dies at the preflight.
      expect(results).toEqual({ noCors: 'sent', cors: 'blocked' });
      await attacker.waitForTimeout(300);
      expect(sandbox.getOrder(collection.orderNo)!.status).toBe(1);
      expect(sandbox.deliveries(collection.orderNo)).toEqual([]);
    } finally {
      await attacker.close();
      await new Promise((resolve) => evil.close(resolve));
    }
  });

  it('a DNS-rebinding name pointing at 127.0.0.1 gets 403 and never the page or its token', async () => {
    const port = new URL(sandbox.url).port;
    const rebinding = await launchChromium({ args: ['--host-resolver-rules=MAP rebind.test 127.0.0.1'] });
    try {
      const victim = await rebinding.newPage();
      const response = await victim.goto(`http://rebind.test:${port}/`);
      expect(response?.status()).toBe(403);
      expect(await victim.content()).not.toContain(sandbox.controlToken);
      const control = await victim.evaluate(async () => {
        const answer = await fetch('/_sandbox/faults', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"route":"jwt:deposit","fault":"lost-response"}',
        });
        return answer.status;
      });
      expect(control).toBe(403);
      expect(sandbox.faults()).toEqual([]);
    } finally {
      await rebinding.close();
    }
  });
});
