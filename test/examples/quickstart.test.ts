/**
 * The two quick starts, run against the sandbox with the environment variables they document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainGatewayError, jwtGatewayQuickstart } from '../../examples/jwt-gateway-quickstart';
import { explainThbError, thbCollectQuickstart } from '../../examples/thb-collect-quickstart';
import { InvalidRequestError, OrderStatusUnknownError } from '../../src/core/errors';
import { parsePromptPayPayload } from '../../src/qr';
import type { Sandbox } from '../../src/testing';
import { startSandbox, uniqueId } from './helpers';

describe('quick starts', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('JWT gateway: deposit with a QR, its status, a withdrawal, the balance', async () => {
    const orderId = uniqueId('order');
    const env = {
      GATEWAY_BASE_URL: sandbox.jwtGateway.baseUrl,
      GATEWAY_MERCHANT_ID: sandbox.jwtGateway.merchantId,
      GATEWAY_API_KEY: sandbox.jwtGateway.apiKey,
      PUBLIC_URL: 'https://shop.example',
    };
    const { deposit, order, withdrawal, balance } = await jwtGatewayQuickstart(env, orderId);
    expect(deposit).toMatchObject({ orderId, status: 'pending', amountSatang: 25_000 });
    expect(parsePromptPayPayload(deposit.qrcode!).amountSatang).toBe(25_000);
    expect(order).toMatchObject({ orderId, status: 'pending', providerStatus: 'pending' });
    expect(withdrawal).toMatchObject({ orderId: `${orderId}-refund`, status: 'pending' });
    expect(balance).toMatchObject({ balance: sandbox.balance(), currency: 'THB' });
    expect(sandbox.getOrder(orderId)?.notifyUrl).toBe('https://shop.example/callbacks/gateway');
  });

  it('THB collect: collection with a QR, its status, a payout and its status', async () => {
    const orderId = uniqueId('M');
    const env = {
      THB_BASE_URL: sandbox.thbCollect.baseUrl,
      THB_APP_ID: sandbox.thbCollect.appId,
      THB_SECRET_KEY: sandbox.thbCollect.secretKey,
      THB_PRIVATE_KEY: sandbox.thbCollect.merchantPrivateKeyPem,
      THB_PLATFORM_PUBLIC_KEY: sandbox.thbCollect.platformPublicKey,
      PUBLIC_URL: 'https://shop.example',
    };
    const { collection, order, payout, payoutOrder } = await thbCollectQuickstart(env, orderId);
    expect(collection.orderId).toBe(orderId);
    expect(parsePromptPayPayload(collection.qrCode!).amountSatang).toBe(30_000);
    expect(order).toMatchObject({ orderId, orderNo: collection.orderNo, amountSatang: 30_000 });
    expect(['pending', 'processing']).toContain(order.status);
    expect(payout.orderId).toBe(`${orderId}P`);
    expect(payoutOrder).toMatchObject({ orderId: `${orderId}P`, status: 'pending', amountSatang: 120_000 });
    expect(sandbox.getOrder(orderId)?.notifyUrl).toBe('https://shop.example/callbacks/thb-collection');
    expect(sandbox.getOrder(`${orderId}P`)?.notifyUrl).toBe('https://shop.example/callbacks/thb-payout');
  });

  it('names the missing variable', async () => {
    await expect(jwtGatewayQuickstart({})).rejects.toThrow('Set GATEWAY_BASE_URL');
    await expect(thbCollectQuickstart({})).rejects.toThrow('Set THB_APP_ID');
  });

  it('explains the errors worth telling apart', () => {
    const invalid = InvalidRequestError.field('amount', 'must have at most 2 decimals');
    expect(explainGatewayError(invalid)).toBe('fix the input: amount must have at most 2 decimals');
    const unknown = new OrderStatusUnknownError('lost', { orderId: 'order-7' });
    expect(explainGatewayError(unknown)).toBe('outcome unknown for order-7: query it later by this id');
    expect(explainThbError(unknown)).toBe('outcome unknown for order-7: query it later by this id');
  });
});
