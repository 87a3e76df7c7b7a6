/**
 * `thaipay/thb-collect`: the THB collect API (PromptPay QR and TrueMoney collections, bank and e-wallet
 * payouts) with SHA256withRSA signing, verified answers and verified notifications.
 *
 * @example
 * ```ts
 * import { ThbCollectClient, createThbWebhookHandler } from 'thaipay/thb-collect';
 * ```
 */

export * from '../core/entry';
export {
  ThbCollectClient,
  type ThbCollectClientOptions,
  type ThbCollectionCreated,
  type ThbPayoutCreated,
  type ThbRequestOptions,
} from './client';
export {
  THB_ACCOUNT_TYPES,
  THB_COLLECT_PATHS,
  THB_COLLECT_TEST_BASE_URL,
  THB_CURRENCY_PATH,
  THB_DEFAULT_LIMITS,
  THB_NOTIFICATION_ACK,
  THB_PAY_TYPES,
  THB_STATEMENT_TYPES,
  type ThbAccountType,
  type ThbAmountLimit,
  type ThbInBankCode,
  type ThbLimits,
  type ThbPayType,
  type ThbStatementType,
} from './constants';
export { THB_ERROR_TABLE, type ThbErrorEntry } from './errors';
export {
  THB_FIELDS_LOST_ON_RECONCILE,
  type ThbBalance,
  type ThbCollectionCreatedAnswer,
  type ThbCollectionCreatedFields,
  type ThbCollectionOrder,
  type ThbCollectionReconciled,
  type ThbOrder,
  type ThbOrderKind,
  type ThbPayoutCreatedAnswer,
  type ThbPayoutCreatedFields,
  type ThbPayoutOrder,
  type ThbPayoutReconciled,
  type ThbPayoutVoucher,
  type ThbStatementLink,
} from './results';
export type {
  ThbCreateCollectionInput,
  ThbCreatePayoutInput,
  ThbLimitsOption,
  ThbOrderQuery,
  ThbStatementQuery,
  ThbVoucherQuery,
} from './schemas';
export {
  signThbParams,
  type ThbSigningKeys,
  type ThbVerifyingKeys,
  thbSignString,
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
