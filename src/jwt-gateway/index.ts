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
export * from '../core/entry';
export {
  DEFAULT_JWT_GATEWAY_PATHS,
  JwtGatewayClient,
  type JwtGatewayClientOptions,
  type JwtGatewayPaths,
} from './client';
export {
  JWT_GATEWAY_FIELDS_LOST_ON_RECONCILE,
  type JwtGatewayBalance,
  type JwtGatewayBank,
  type JwtGatewayDeposit,
  type JwtGatewayDepositAnswer,
  type JwtGatewayDepositCreated,
  type JwtGatewayDepositReconciled,
  type JwtGatewayHealth,
  type JwtGatewayOrder,
  type JwtGatewayOrderFields,
  type JwtGatewaySignResult,
  type JwtGatewayWithdrawal,
  type JwtGatewayWithdrawalAnswer,
  type JwtGatewayWithdrawalCreated,
  type JwtGatewayWithdrawalReconciled,
} from './results';
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
export { signJwtGatewayParams } from './signing';
export {
  createJwtGatewayWebhookHandler,
  JWT_GATEWAY_ACK,
  type JwtGatewayCallback,
  type JwtGatewayWebhookHandlerOptions,
  type VerifyJwtGatewayCallbackOptions,
  verifyJwtGatewayCallback,
} from './webhooks';
