/**
 * THB collect: `/thb/collect/apply`, `/thb/collect/query`, `/thb/pay/apply`, `/thb/pay/query`,
 * `/thb/account/ledger`, `/common/document/download` and `/common/voucher` (`Thailand.mdx`, `CommonApi.mdx`).
 *
 * Every answer is HTTP 200. Success: `{"status":"1","error":"00000000","msg":"","data":{...,"sign"}}`
 * with `data` signed by the platform key (the voucher's `data` is the Base64 image alone, as documented).
 * Refusal: `{"status":"0","error":<code>,"msg":<text>,"data":null}` with the codes and English responses of
 * the provider's error table ({@link THB_ERRORS}, `api_description_guide.mdx`); where a detail helps (which
 * field), it follows the documented text after ": ".
 *
 * Checks run in this order: body (JSON or form), `appId` (4011), `sign` (1002, the table has no signature
 * code), required fields (1001), the documented formats (1002), channel pairs and amount ranges (1002),
 * then duplicates (4005), the balance (4016) and lookups (4013). The sandbox's ranges are the widest the
 * documents state (collections 1–8,000, payouts 1–49,999 baht), so a merchant's wider contract can be tried.
 * Faults: `provider-error` answers any documented code; on a create with `recorded: true` the order is
 * made first (1003/1004 "the order may already be recorded").
 */
import type { KeyObject } from 'node:crypto';
import { isBankCode } from '../banks/codes';
import {
  asRecord,
  headerValue,
  type IncomingCall,
  isHttpUrl,
  jsonReply,
  type Reply,
  type RouteResolver,
} from './http';
import { tamperWith } from './messages';
import { formatBaht, satangFromString } from './money';
import type { OrderStore } from './orders';
import { buildPromptPayPayload } from './promptpay';
import { signThbParams, verifyThbParams } from './signing';
import { formatThaiTime } from './thai-time';
import type {
  SandboxFault,
  SandboxHttpRoute,
  SandboxOrder,
  SandboxOrderKind,
  ThbOrderStatus,
  ThbSandboxErrorCode,
} from './types';
import { firstError, optionalString, requireString } from './validation';

/**
 * The provider's error codes (`api_description_guide.mdx`), by what they mean. Their English responses
 * are `THB_ERROR_MESSAGES`.
 */
export const THB_ERRORS = Object.freeze({
  /** A required parameter is missing or empty. */
  paramIsNull: '1001',
  /** A parameter breaks a rule, or the signature does not verify. */
  illegalParam: '1002',
  /** System exception: the order may already be recorded. */
  systemException: '1003',
  /** System busy: the order may already be recorded. */
  systemBusy: '1004',
  /** The orderId was already used. */
  orderExists: '4005',
  /** The `appId` is not the sandbox's. */
  appIdNotFound: '4011',
  /** No product available to the merchant. */
  noProduct: '4012',
  /** A query names an order the sandbox does not have. */
  orderNotFound: '4013',
  /** The order is already in a final status. */
  orderFinal: '4014',
  /** No collection account. */
  noCollectBank: '4015',
  /** The balance does not cover a payout. */
  notEnoughMoney: '4016',
  /** The caller's IP is not allowed. */
  ipForbidden: '4031',
  /** The payment channel is not working. */
  channelDown: '5012',
} as const satisfies Record<string, ThbSandboxErrorCode>);

/** Each documented code's English response, as the provider's table spells it. */
export const THB_ERROR_MESSAGES: Readonly<Record<ThbSandboxErrorCode, string>> = Object.freeze({
  '1001': 'param is null',
  '1002': 'Illegal Param',
  '1003': 'system exception',
  '1004': 'system is busy',
  '4005': 'order already exit',
  '4011': 'appId do not exit',
  '4012': 'you do not have an available product, please connect admin',
  '4013': 'order not exit',
  '4014': 'order is already end status',
  '4015': 'this merchant do not have a collect bank',
  '4016': 'your account do not have enough money',
  '4031': 'ip adress is Forbidden',
  '5012': 'pay in channel not functional, please connect customer service',
});

/** The THB balance a sandbox starts with, in satang (100,000.00 baht). */
export const THB_DEFAULT_STARTING_BALANCE_SATANG = 10_000_000;

/** Where statement files are served (GET), below the sandbox URL. */
const STATEMENT_FILE_PREFIX = '/common/document/file/';

/** A 1×1 PNG: the sandbox's payout voucher image. */
const VOUCHER_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Statement kinds of `/common/document/download`: type → the order kind listed (40: every order). */
const STATEMENT_KINDS: Record<string, SandboxOrderKind | 'all'> = {
  '15': 'payout',
  '20': 'collection',
  '40': 'all',
};

/** The PromptPay id collections are paid to. */
export const THB_PROMPTPAY_NUMBER = '0898765432';

/** Collection channels: payType → the inBankCode it needs, its limit in baht, its `bankCode` answer. */
// The widest ranges the two documents state: Thailand.mdx's 1-8,000 for every collection, and
// thb-collect-api.txt's 1-49,999 for payouts. A merchant's narrower defaults are the client's business.
const COLLECTION_CHANNELS: Record<
  string,
  { inBankCode: string; max: number; label: string; bankCode: string }
> = {
  QR: { inBankCode: 'QR', max: 8000, label: 'QR', bankCode: 'PROMPTPAY' },
  PAYMENT_GATEWAY: { inBankCode: 'TM', max: 8000, label: 'TM', bankCode: 'TRUEMONEY' },
  CASHIER: { inBankCode: 'CASHIER', max: 8000, label: 'CASHIER', bankCode: 'CASHIER' },
};

const PAYOUT_ACCOUNT_TYPES: Record<string, { max: number }> = {
  BANK_ACCOUNT: { max: 49999 },
  EWALLET: { max: 49999 },
};

// The patterns of thb.openapi.json.
const NAME_RULES = {
  collection: {
    pattern: /^[A-Za-z\s!-]{1,30}$/,
    text: "name must be 1-30 English letters, spaces, '!' or '-'",
  },
  payout: {
    pattern: /^[A-Za-z\s'.-]{1,30}$/,
    text: "name must be 1-30 English letters, spaces, '.', ''' or '-'",
  },
};

/** What the routes need. */
export interface ThbCollectRouteConfig {
  appId: string;
  secretKey: string;
  merchantPublicKey: KeyObject;
  platformPrivateKey: KeyObject;
  store: OrderStore;
  now: () => number;
  /** The sandbox URL, for `payUrl` and statement links. */
  baseUrl: () => string;
  /** The THB balance before any order, in satang; `THB_DEFAULT_STARTING_BALANCE_SATANG` by default. */
  startingBalanceSatang?: number;
}

type Outcome = { data: Record<string, unknown> } | { error: string; msg: string };

function ownEntry<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A refusal with the documented English response, and a detail after it when one helps. */
function refuse(error: ThbSandboxErrorCode, detail?: string): Outcome {
  const msg = THB_ERROR_MESSAGES[error];
  return { error, msg: detail === undefined ? msg : `${msg}: ${detail}` };
}

/** The order a balance or statement counts, by kind and status. */
function isOpenPayout(order: SandboxOrder): boolean {
  return order.kind === 'payout' && (order.status === 0 || order.status === 1 || order.status === -1);
}

/**
 * The route resolver of THB collect.
 *
 * @example
 * ```ts
 * const resolver = createThbCollectRoutes(config);
 * resolver('POST', '/thb/collect/apply'); // { route: 'thb:collect/apply', handle }
 * ```
 */
export function createThbCollectRoutes(config: ThbCollectRouteConfig): RouteResolver {
  type Handler = (body: Record<string, unknown>) => Outcome | { voucher: string };
  const table: Record<string, [SandboxHttpRoute, Handler]> = {
    '/thb/collect/apply': ['thb:collect/apply', collectApply],
    '/thb/collect/query': ['thb:collect/query', (body) => query(body, 'collection')],
    '/thb/pay/apply': ['thb:pay/apply', payApply],
    '/thb/pay/query': ['thb:pay/query', (body) => query(body, 'payout')],
    '/thb/account/ledger': ['thb:account/ledger', () => ({ data: balance() })],
    '/common/document/download': ['thb:document/download', statement],
    '/common/voucher': ['thb:voucher', voucher],
  };
  const CREATES: readonly SandboxHttpRoute[] = ['thb:collect/apply', 'thb:pay/apply'];

  return (method, pathname) => {
    if (method === 'GET' && pathname.startsWith(STATEMENT_FILE_PREFIX)) {
      return { handle: (call) => statementFile(call) };
    }
    // Own keys only: a path like /constructor must not find Object.prototype.
    const entry = Object.hasOwn(table, pathname) ? table[pathname] : undefined;
    if (!entry) return undefined;
    const [route, handler] = entry;
    if (method !== 'POST') {
      return {
        handle: () => jsonReply(405, { status: '0', error: '405', msg: 'Method not allowed', data: null }),
      };
    }
    return { route, handle: (call, fault) => answer(call, route, handler, fault) };
  };

  function answer(
    call: IncomingCall,
    route: SandboxHttpRoute,
    handler: Handler,
    fault: SandboxFault | undefined,
  ): Reply {
    const body = parseBody(call);
    if (fault?.fault === 'provider-error') {
      const code = fault.providerCode ?? THB_ERRORS.systemBusy;
      // "The order may already be recorded": with `recorded`, a create is processed before the refusal.
      if (fault.recorded && CREATES.includes(route) && body && !authorise(body)) handler(body);
      return jsonReply(200, { status: '0', error: code, msg: THB_ERROR_MESSAGES[code], data: null });
    }
    const outcome = body
      ? (authorise(body) ?? handler(body))
      : refuse(THB_ERRORS.paramIsNull, 'request body must be a JSON object');
    if ('error' in outcome) {
      return jsonReply(200, { status: '0', error: outcome.error, msg: outcome.msg, data: null });
    }
    // The voucher's data is the Base64 image alone (CommonApi.mdx): nothing to sign.
    if ('voucher' in outcome)
      return jsonReply(200, { status: '1', error: '00000000', msg: '', data: outcome.voucher });
    const signed = {
      ...outcome.data,
      sign: signThbParams(outcome.data, config.secretKey, config.platformPrivateKey),
    };
    const data = fault?.fault === 'tampered-signature' ? tamperWith(signed) : signed;
    return jsonReply(200, { status: '1', error: '00000000', msg: '', data });
  }

  function parseBody(call: IncomingCall): Record<string, unknown> | undefined {
    const type = headerValue(call.headers, 'content-type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded')) {
      return Object.fromEntries(new URLSearchParams(call.body));
    }
    try {
      return asRecord(JSON.parse(call.body));
    } catch {
      return undefined;
    }
  }

  function authorise(body: Record<string, unknown>): Outcome | undefined {
    const appId = body.appId;
    if (appId === undefined || appId === null || appId === '') return refuse(THB_ERRORS.paramIsNull, 'appId');
    if ((typeof appId !== 'string' && typeof appId !== 'number') || String(appId) !== config.appId) {
      return refuse(THB_ERRORS.appIdNotFound);
    }
    if (!verifyThbParams(body, config.secretKey, config.merchantPublicKey)) {
      return refuse(THB_ERRORS.illegalParam, 'sign verify failed');
    }
    return undefined;
  }

  /** The first broken rule as a refusal: a missing field (1001), else a format (1002). */
  function commonChecks(
    body: Record<string, unknown>,
    kind: 'collection' | 'payout',
    required: string[],
  ): Outcome | undefined {
    const missing = firstError(required.map((field) => requireString(body, field)));
    if (missing)
      return refuse(/is required$/.test(missing) ? THB_ERRORS.paramIsNull : THB_ERRORS.illegalParam, missing);
    const invalid = formatError(body, kind);
    return invalid === undefined ? undefined : refuse(THB_ERRORS.illegalParam, invalid);
  }

  function formatError(body: Record<string, unknown>, kind: 'collection' | 'payout'): string | undefined {
    const optional = firstError(['notifyUrl', 'subject', 'body'].map((field) => optionalString(body, field)));
    if (optional) return optional;
    if ((body.orderId as string).length > 48) return 'orderId must be at most 48 characters';
    if (!/^\d+\.\d{2}$/.test(body.amount as string)) return 'amount format error: must match ^\\d+\\.\\d{2}$';
    const name = NAME_RULES[kind];
    if (!name.pattern.test(body.name as string)) return name.text;
    if (!/^0\d{9}$/.test(body.phone as string)) return 'phone must be 10 digits starting with 0';
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email as string)) return 'email format error';
    if (!/^[A-Za-z0-9\-~!@#$%&*()_]+$/.test(body.partnerUserId as string)) {
      return 'partnerUserId may only contain digits, letters and -~!@#$%&*()_';
    }
    if (typeof body.notifyUrl === 'string' && body.notifyUrl !== '' && !isHttpUrl(body.notifyUrl)) {
      return 'notifyUrl must be an http(s) URL';
    }
    return undefined;
  }

  function outOfRange(amountSatang: number, label: string, max: number): Outcome | undefined {
    if (amountSatang < 100 || amountSatang > max * 100) {
      return refuse(THB_ERRORS.illegalParam, `amount out of range: ${label} 1-${max}`);
    }
    return undefined;
  }

  function newOrder(
    body: Record<string, unknown>,
    kind: 'collection' | 'payout',
    extra: Pick<SandboxOrder, 'qrCode' | 'payUrl'> & { orderNo: string },
  ): SandboxOrder {
    const at = new Date(config.now()).toISOString();
    const amountSatang = satangFromString(body.amount as string)!;
    const status: ThbOrderStatus = kind === 'collection' ? 1 : 0;
    const { sign: _sign, sign_type: _signType, ...request } = body;
    const order: SandboxOrder = {
      provider: 'thb-collect',
      kind,
      orderNo: extra.orderNo,
      merchantOrderId: body.orderId as string,
      status,
      amount: formatBaht(amountSatang),
      amountSatang,
      feeSatang: 0,
      actualAmountSatang: 0,
      paidAmountSatang: null,
      notifyUrl: typeof body.notifyUrl === 'string' && body.notifyUrl !== '' ? body.notifyUrl : null,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
      payTime: null,
      errorMsg: null,
      hash: null,
      qrCode: extra.qrCode,
      payUrl: extra.payUrl,
      history: [{ status, at }],
      request,
    };
    config.store.add(order);
    return order;
  }

  function collectApply(body: Record<string, unknown>): Outcome {
    const invalid = commonChecks(body, 'collection', [
      'orderId',
      'name',
      'phone',
      'email',
      'amount',
      'payType',
      'inBankCode',
      'callBackUrl',
      'callBackFailUrl',
      'subject',
      'partnerUserId',
    ]);
    if (invalid) return invalid;
    const channel = ownEntry(COLLECTION_CHANNELS, body.payType as string);
    if (!channel) return refuse(THB_ERRORS.illegalParam, `unsupported payType ${body.payType}`);
    if (body.inBankCode !== channel.inBankCode) {
      return refuse(
        THB_ERRORS.illegalParam,
        `payType ${body.payType} does not support inBankCode ${body.inBankCode}; use ${channel.inBankCode}`,
      );
    }
    const amountSatang = satangFromString(body.amount as string)!;
    const range = outOfRange(amountSatang, channel.label, channel.max);
    if (range) return range;
    if (config.store.byMerchantId('collection', body.orderId as string))
      return refuse(THB_ERRORS.orderExists);
    const orderNo = config.store.nextThbOrderNo('6', config.now());
    const qrCode = buildPromptPayPayload({ type: 'mobile', value: THB_PROMPTPAY_NUMBER }, amountSatang);
    const payUrl = `${config.baseUrl()}/pay/${orderNo}`;
    newOrder(body, 'collection', { orderNo, qrCode, payUrl });
    return {
      data: {
        orderId: body.orderId,
        orderNo,
        payUrl,
        bankCode: channel.bankCode,
        bankNo: THB_PROMPTPAY_NUMBER,
        qrCode,
      },
    };
  }

  function payApply(body: Record<string, unknown>): Outcome {
    const invalid = commonChecks(body, 'payout', [
      'orderId',
      'amount',
      'accountType',
      'bankCode',
      'accountNo',
      'name',
      'phone',
      'email',
      'partnerUserId',
    ]);
    if (invalid) return invalid;
    const accountType = ownEntry(PAYOUT_ACCOUNT_TYPES, body.accountType as string);
    if (!accountType) return refuse(THB_ERRORS.illegalParam, 'accountType must be BANK_ACCOUNT or EWALLET');
    if (body.accountType === 'BANK_ACCOUNT' && !isBankCode(body.bankCode)) {
      return refuse(THB_ERRORS.illegalParam, `unsupported bankCode ${body.bankCode}`);
    }
    const amountSatang = satangFromString(body.amount as string)!;
    const range = outOfRange(amountSatang, body.accountType as string, accountType.max);
    if (range) return range;
    if (config.store.byMerchantId('payout', body.orderId as string)) return refuse(THB_ERRORS.orderExists);
    if (amountSatang > balanceSatang().available) return refuse(THB_ERRORS.notEnoughMoney);
    const orderNo = config.store.nextThbOrderNo('3', config.now());
    newOrder(body, 'payout', { orderNo, qrCode: null, payUrl: null });
    return { data: { orderId: body.orderId, orderNo } };
  }

  function query(body: Record<string, unknown>, kind: SandboxOrderKind): Outcome {
    const invalid = firstError([requireString(body, 'orderId'), optionalString(body, 'orderNo')]);
    if (invalid)
      return refuse(/is required$/.test(invalid) ? THB_ERRORS.paramIsNull : THB_ERRORS.illegalParam, invalid);
    const order = config.store.byMerchantId(kind, body.orderId as string);
    const orderNo = body.orderNo;
    if (!order || (typeof orderNo === 'string' && orderNo !== '' && orderNo !== order.orderNo)) {
      return refuse(THB_ERRORS.orderNotFound);
    }
    const data: Record<string, unknown> = {
      orderId: order.merchantOrderId,
      orderNo: order.orderNo,
      amount: formatBaht(order.amountSatang),
    };
    if (kind === 'collection') data.actualAmount = formatBaht(order.actualAmountSatang);
    data.fee = formatBaht(order.feeSatang);
    data.status = order.status;
    if (order.payTime) data.payTime = order.payTime;
    if (order.errorMsg) data.errorMsg = order.errorMsg;
    return { data };
  }

  /**
   * The THB account as the orders left it: succeeded collections credit what was received less the fee,
   * succeeded payouts debit the amount and the fee, open payouts freeze their amount. Settlement is
   * immediate in the sandbox, so nothing awaits it.
   */
  function balanceSatang(): { bal: number; frozen: number; available: number } {
    let bal = config.startingBalanceSatang ?? THB_DEFAULT_STARTING_BALANCE_SATANG;
    let frozen = 0;
    for (const order of config.store.list()) {
      if (order.provider !== 'thb-collect') continue;
      if (order.kind === 'collection' && (order.status === 2 || order.status === 4 || order.status === 5)) {
        bal += order.actualAmountSatang - order.feeSatang;
      } else if (order.kind === 'payout' && order.status === 2) {
        bal -= order.amountSatang + order.feeSatang;
      } else if (isOpenPayout(order)) {
        frozen += order.amountSatang;
      }
    }
    return { bal, frozen, available: bal - frozen };
  }

  function balance(): Record<string, unknown> {
    const { bal, frozen, available } = balanceSatang();
    return {
      bal: formatBaht(bal),
      availableBal: formatBaht(available),
      frzBal: formatBaht(frozen),
      unSettleBal: '0.00',
    };
  }

  function statement(body: Record<string, unknown>): Outcome {
    const type = body.type;
    const date = body.date;
    if (type === undefined || type === null || type === '') return refuse(THB_ERRORS.paramIsNull, 'type');
    if (date === undefined || date === null || date === '') return refuse(THB_ERRORS.paramIsNull, 'date');
    if (!Object.hasOwn(STATEMENT_KINDS, String(type)))
      return refuse(THB_ERRORS.illegalParam, 'type must be 15, 20 or 40');
    if (typeof date !== 'string' || !/^\d{8}$/.test(date))
      return refuse(THB_ERRORS.illegalParam, 'date must be yyyyMMdd');
    const fileUrl = `${config.baseUrl()}${STATEMENT_FILE_PREFIX}${String(type)}-${date}.csv`;
    return {
      data: {
        appId: /^\d{1,15}$/.test(config.appId) ? Number(config.appId) : config.appId,
        type: Number(type),
        date,
        fileUrl,
        expired: formatThaiTime(config.now() + 3_600_000),
      },
    };
  }

  /** The file behind a statement link: the day's orders of the kind, as CSV (Thailand days). */
  function statementFile(call: IncomingCall): Reply {
    const match = /^(\d+)-(\d{8})\.csv$/.exec(call.url.pathname.slice(STATEMENT_FILE_PREFIX.length));
    const kind = match ? ownEntry(STATEMENT_KINDS, match[1]!) : undefined;
    if (!match || kind === undefined) return jsonReply(404, { code: 404, message: 'Not found' });
    const day = match[2]!;
    const rows = config.store
      .list()
      .filter((o) => o.provider === 'thb-collect' && (kind === 'all' || o.kind === kind))
      .filter((o) => formatThaiTime(Date.parse(o.createdAt)).replace(/-/g, '').startsWith(day))
      .map((o) =>
        [
          o.kind,
          o.merchantOrderId,
          o.orderNo,
          o.amount,
          formatBaht(o.feeSatang),
          String(o.status),
          o.createdAt,
        ].join(','),
      );
    const body = ['kind,orderId,orderNo,amount,fee,status,createTime', ...rows].join('\n') + '\n';
    return { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8' }, body };
  }

  function voucher(body: Record<string, unknown>): Outcome | { voucher: string } {
    const orderNo = body.orderNo;
    if (orderNo === undefined || orderNo === null || orderNo === '')
      return refuse(THB_ERRORS.paramIsNull, 'orderNo');
    const order = config.store.byOrderNo(String(orderNo));
    if (order?.provider !== 'thb-collect' || order.kind !== 'payout') return refuse(THB_ERRORS.orderNotFound);
    // Vouchers exist for successful payouts only (frequently_asked_question.mdx).
    if (order.status !== 2) return refuse(THB_ERRORS.illegalParam, 'the payout has not succeeded');
    return { voucher: VOUCHER_PNG };
  }
}
