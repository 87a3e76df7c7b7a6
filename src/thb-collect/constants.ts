/**
 * The fixed facts of the THB collect API: host, paths, envelope codes, product codes and the reply a
 * notification expects. Kept in one place so a provider change is a one-line change.
 */

/**
 * The provider's test (UAT) host (`api_description_guide.mdx`, "Request URL"); the production host is
 * issued at go-live. The client has no default host: pass this, or your production URL, as `baseUrl`.
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
export const THB_COLLECT_PATHS = /* @__PURE__ */ Object.freeze({
  /** Create a collection (`createCollection`). */
  collectApply: `/${THB_CURRENCY_PATH}/collect/apply`,
  /** Query a collection (`getCollection`). */
  collectQuery: `/${THB_CURRENCY_PATH}/collect/query`,
  /** Create a payout (`createPayout`). */
  payApply: `/${THB_CURRENCY_PATH}/pay/apply`,
  /** Query a payout (`getPayout`). */
  payQuery: `/${THB_CURRENCY_PATH}/pay/query`,
  /** The THB account's balance (`getBalance`), `/{currency}/account/ledger` of `CommonApi.mdx`. */
  balance: `/${THB_CURRENCY_PATH}/account/ledger`,
  /** A statement file's download link (`getStatementLink`); no currency segment, the appId says it. */
  statement: '/common/document/download',
  /** A payout's voucher image (`getPayoutVoucher`); no currency segment. */
  voucher: '/common/voucher',
});

/**
 * Statement kinds of `/common/document/download` and the `type` number each is sent as (`CommonApi.mdx`).
 *
 * @example
 * ```ts
 * THB_STATEMENT_TYPES.collection; // 20
 * ```
 */
export const THB_STATEMENT_TYPES = /* @__PURE__ */ Object.freeze({
  /** Payout orders. */
  payout: 15,
  /** Collection orders. */
  collection: 20,
  /** Fund flow (every balance movement). */
  fundFlow: 40,
} as const);

/** A statement kind: `payout`, `collection` or `fundFlow`. */
export type ThbStatementType = keyof typeof THB_STATEMENT_TYPES;

/** An amount range in satang (integers), both ends included. */
export interface ThbAmountLimit {
  /** Smallest amount accepted, in satang (100 = 1 baht). */
  readonly minSatang: number;
  /** Largest amount accepted, in satang. */
  readonly maxSatang: number;
}

/** Amount ranges per product: collections by `payType`, payouts by `accountType`. */
export interface ThbLimits {
  /** Collections, by `payType`. */
  readonly collection: Readonly<Record<ThbPayType, ThbAmountLimit>>;
  /** Payouts, by `accountType`. */
  readonly payout: Readonly<Record<ThbAccountType, ThbAmountLimit>>;
}

const baht = (min: number, max: number): ThbAmountLimit =>
  /* @__PURE__ */ Object.freeze({ minSatang: min * 100, maxSatang: max * 100 });

/**
 * The default amount ranges. Limits are per merchant contract, so every value here can be replaced with
 * the client's `limits` option; these are what the provider's documents publish, and where the two
 * documents disagree, the narrower range (a wider contract is an option away, a refused order is not):
 * - QR collection 1–8,000: both documents agree.
 * - TrueMoney (`PAYMENT_GATEWAY`) collection 1–1,000: `thb-collect-api.txt`; `Thailand.mdx` says 1–8,000.
 * - Cashier collection 1–8,000: neither document states one; the cashier offers QR, whose range this is.
 * - Bank payouts 1–8,000: `Thailand.mdx` ("Payment THB: 1-8000", each bank 1–8,000);
 *   `thb-collect-api.txt` says BANK_ACCOUNT 1–49,999.
 * - E-wallet payouts 1–8,000: only `Thailand.mdx`'s "Payment THB: 1-8000" covers them.
 *
 * @example
 * ```ts
 * THB_DEFAULT_LIMITS.payout.BANK_ACCOUNT; // { minSatang: 100, maxSatang: 800000 }
 * ```
 */
export const THB_DEFAULT_LIMITS: ThbLimits = /* @__PURE__ */ Object.freeze({
  collection: /* @__PURE__ */ Object.freeze({
    QR: baht(1, 8000),
    PAYMENT_GATEWAY: baht(1, 1000),
    CASHIER: baht(1, 8000),
  }),
  payout: /* @__PURE__ */ Object.freeze({ BANK_ACCOUNT: baht(1, 8000), EWALLET: baht(1, 8000) }),
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
export const THB_PAY_TYPES = /* @__PURE__ */ Object.freeze({
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
export const THB_ACCOUNT_TYPES = /* @__PURE__ */ Object.freeze(['EWALLET', 'BANK_ACCOUNT'] as const);

/** A payout account type, `accountType` on the wire. */
export type ThbAccountType = (typeof THB_ACCOUNT_TYPES)[number];
