/**
 * `thaipay/thb-collect`: the THB collect API (PromptPay QR and TrueMoney collections, bank and e-wallet
 * payouts) with SHA256withRSA signing, verified answers and verified notifications.
 *
 * @example
 * ```ts
 * import { ThbCollectClient, createThbWebhookHandler } from 'thaipay/thb-collect';
 * ```
 */

export {
  ApiError,
  AuthenticationError,
  ConnectionError,
  DuplicateOrderError,
  type FieldIssue,
  InvalidRequestError,
  OrderStatusUnknownError,
  PermissionError,
  ResponseVerificationError,
  SignatureError,
  ThaiPayError,
  TimeoutError,
  WebhookVerificationError,
} from '../core/errors';
export type { TransportHooks } from '../core/transport';
export {
  createMemoryDedupeStore,
  type DedupeClaim,
  type NodeHandlerOptions,
  type NodeLikeRequest,
  type NodeLikeResponse,
  type TransactionalWebhookInbox,
  toNodeHandler,
  type WebhookBody,
  type WebhookDedupeStore,
  type WebhookEventContext,
} from '../core/webhooks';
export type { PaymentStatus } from '../status';
export {
  ThbCollectClient,
  type ThbCollectClientOptions,
  type ThbCollectionCreated,
  type ThbPayoutCreated,
  type ThbReconciledFields,
  type ThbRequestOptions,
} from './client';
export {
  THB_ACCOUNT_TYPES,
  THB_COLLECT_PATHS,
  THB_COLLECT_TEST_BASE_URL,
  THB_CURRENCY_PATH,
  THB_NOTIFICATION_ACK,
  THB_PAY_TYPES,
  type ThbAccountType,
  type ThbInBankCode,
  type ThbPayType,
} from './constants';
export { classifyThbRefusal, isThbOrderNotFound, ORDER_NOT_FOUND_CODE } from './envelope';
export type {
  ThbCollectionCreatedFields,
  ThbCollectionOrder,
  ThbOrder,
  ThbOrderKind,
  ThbPayoutCreatedFields,
  ThbPayoutOrder,
} from './results';
export type { ThbCreateCollectionInput, ThbCreatePayoutInput, ThbOrderQuery } from './schemas';
export {
  signThbParams,
  type ThbSigningKeys,
  type ThbVerifyingKeys,
  thbSignedFields,
  thbSignString,
  thbSignStringAmbiguity,
  verifyThbParams,
} from './signing';
export {
  createThbWebhookHandler,
  type ThbCollectionNotification,
  type ThbCollectionNotificationFields,
  type ThbNotification,
  type ThbNotificationBase,
  type ThbNotificationKind,
  type ThbNotificationOf,
  type ThbPayoutNotification,
  type ThbPayoutNotificationFields,
  type ThbUnknownKindNotification,
  type ThbWebhookHandlerOptions,
  type VerifyThbNotificationOptions,
  verifyThbNotification,
} from './webhooks';
