/**
 * `thaipay/jwt-gateway`: the JWT gateway's client, request signing and callback verification.
 *
 * @example
 * ```ts
 * import { JwtGatewayClient, verifyJwtGatewayCallback } from 'thaipay/jwt-gateway';
 * ```
 *
 * @packageDocumentation
 */
export type { CryptoProvider, HmacSha256 } from '../core/crypto/types';
export * from '../core/errors';
export type { RequestOptions } from '../core/request-options';
export type { Created } from '../core/safe-create';
export type { TransportHooks } from '../core/transport';
export {
  createMemoryDedupeStore,
  type DedupeClaim,
  type NodeHandlerOptions,
  type TransactionalWebhookInbox,
  toNodeHandler,
  type WebhookDedupeStore,
  type WebhookEventContext,
} from '../core/webhooks';
export type { PaymentStatus } from '../status';
export {
  type Balance,
  DEFAULT_JWT_GATEWAY_PATHS,
  type Deposit,
  type GatewayBank,
  type Health,
  JwtGatewayClient,
  type JwtGatewayClientOptions,
  type JwtGatewayOrder,
  type JwtGatewayPaths,
  type SignResult,
  type Withdrawal,
} from './client';
export {
  type CreateDepositInput,
  type CreateWithdrawalInput,
  DEFAULT_JWT_GATEWAY_LIMITS,
  DEPOSIT_TYPES,
  type DepositType,
  type GetOrderInput,
  type JwtGatewayAmountLimit,
  type JwtGatewayLimits,
} from './schemas';
export { JWT_HS256_HEADER, jwtGatewayPayload, signJwtGatewayParams } from './signing';
export {
  createJwtGatewayWebhookHandler,
  JWT_GATEWAY_ACK,
  type JwtGatewayCallback,
  type JwtGatewayWebhookHandlerOptions,
  type VerifyJwtGatewayCallbackOptions,
  verifyJwtGatewayCallback,
} from './webhooks';
