/**
 * What the example tests share: a sandbox with compressed retries, clients pointed at it, loopback
 * servers, and inputs for orders whose callbacks go where a test wants them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import type { WebhookSettings } from '../../examples/webhooks/settings';
import type { CreateDepositInput, CreateWithdrawalInput } from '../../src/jwt-gateway';
import { JwtGatewayClient, type JwtGatewayClientOptions } from '../../src/jwt-gateway';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/testing';
import type { ThbCreateCollectionInput, ThbCreatePayoutInput } from '../../src/thb-collect';
import { ThbCollectClient, type ThbCollectClientOptions } from '../../src/thb-collect';
import { SANDBOX_KEYS } from '../sandbox-keys';

/** A sandbox whose deliveries retry within milliseconds, so a failed delivery gives up fast. */
export function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return createSandbox({
    retryIntervalsMs: [20, 20],
    deliveryTimeoutMs: 5_000,
    thbCollect: SANDBOX_KEYS,
    ...options,
  });
}

export function gatewayClient(
  sandbox: Sandbox,
  options: Partial<JwtGatewayClientOptions> = {},
): JwtGatewayClient {
  return new JwtGatewayClient({ ...sandbox.jwtGateway, timeoutMs: 5_000, ...options });
}

export function thbClient(
  sandbox: Sandbox,
  options: Partial<ThbCollectClientOptions> = {},
): ThbCollectClient {
  return new ThbCollectClient({
    appId: sandbox.thbCollect.appId,
    secretKey: sandbox.thbCollect.secretKey,
    privateKey: sandbox.thbCollect.merchantPrivateKey!,
    platformPublicKey: sandbox.thbCollect.platformPublicKey,
    baseUrl: sandbox.thbCollect.baseUrl,
    timeoutMs: 5_000,
    ...options,
  });
}

let sequence = 0;
/** A fresh merchant order id (letters and digits, fits both providers). */
export function uniqueId(prefix: string): string {
  sequence += 1;
  return `${prefix}${Date.now()}${sequence}`;
}

export function depositInput(
  callbackUrl: string,
  overrides: Partial<CreateDepositInput> = {},
): CreateDepositInput {
  return {
    transactionId: uniqueId('order'),
    bankAccountNumber: '1234567890',
    bankName: 'KBANK',
    name: 'Somchai Jaidee',
    amount: '250.00',
    callbackUrl,
    type: 'QR',
    ...overrides,
  };
}

export function withdrawalInput(
  callbackUrl: string,
  overrides: Partial<CreateWithdrawalInput> = {},
): CreateWithdrawalInput {
  return {
    agentOrderNo: uniqueId('payout'),
    amount: '100.00',
    bankCode: 'SCB',
    accountNo: '9876543210',
    accountName: 'Malee Sukjai',
    callbackUrl,
    ...overrides,
  };
}

export function collectionInput(
  notifyUrl: string,
  overrides: Partial<ThbCreateCollectionInput> = {},
): ThbCreateCollectionInput {
  return {
    orderId: uniqueId('M'),
    amount: '300.00',
    payType: 'QR',
    name: 'Somchai Jaidee',
    phone: '0812345678',
    email: 'somchai@example.com',
    callBackUrl: 'https://shop.example/paid',
    callBackFailUrl: 'https://shop.example/failed',
    notifyUrl,
    subject: 'Order',
    partnerUserId: 'user-42',
    ...overrides,
  };
}

export function payoutInput(
  notifyUrl: string,
  overrides: Partial<ThbCreatePayoutInput> = {},
): ThbCreatePayoutInput {
  return {
    orderId: uniqueId('P'),
    amount: '1200.00',
    accountType: 'BANK_ACCOUNT',
    bankCode: 'KBANK',
    accountNo: '1234567890',
    name: 'Malee Sukjai',
    phone: '0898765432',
    email: 'malee@example.com',
    notifyUrl,
    partnerUserId: 'user-77',
    ...overrides,
  };
}

/** Webhook settings with the sandbox's keys and spies for the events. */
export function spySettings(sandbox: Sandbox) {
  return {
    gatewayApiKey: sandbox.jwtGateway.apiKey,
    thbSecretKey: sandbox.thbCollect.secretKey,
    thbPlatformPublicKey: sandbox.thbCollect.platformPublicKey,
    onGatewayCallback: vi.fn<WebhookSettings['onGatewayCallback']>(),
    onThbNotification: vi.fn<WebhookSettings['onThbNotification']>(),
  } satisfies WebhookSettings;
}

/** A listening loopback server. */
export interface Listening {
  url: string;
  close(): Promise<void>;
}

/** Listen on a free loopback port. */
export async function listen(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The URL of a receiver that is down: a loopback port that was just freed (connection refused). */
export async function downReceiverUrl(): Promise<string> {
  const server = await listen(createServer());
  await server.close();
  return server.url;
}
