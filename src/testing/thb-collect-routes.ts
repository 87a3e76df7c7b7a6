/**
 * THB collect: `/thb/collect/apply`, `/thb/collect/query`, `/thb/pay/apply`, `/thb/pay/query`.
 *
 * Every answer is HTTP 200. Success: `{"status":"1","error":"00000000","msg":"","data":{...,"sign"}}`
 * with `data` signed by the platform key. Refusal: `{"status":"0","error":<code>,"msg":<text>,"data":null}`.
 * The provider publishes no error table, so the sandbox uses the codes of {@link THB_ERRORS}; clients
 * should recognise refusals by `msg` as they must with the real provider.
 *
 * Checks run in this order: body (JSON or form), `appId`, `sign`, the fields of the doc's tables
 * (required fields, orderId ≤ 48, amount `^\d+\.\d{2}$`, channel pairs, per-channel limits, formats),
 * then duplicates / lookups.
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
import type { SandboxFault, SandboxHttpRoute, SandboxOrder, SandboxOrderKind, ThbOrderStatus } from './types';
import { firstError, optionalString, requireString } from './validation';

/**
 * The sandbox's THB collect error codes (the provider documents none) and the `msg` each comes with.
 *
 * | error      | msg                                                               |
 * |------------|-------------------------------------------------------------------|
 * | `10000001` | a field rule: "`<field>` is required", "amount format error ..." |
 * | `10000002` | "sign error"                                                      |
 * | `10000003` | "orderId already exists"                                          |
 * | `10000004` | "order not found"                                                 |
 * | `10000005` | "appId not found"                                                 |
 * | `10000006` | "amount out of range: <channel> <min>-<max>"                      |
 * | `10000007` | unsupported channel: "payType ... does not support inBankCode ..."|
 */
export const THB_ERRORS = {
  /** A field breaks a rule of the document's tables (missing, format, length). */
  invalidParameter: '10000001',
  /** The request's `sign` does not verify with the merchant public key and secret key. */
  signError: '10000002',
  /** The orderId was already used. */
  duplicateOrder: '10000003',
  /** A query names an order the sandbox does not have. */
  orderNotFound: '10000004',
  /** The `appId` is not the sandbox's. */
  appIdNotFound: '10000005',
  /** The amount is outside the channel's limit. */
  amountOutOfRange: '10000006',
  /** The `payType` / `inBankCode` pair is not one the document allows. */
  unsupportedChannel: '10000007',
} as const;

/** The PromptPay id collections are paid to. */
export const THB_PROMPTPAY_NUMBER = '0898765432';

/** Collection channels: payType → the inBankCode it needs, its limit in baht, its `bankCode` answer. */
const COLLECTION_CHANNELS: Record<
  string,
  { inBankCode: string; max: number; label: string; bankCode: string }
> = {
  QR: { inBankCode: 'QR', max: 8000, label: 'QR', bankCode: 'PROMPTPAY' },
  PAYMENT_GATEWAY: { inBankCode: 'TM', max: 1000, label: 'TM', bankCode: 'TRUEMONEY' },
  // Cashier lets the customer choose QR or TrueMoney, so the larger (QR) limit applies.
  CASHIER: { inBankCode: 'CASHIER', max: 8000, label: 'CASHIER', bankCode: 'CASHIER' },
};

const PAYOUT_ACCOUNT_TYPES: Record<string, { max: number }> = {
  BANK_ACCOUNT: { max: 49999 },
  // The doc gives no e-wallet limit; the bank limit is the only figure it has.
  EWALLET: { max: 49999 },
};

const NAME_RULES = {
  collection: {
    pattern: /^(?=.*[A-Za-z])[A-Za-z !-]{1,30}$/,
    text: "name must be 1-30 English letters, spaces, '!' or '-'",
  },
  payout: {
    pattern: /^(?=.*[A-Za-z])[A-Za-z .'-]{1,30}$/,
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
  /** The sandbox URL, for `payUrl`. */
  baseUrl: () => string;
}

type Outcome = { data: Record<string, unknown> } | { error: string; msg: string };

function ownEntry<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function refuse(error: string, msg: string): Outcome {
  return { error, msg };
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
  const table: Record<string, [SandboxHttpRoute, (body: Record<string, unknown>) => Outcome]> = {
    '/thb/collect/apply': ['thb:collect/apply', collectApply],
    '/thb/collect/query': ['thb:collect/query', (body) => query(body, 'collection')],
    '/thb/pay/apply': ['thb:pay/apply', payApply],
    '/thb/pay/query': ['thb:pay/query', (body) => query(body, 'payout')],
  };

  return (method, pathname) => {
    // Own keys only: a path like /constructor must not find Object.prototype.
    const entry = Object.hasOwn(table, pathname) ? table[pathname] : undefined;
    if (!entry) return undefined;
    const [route, handler] = entry;
    if (method !== 'POST') {
      return {
        handle: () => jsonReply(405, { status: '0', error: '405', msg: 'Method not allowed', data: null }),
      };
    }
    return { route, handle: (call, fault) => answer(call, handler, fault) };
  };

  function answer(
    call: IncomingCall,
    handler: (body: Record<string, unknown>) => Outcome,
    fault: SandboxFault | undefined,
  ): Reply {
    const body = parseBody(call);
    const outcome = body
      ? (authorise(body) ?? handler(body))
      : refuse(THB_ERRORS.invalidParameter, 'request body must be a JSON object');
    if ('error' in outcome) {
      return jsonReply(200, { status: '0', error: outcome.error, msg: outcome.msg, data: null });
    }
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
    if (appId === undefined || appId === null || appId === '') {
      return refuse(THB_ERRORS.invalidParameter, 'appId is required');
    }
    if ((typeof appId !== 'string' && typeof appId !== 'number') || String(appId) !== config.appId) {
      return refuse(THB_ERRORS.appIdNotFound, 'appId not found');
    }
    if (!verifyThbParams(body, config.secretKey, config.merchantPublicKey)) {
      return refuse(THB_ERRORS.signError, 'sign error');
    }
    return undefined;
  }

  function commonChecks(
    body: Record<string, unknown>,
    kind: 'collection' | 'payout',
    required: string[],
  ): string | undefined {
    const missing = firstError(required.map((field) => requireString(body, field)));
    if (missing) return missing;
    const optional = firstError(['notifyUrl', 'subject', 'body'].map((field) => optionalString(body, field)));
    if (optional) return optional;
    const orderId = body.orderId as string;
    if (orderId.length > 48) return 'orderId must be at most 48 characters';
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
      return refuse(THB_ERRORS.amountOutOfRange, `amount out of range: ${label} 1-${max}`);
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
    if (invalid) return refuse(THB_ERRORS.invalidParameter, invalid);
    const channel = ownEntry(COLLECTION_CHANNELS, body.payType as string);
    if (!channel) return refuse(THB_ERRORS.unsupportedChannel, `unsupported payType ${body.payType}`);
    if (body.inBankCode !== channel.inBankCode) {
      return refuse(
        THB_ERRORS.unsupportedChannel,
        `payType ${body.payType} does not support inBankCode ${body.inBankCode}; use ${channel.inBankCode}`,
      );
    }
    const amountSatang = satangFromString(body.amount as string)!;
    const range = outOfRange(amountSatang, channel.label, channel.max);
    if (range) return range;
    if (config.store.byMerchantId('collection', body.orderId as string)) {
      return refuse(THB_ERRORS.duplicateOrder, 'orderId already exists');
    }
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
    if (invalid) return refuse(THB_ERRORS.invalidParameter, invalid);
    const accountType = ownEntry(PAYOUT_ACCOUNT_TYPES, body.accountType as string);
    if (!accountType) {
      return refuse(THB_ERRORS.invalidParameter, 'accountType must be BANK_ACCOUNT or EWALLET');
    }
    if (body.accountType === 'BANK_ACCOUNT' && !isBankCode(body.bankCode)) {
      return refuse(THB_ERRORS.unsupportedChannel, `unsupported bankCode ${body.bankCode}`);
    }
    if (!/^\d{6,20}$/.test(body.accountNo as string)) {
      return refuse(THB_ERRORS.invalidParameter, 'accountNo must be 6-20 digits');
    }
    const amountSatang = satangFromString(body.amount as string)!;
    const range = outOfRange(amountSatang, body.accountType as string, accountType.max);
    if (range) return range;
    if (config.store.byMerchantId('payout', body.orderId as string)) {
      return refuse(THB_ERRORS.duplicateOrder, 'orderId already exists');
    }
    const orderNo = config.store.nextThbOrderNo('3', config.now());
    newOrder(body, 'payout', { orderNo, qrCode: null, payUrl: null });
    return { data: { orderId: body.orderId, orderNo } };
  }

  function query(body: Record<string, unknown>, kind: SandboxOrderKind): Outcome {
    const invalid = firstError([requireString(body, 'orderId'), optionalString(body, 'orderNo')]);
    if (invalid) return refuse(THB_ERRORS.invalidParameter, invalid);
    const order = config.store.byMerchantId(kind, body.orderId as string);
    const orderNo = body.orderNo;
    if (!order || (typeof orderNo === 'string' && orderNo !== '' && orderNo !== order.orderNo)) {
      return refuse(THB_ERRORS.orderNotFound, 'order not found');
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
}
