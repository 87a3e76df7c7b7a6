/**
 * The JWT gateway under `/api/v1`: deposit, withdraw, balance, order, sign, banks, health.
 *
 * Checks run in this order, each refusal in the doc's words: IP allow-list (403 "IP not in whitelist"),
 * `x-api-key` (401 "Invalid API key"), `merchantId` when present (403 "merchantId does not match API key"),
 * `signature` (400 "Invalid signature"), then the fields of the doc's tables (400 naming the field and
 * the rule), the optional timestamp window, and duplicates (400 "transactionId already exists" /
 * "agent_order_no already exists"). Successes answer in the doc's two envelope styles. `/order` takes
 * either id or both (each is optional in the doc's table); with both, only an order matching both is found.
 *
 * The callbacks these orders trigger (messages.ts) are the doc's example: every documented field, `timestamp`
 * a string, signed like a request (sorted, HS256, no `iat`). That token signs the order ids, status, amount
 * and timestamp, so it verifies under the SDK's callback contract with its defaults (a signed timestamp is
 * required); no `iat` is added, to keep to what the doc shows.
 */
import { BANKS, isBankCode } from '../banks';
import {
  asRecord,
  headerValue,
  type IncomingCall,
  isHttpUrl,
  jsonReply,
  type Reply,
  type RouteResolver,
} from './http';
import { bahtNumber, feeFromBps, formatBaht, satangFromNumber } from './money';
import type { OrderStore } from './orders';
import { buildPromptPayPayload } from './promptpay';
import {
  constantTimeEqual,
  jwtGatewaySortedParams,
  signJwtGatewayParams,
  verifyJwtGatewayParams,
} from './signing';
import type { SandboxHttpRoute, SandboxJwtGatewayPaths, SandboxOrder } from './types';
import { firstError, requireNumber, requireString } from './validation';

/** The prefix of every JWT gateway path. */
export const JWT_GATEWAY_PREFIX = '/api/v1';

/** Default paths below the prefix: the client's defaults, so a default client and sandbox agree. */
export { DEFAULT_JWT_GATEWAY_PATHS } from '../jwt-gateway/client';

/** The PromptPay id deposits are paid to (the doc's example number). */
export const JWT_GATEWAY_PROMPTPAY_NUMBER = '0812345678';

/** What the routes need. */
export interface JwtGatewayRouteConfig {
  merchantId: string;
  apiKey: string;
  allowedIps: readonly string[] | undefined;
  timestampToleranceSeconds: number | undefined;
  paths: SandboxJwtGatewayPaths;
  depositFeeBps: number;
  withdrawalFeeBps: number;
  depositExpiryMs: number;
  /** Called with each new deposit, once stored: the sandbox arms its expiry timer here. */
  onDepositCreated: (order: SandboxOrder) => void;
  store: OrderStore;
  now: () => number;
  startedAt: number;
}

const DEPOSIT_TYPES = ['QR', 'BANK_TRANSFER'];

function failure(code: number, message: string): Reply {
  return jsonReply(code, { code, message });
}

function success(data: unknown): Reply {
  return jsonReply(200, { code: 200, message: 'Success', data });
}

/**
 * The route resolver of the JWT gateway.
 *
 * @example
 * ```ts
 * const resolver = createJwtGatewayRoutes(config);
 * resolver('POST', '/api/v1/deposit'); // { route: 'jwt:deposit', handle }
 * ```
 */
export function createJwtGatewayRoutes(config: JwtGatewayRouteConfig): RouteResolver {
  const table: Array<[SandboxHttpRoute, string, string, (call: IncomingCall) => Reply]> = [
    ['jwt:deposit', 'POST', config.paths.deposit, handleDeposit],
    ['jwt:withdraw', 'POST', config.paths.withdraw, handleWithdraw],
    ['jwt:balance', 'POST', config.paths.balance, handleBalance],
    ['jwt:order', 'POST', config.paths.order, handleOrder],
    ['jwt:sign', 'POST', config.paths.sign, handleSign],
    ['jwt:banks', 'GET', config.paths.banks, handleBanks],
    ['jwt:health', 'GET', config.paths.health, handleHealth],
  ];

  return (method, pathname) => {
    if (!pathname.startsWith(`${JWT_GATEWAY_PREFIX}/`)) return undefined;
    const rest = pathname.slice(JWT_GATEWAY_PREFIX.length);
    const entry = table.find(([, , path]) => path === rest);
    if (!entry) return undefined;
    const [route, expected, , handler] = entry;
    if (method !== expected) return { handle: () => failure(405, 'Method not allowed') };
    return { route, handle: (call) => handler(call) };
  };

  /** IP, then API key. Undefined when the caller may go on. */
  function authenticate(
    call: IncomingCall,
    apiKey = headerValue(call.headers, 'x-api-key'),
  ): Reply | undefined {
    if (config.allowedIps && !config.allowedIps.includes(call.remoteAddress)) {
      return failure(403, 'IP not in whitelist');
    }
    if (apiKey === undefined || !constantTimeEqual(apiKey, config.apiKey)) {
      return failure(401, 'Invalid API key');
    }
    return undefined;
  }

  /** Parse, authenticate, check merchantId and signature: the signed endpoints' common start. */
  function signedBody(call: IncomingCall): { body: Record<string, unknown> } | { reply: Reply } {
    const denied = authenticate(call);
    if (denied) return { reply: denied };
    let body: Record<string, unknown> | undefined;
    try {
      body = asRecord(JSON.parse(call.body));
    } catch {
      body = undefined;
    }
    if (!body) return { reply: failure(400, 'Invalid JSON body') };
    if (body.merchantId !== undefined && body.merchantId !== config.merchantId) {
      return { reply: failure(403, 'merchantId does not match API key') };
    }
    if (!verifyJwtGatewayParams(body, config.apiKey)) return { reply: failure(400, 'Invalid signature') };
    return { body };
  }

  function staleTimestamp(timestamp: unknown): Reply | undefined {
    const tolerance = config.timestampToleranceSeconds;
    if (tolerance === undefined) return undefined;
    const seconds = Number(timestamp);
    if (Math.abs(Math.floor(config.now() / 1000) - seconds) > tolerance) {
      return failure(400, `timestamp is more than ${tolerance} seconds away from server time`);
    }
    return undefined;
  }

  function amountError(value: unknown): string | undefined {
    if (value === undefined || value === null || value === '') return 'amount is required';
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'amount must be a number';
    if (value <= 0) return 'amount must be greater than 0';
    if (satangFromNumber(value) === undefined) return 'amount must have at most 2 decimal places';
    return undefined;
  }

  function timestampOf(body: Record<string, unknown>): number {
    return Number(body.timestamp);
  }

  function newOrder(
    fields: Pick<
      SandboxOrder,
      | 'kind'
      | 'orderNo'
      | 'merchantOrderId'
      | 'amountSatang'
      | 'feeSatang'
      | 'notifyUrl'
      | 'qrCode'
      | 'request'
    >,
  ): SandboxOrder {
    const at = new Date(config.now()).toISOString();
    const order: SandboxOrder = {
      provider: 'jwt-gateway',
      ...fields,
      status: 'pending',
      amount: formatBaht(fields.amountSatang),
      actualAmountSatang: 0,
      paidAmountSatang: null,
      createdAt: at,
      updatedAt: at,
      completedAt: null,
      payTime: null,
      errorMsg: null,
      hash: null,
      payUrl: null,
      history: [{ status: 'pending', at }],
    };
    config.store.add(order);
    return order;
  }

  function withoutSignature(body: Record<string, unknown>): Record<string, unknown> {
    const { signature: _signature, ...rest } = body;
    return rest;
  }

  function handleDeposit(call: IncomingCall): Reply {
    const parsed = signedBody(call);
    if ('reply' in parsed) return parsed.reply;
    const { body } = parsed;
    const invalid = firstError([
      requireString(body, 'merchantId'),
      requireString(body, 'transactionId'),
      requireString(body, 'bankAccountNumber'),
      requireString(body, 'bankName'),
      requireString(body, 'name'),
      amountError(body.amount),
      requireString(body, 'callbackUrl'),
      requireString(body, 'type'),
      requireNumber(body, 'timestamp'),
    ]);
    if (invalid) return failure(400, invalid);
    if (!isBankCode(body.bankName)) return failure(400, 'bankName must be a supported bank code');
    if (!isHttpUrl(body.callbackUrl as string)) return failure(400, 'callbackUrl must be an http(s) URL');
    if (!DEPOSIT_TYPES.includes(body.type as string)) {
      return failure(400, `type must be one of ${DEPOSIT_TYPES.join(', ')}`);
    }
    const stale = staleTimestamp(body.timestamp);
    if (stale) return stale;
    const transactionId = body.transactionId as string;
    if (config.store.byMerchantId('deposit', transactionId)) {
      return failure(400, 'transactionId already exists');
    }

    const amountSatang = satangFromNumber(body.amount as number)!;
    const feeSatang = feeFromBps(amountSatang, config.depositFeeBps);
    const qrCode = buildPromptPayPayload(
      { type: 'mobile', value: JWT_GATEWAY_PROMPTPAY_NUMBER },
      amountSatang,
    );
    const order = newOrder({
      kind: 'deposit',
      orderNo: config.store.nextJwtOrderNo('DP', config.now()),
      merchantOrderId: transactionId,
      amountSatang,
      feeSatang,
      notifyUrl: body.callbackUrl as string,
      qrCode,
      request: withoutSignature(body),
    });
    config.onDepositCreated(order);
    return jsonReply(200, {
      status: 'success',
      message: 'Create Success',
      data: {
        merchantId: config.merchantId,
        referenceId: order.orderNo,
        transactionId,
        status: 'pending',
        amount: body.amount,
        depositAmount: bahtNumber(amountSatang - feeSatang),
        qrcode: qrCode,
        bankAccountNumber: body.bankAccountNumber,
        bankAccountName: 'Platform Bank Account',
        bankName: body.bankName,
        promptpayNumber: JWT_GATEWAY_PROMPTPAY_NUMBER,
        expireDate: new Date(config.now() + config.depositExpiryMs).toISOString(),
        customerData: { bankAccountNumber: body.bankAccountNumber, bankName: body.bankName, name: body.name },
      },
    });
  }

  function handleWithdraw(call: IncomingCall): Reply {
    const parsed = signedBody(call);
    if ('reply' in parsed) return parsed.reply;
    const { body } = parsed;
    const invalid = firstError([
      requireString(body, 'agent_order_no'),
      amountError(body.amount),
      requireString(body, 'bank_code'),
      requireString(body, 'account_no'),
      requireString(body, 'account_name'),
      requireString(body, 'callback_url'),
      requireString(body, 'timestamp'),
    ]);
    if (invalid) return failure(400, invalid);
    if (!isBankCode(body.bank_code)) return failure(400, 'bank_code must be a supported bank code');
    if (!isHttpUrl(body.callback_url as string)) return failure(400, 'callback_url must be an http(s) URL');
    if (!/^\d{1,12}$/.test(body.timestamp as string)) return failure(400, 'timestamp must be unix seconds');
    const stale = staleTimestamp(body.timestamp);
    if (stale) return stale;
    const agentOrderNo = body.agent_order_no as string;
    if (config.store.byMerchantId('withdrawal', agentOrderNo)) {
      return failure(400, 'agent_order_no already exists');
    }

    const amountSatang = satangFromNumber(body.amount as number)!;
    const reserved = config.store
      .list()
      .filter((o) => o.kind === 'withdrawal' && o.status === 'pending')
      .reduce((sum, o) => sum + o.amountSatang, 0);
    if (amountSatang > config.store.jwtBalanceSatang - reserved) return failure(400, 'Insufficient balance');
    const feeSatang = feeFromBps(amountSatang, config.withdrawalFeeBps);
    const order = newOrder({
      kind: 'withdrawal',
      orderNo: config.store.nextJwtOrderNo('WD', config.now()),
      merchantOrderId: agentOrderNo,
      amountSatang,
      feeSatang,
      notifyUrl: body.callback_url as string,
      qrCode: null,
      request: withoutSignature(body),
    });
    return success({
      order_no: order.orderNo,
      agent_order_no: agentOrderNo,
      amount: body.amount,
      fee: bahtNumber(feeSatang),
      transfer_amount: bahtNumber(amountSatang - feeSatang),
      status: 'pending',
    });
  }

  function handleBalance(call: IncomingCall): Reply {
    const parsed = signedBody(call);
    if ('reply' in parsed) return parsed.reply;
    const invalid = requireNumber(parsed.body, 'timestamp');
    if (invalid) return failure(400, invalid);
    const stale = staleTimestamp(timestampOf(parsed.body));
    if (stale) return stale;
    return success({ balance: bahtNumber(config.store.jwtBalanceSatang), currency: 'THB' });
  }

  function handleOrder(call: IncomingCall): Reply {
    const parsed = signedBody(call);
    if ('reply' in parsed) return parsed.reply;
    const { body } = parsed;
    const invalid = firstError([
      body.order_no === undefined ? undefined : requireString(body, 'order_no'),
      body.agent_order_no === undefined ? undefined : requireString(body, 'agent_order_no'),
      requireNumber(body, 'timestamp'),
    ]);
    if (invalid) return failure(400, invalid);
    if (body.order_no === undefined && body.agent_order_no === undefined) {
      return failure(400, 'order_no or agent_order_no is required');
    }
    const stale = staleTimestamp(body.timestamp);
    if (stale) return stale;
    const found = findOrder(body.order_no as string | undefined, body.agent_order_no as string | undefined);
    if (!found) return failure(404, 'Order not found');
    return success({
      order_no: found.orderNo,
      agent_order_no: found.merchantOrderId,
      status: found.status,
      amount: bahtNumber(found.amountSatang),
      fee: bahtNumber(found.feeSatang),
      actual_amount: bahtNumber(found.actualAmountSatang),
      created_at: found.createdAt,
      completed_at: found.completedAt,
    });
  }

  function findOrder(
    orderNo: string | undefined,
    agentOrderNo: string | undefined,
  ): SandboxOrder | undefined {
    if (orderNo !== undefined) {
      const byNumber = config.store.byOrderNo(orderNo);
      if (byNumber?.provider !== 'jwt-gateway') return undefined;
      return agentOrderNo === undefined || byNumber.merchantOrderId === agentOrderNo ? byNumber : undefined;
    }
    // A deposit and a withdrawal may share a merchant id; the newer one wins, as a "latest" lookup would.
    const candidates = [
      config.store.byMerchantId('deposit', agentOrderNo!),
      config.store.byMerchantId('withdrawal', agentOrderNo!),
    ].filter((o) => o !== undefined);
    return candidates.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  }

  function handleSign(call: IncomingCall): Reply {
    let body: Record<string, unknown> | undefined;
    try {
      body = asRecord(JSON.parse(call.body));
    } catch {
      body = undefined;
    }
    const bodyKey = typeof body?.api_key === 'string' ? body.api_key : undefined;
    const denied = authenticate(call, bodyKey ?? headerValue(call.headers, 'x-api-key'));
    if (denied) return denied;
    if (!body) return failure(400, 'Invalid JSON body');
    const params = asRecord(body.params);
    if (!params) return failure(400, 'params is required and must be an object');
    return success({
      signature: signJwtGatewayParams(params, config.apiKey),
      algorithm: 'HS256',
      payload: jwtGatewaySortedParams(params),
    });
  }

  function handleBanks(call: IncomingCall): Reply {
    const denied = authenticate(call);
    if (denied) return denied;
    return success({
      banks: BANKS.map((bank) => ({
        code: bank.code,
        name: bank.nameEn,
        name_th: bank.nameTh,
        active: true,
      })),
    });
  }

  function handleHealth(): Reply {
    return jsonReply(200, {
      code: 200,
      message: 'OK',
      data: {
        status: 'healthy',
        timestamp: new Date(config.now()).toISOString(),
        uptime: Math.round((config.now() - config.startedAt) / 100) / 10,
      },
    });
  }
}
