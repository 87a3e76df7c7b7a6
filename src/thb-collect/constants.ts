/**
 * The fixed facts of the THB collect API: host, paths, envelope codes, product codes and the reply a
 * notification expects. Kept in one place so a provider change is a one-line change.
 */

/**
 * The provider's test (UAT) host; production hosts are issued at go-live.
 *
 * @example
 * ```ts
 * new ThbCollectClient({ ...credentials, baseUrl: THB_COLLECT_TEST_BASE_URL });
 * ```
 */
export const THB_COLLECT_TEST_BASE_URL = 'https://uat-interface.haipay.asia';

/**
 * The currency segment of every path. The same API serves other currencies under other segments, each
 * with its own appId and keys; this SDK speaks THB only.
 */
export const THB_CURRENCY_PATH = 'thb';

/**
 * The four endpoints, below the base URL.
 *
 * @example
 * ```ts
 * THB_COLLECT_PATHS.collectApply; // "/thb/collect/apply"
 * ```
 */
export const THB_COLLECT_PATHS = Object.freeze({
  /** Create a collection (`createCollection`). */
  collectApply: `/${THB_CURRENCY_PATH}/collect/apply`,
  /** Query a collection (`getCollection`). */
  collectQuery: `/${THB_CURRENCY_PATH}/collect/query`,
  /** Create a payout (`createPayout`). */
  payApply: `/${THB_CURRENCY_PATH}/pay/apply`,
  /** Query a payout (`getPayout`). */
  payQuery: `/${THB_CURRENCY_PATH}/pay/query`,
});

/** Envelope `status` of a successful answer. */
export const THB_ENVELOPE_OK = '1';
/** Envelope `status` of a refused request. */
export const THB_ENVELOPE_ERROR = '0';
/** Envelope `error` code of a successful answer. */
export const THB_SUCCESS_CODE = '00000000';

/**
 * The body a notification must be answered with; anything else makes the provider retry (every
 * 5 minutes, up to 5 times).
 */
export const THB_NOTIFICATION_ACK = 'SUCCESS';

/** Fields never part of the sign string. */
export const THB_UNSIGNED_FIELDS: ReadonlySet<string> = new Set(['sign', 'sign_type']);

/** Collection products (`payType`) and the one `inBankCode` each pairs with ("Collection Codes" table). */
export const THB_PAY_TYPES = Object.freeze({
  /** PromptPay QR code. */
  QR: 'QR',
  /** TrueMoney wallet. */
  PAYMENT_GATEWAY: 'TM',
  /** The hosted cashier page, offering QR and TrueMoney. */
  CASHIER: 'CASHIER',
} as const);

/** A collection product, `payType` on the wire. */
export type ThbPayType = keyof typeof THB_PAY_TYPES;

/** A collection payment method, `inBankCode` on the wire. */
export type ThbInBankCode = (typeof THB_PAY_TYPES)[ThbPayType];

/** Payout account types. */
export const THB_ACCOUNT_TYPES = Object.freeze(['EWALLET', 'BANK_ACCOUNT'] as const);

/** A payout account type, `accountType` on the wire. */
export type ThbAccountType = (typeof THB_ACCOUNT_TYPES)[number];
