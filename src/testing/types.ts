/**
 * The public shapes of the sandbox: its options, the plain data it hands out (orders, deliveries, the
 * request log) and the names of its routes and faults. Everything here is JSON-safe data so the web page
 * and the CLI can show it as it is.
 */
import type { JwtGatewayPaths } from '../jwt-gateway/client';

/** Which provider an order or a route belongs to. */
export type SandboxProvider = 'jwt-gateway' | 'thb-collect';

/** What an order is: JWT gateway deposits and withdrawals, THB collect collections and payouts. */
export type SandboxOrderKind = 'deposit' | 'withdrawal' | 'collection' | 'payout';

/** The JWT gateway's order statuses, as its callbacks and order query spell them. */
export type JwtGatewayOrderStatus = 'pending' | 'completed' | 'failed' | 'expired';

/**
 * THB collect's integer statuses. Collections: 0 not started, 1 collecting, 2 succeeded, 3 failed,
 * 4 partially paid, 5 overpaid, -1 exception pending confirmation. Payouts use 0, 1, 2, 3 and -1.
 */
export type ThbOrderStatus = -1 | 0 | 1 | 2 | 3 | 4 | 5;

/** One status an order went through, with the moment it entered it. */
export interface SandboxStatusChange {
  /** The provider's status value entered (a string for the JWT gateway, an integer for THB collect). */
  status: JwtGatewayOrderStatus | ThbOrderStatus;
  /** ISO 8601 time the order entered this status. */
  at: string;
}

/**
 * An order as the sandbox holds it, as plain data (a copy: changing it changes nothing).
 *
 * Money is in satang (integers); `amount` repeats the ordered amount as a `"1000.00"` string for display.
 */
export interface SandboxOrder {
  /** The simulated provider that holds the order. */
  provider: SandboxProvider;
  /** Deposit or withdrawal (JWT gateway), collection or payout (THB collect). */
  kind: SandboxOrderKind;
  /** The provider's order number: `referenceId`/`order_no` (JWT gateway) or `orderNo` (THB collect). */
  orderNo: string;
  /** The merchant's id: `transactionId`, `agent_order_no` (JWT gateway) or `orderId` (THB collect). */
  merchantOrderId: string;
  /** The provider's own status value (a string for the JWT gateway, an integer for THB collect). */
  status: JwtGatewayOrderStatus | ThbOrderStatus;
  /** The ordered amount, `"1000.00"`. */
  amount: string;
  /** The ordered amount in satang. */
  amountSatang: number;
  /** The sandbox's fee in satang (by the `*FeeBps` options); 0 until the fee applies. */
  feeSatang: number;
  /**
   * JWT gateway: what the merchant gets (deposit: paid minus fee) or what the customer gets (withdrawal:
   * amount minus fee), 0 until completed. THB collect collection: the amount received (0 until paid).
   * THB collect payout: the amount paid out (0 until succeeded).
   */
  actualAmountSatang: number;
  /** What the customer paid (deposits and collections), `null` until paid. */
  paidAmountSatang: number | null;
  /** Where status changes are sent: `callbackUrl`/`callback_url` or `notifyUrl`; `null` when none. */
  notifyUrl: string | null;
  /** ISO 8601 time the order was created. */
  createdAt: string;
  /** ISO 8601 time of the order's last status change. */
  updatedAt: string;
  /** ISO 8601 time the order succeeded (completed / status 2, 4, 5), `null` otherwise. */
  completedAt: string | null;
  /** THB collect `payTime` (Thailand time, `yyyy-MM-dd HH:mm:ss`), `null` until paid. */
  payTime: string | null;
  /** Failure reason (`errorMsg` for THB collect), `null` unless failed. */
  errorMsg: string | null;
  /**
   * A payout's transaction `hash`: only stablecoin payouts have one (`CommonApi.mdx`), so THB collect
   * payouts and every other order keep `null`.
   */
  hash: string | null;
  /** The PromptPay payload handed out (deposits and collections). */
  qrCode: string | null;
  /** The sandbox payment page of a THB collect collection. */
  payUrl: string | null;
  /** Every status the order entered, oldest first. */
  history: SandboxStatusChange[];
  /** The create request's parameters, without `signature`/`sign`. */
  request: Record<string, unknown>;
}

/** One try at delivering a callback or notification. */
export interface SandboxDeliveryAttempt {
  /** 1 for the first try, 2 for the first retry, ... */
  attempt: number;
  /** ISO 8601 time the attempt started. */
  time: string;
  /** HTTP status of the merchant's answer; `null` when there was none (connection refused, timeout). */
  statusCode: number | null;
  /** The first 200 characters of the merchant's answer. */
  responseExcerpt: string;
  /**
   * The merchant answered as the provider requires: 2xx with `{"code":200}` (JWT gateway) or the plain
   * body `SUCCESS` (THB collect). Anything else is retried.
   */
  acknowledged: boolean;
  /** Why the attempt failed to reach the merchant, when it did. */
  error?: string;
}

/** A callback (JWT gateway) or notification (THB collect) and every try at delivering it. */
export interface SandboxDelivery {
  /** The sandbox's id of this message, `dlv_1`, `dlv_2`, ... */
  id: string;
  /** The provider that sends it. */
  provider: SandboxProvider;
  /** The provider's order number it is about. */
  orderNo: string;
  /** The merchant's order id it is about. */
  merchantOrderId: string;
  /** Where it is POSTed: the order's `callbackUrl` / `notifyUrl`. */
  url: string;
  /** The order status this message reports. */
  status: JwtGatewayOrderStatus | ThbOrderStatus;
  /** Media type of `body`: `application/json`, or `application/x-www-form-urlencoded` for form notifications. */
  contentType: string;
  /** The exact body sent, signature included. */
  body: string;
  /** `pending` while retries remain, then `acknowledged`, `gave-up` or `cancelled` (sandbox closed). */
  state: 'pending' | 'acknowledged' | 'gave-up' | 'cancelled';
  /** Why the message was sent: a status change, a resend, or an injected fault. */
  reason: 'status-change' | 'resend' | 'duplicate-callback' | 'out-of-order';
  /** Every try so far, oldest first. */
  attempts: SandboxDeliveryAttempt[];
}

/** One request the sandbox answered on a provider route (never headers or bodies: no secrets here). */
export interface SandboxRequestLogEntry {
  /** Sequence number, from 1 in arrival order. */
  id: number;
  /** ISO 8601 time the request arrived. */
  time: string;
  /** HTTP method, `GET` or `POST`. */
  method: string;
  /** Path without the query string. */
  path: string;
  /** The route it matched, or `null` for an unknown path. */
  route: SandboxRoute | null;
  /** HTTP status answered; `null` when the socket was destroyed without an answer. */
  status: number | null;
  /** The fault injected into this request, if any. */
  fault?: SandboxFaultKind;
}

/** Provider routes faults can be injected into. `*:callback`/`*:notify` are the outgoing messages. */
export type SandboxHttpRoute =
  | 'jwt:deposit'
  | 'jwt:withdraw'
  | 'jwt:balance'
  | 'jwt:order'
  | 'jwt:sign'
  | 'jwt:banks'
  | 'jwt:health'
  | 'thb:collect/apply'
  | 'thb:collect/query'
  | 'thb:pay/apply'
  | 'thb:pay/query'
  | 'thb:account/ledger'
  | 'thb:document/download'
  | 'thb:voucher';

/** THB collect's documented error codes (`api_description_guide.mdx`), for the `provider-error` fault. */
export type ThbSandboxErrorCode =
  | '1001'
  | '1002'
  | '1003'
  | '1004'
  | '4005'
  | '4011'
  | '4012'
  | '4013'
  | '4014'
  | '4015'
  | '4016'
  | '4031'
  | '5012';

/** Outgoing message routes: JWT gateway callbacks and THB collect notifications. */
export type SandboxCallbackRoute = 'jwt:callback' | 'thb:notify';

/** Every route name faults and the request log use. */
export type SandboxRoute = SandboxHttpRoute | SandboxCallbackRoute;

/**
 * Faults the sandbox can inject.
 *
 * - `timeout`: the request is held unanswered (not processed) and its socket destroyed after `delayMs`.
 * - `lost-response`: the request is processed (an order is created) and the socket destroyed unanswered.
 * - `5xx`: HTTP `status` (500 by default, or 502/503) with a JSON error body; not processed.
 * - `429`: HTTP 429 with a `Retry-After` of `retryAfterSeconds` (1 by default); not processed.
 * - `reset`: the socket is destroyed before the request is read or processed.
 * - `html`: HTTP 502 with an HTML error page (`text/html`), as a proxy in front would; not processed.
 * - `malformed-json`: the request is processed and the real answer cut in half (still `application/json`).
 * - `tampered-signature`: THB routes, callbacks and notifications: a field changed after signing.
 * - `duplicate-callback`: callback routes: each message is delivered twice, byte for byte.
 * - `out-of-order`: callback routes: after the new status, the previous status is delivered again.
 * - `provider-error`: THB routes: a refusal envelope with a documented `providerCode` (1004 by default)
 *   and its English response, e.g. 1003/1004 "the order may already be recorded" or 4031 "ip adress is
 *   Forbidden". On a create, `recorded: true` makes the order first (it exists though refused).
 */
export type SandboxFaultKind =
  | 'timeout'
  | 'lost-response'
  | '5xx'
  | '429'
  | 'reset'
  | 'html'
  | 'malformed-json'
  | 'tampered-signature'
  | 'duplicate-callback'
  | 'out-of-order'
  | 'provider-error';

/** How a fault behaves and how many times it fires. */
export interface SandboxFaultOptions {
  /** How many requests (or status changes, for callback routes) it affects; 1 by default, `Infinity` ok. */
  times?: number;
  /** `5xx` only: the status to answer, 500 by default. */
  status?: 500 | 502 | 503 | 504;
  /** `429` only: the `Retry-After` header in seconds, 1 by default. */
  retryAfterSeconds?: number;
  /** `timeout` only: how long to hold the request before destroying its socket, 30 000 ms by default. */
  delayMs?: number;
  /** `provider-error` only: the documented code to answer, `1004` by default. */
  providerCode?: ThbSandboxErrorCode;
  /** `provider-error` on a create only: make the order before answering the refusal. `false` by default. */
  recorded?: boolean;
}

/** A fault waiting to fire, as `faults()` lists it. */
export interface SandboxFault {
  /** The route it fires on. */
  route: SandboxRoute;
  /** What it does. */
  fault: SandboxFaultKind;
  /** Firings left. */
  remaining: number;
  /** `5xx` only: the HTTP status it answers. */
  status?: number;
  /** `429` only: the `Retry-After` it sends, in seconds. */
  retryAfterSeconds?: number;
  /** `timeout` only: how long a request is held before its socket is destroyed, in ms. */
  delayMs?: number;
  /** `provider-error` only: the code it answers. */
  providerCode?: ThbSandboxErrorCode;
  /** `provider-error` only: whether a create's order is made before the refusal. */
  recorded?: boolean;
}

/** JWT gateway endpoint paths below `/api/v1`: the client's (`DEFAULT_JWT_GATEWAY_PATHS`); each can be overridden. */
export type SandboxJwtGatewayPaths = JwtGatewayPaths;

/** JWT gateway side of the sandbox. */
export interface SandboxJwtGatewayOptions {
  /** Merchant id; `sandbox-merchant` by default. */
  merchantId?: string;
  /** API key; random by default. */
  apiKey?: string;
  /** Starting balance in baht; 50 000 by default (the doc's example). */
  startingBalance?: number;
  /** Deposit fee in basis points of the amount; 50 (0.5 %, the doc's 1000 → 995) by default. */
  depositFeeBps?: number;
  /** Withdrawal fee in basis points; 150 (1.5 %, the doc's 1000 → 15) by default. */
  withdrawalFeeBps?: number;
  /** Refuse requests whose `timestamp` is further than this from now (seconds). Off by default. */
  timestampToleranceSeconds?: number;
  /** Client IPs allowed; everyone by default. A refused client gets 403 `IP not in whitelist`. */
  allowedIps?: string[];
  /** Path overrides below `/api/v1`. */
  paths?: Partial<SandboxJwtGatewayPaths>;
  /**
   * How long a deposit QR stays valid; 5 minutes by default. Reported in `expireDate`, and a deposit
   * still pending then expires by itself: status `expired`, signed callback sent, as `expire(ref)` does.
   * The timer runs in real time (not on the `now` clock) and is cleared by a final status or `close()`.
   */
  depositExpiryMs?: number;
}

/** THB collect side of the sandbox. */
export interface SandboxThbCollectOptions {
  /** Business id (digits); random 4 digits by default. */
  appId?: string | number;
  /** Secret key appended to the sign string; random by default. */
  secretKey?: string;
  /** The merchant's public key (PEM SPKI/PKCS#1 or bare Base64 DER); a key pair is generated if absent. */
  merchantPublicKey?: string;
  /** The merchant's private key (PEM or bare Base64 PKCS#8/PKCS#1); its public key is then derived. */
  merchantPrivateKey?: string;
  /** The platform's private key; a 2048-bit key is generated if absent. */
  platformPrivateKey?: string;
  /** Collection fee in basis points of the amount received; 100 (1 %) by default. */
  collectionFeeBps?: number;
  /** Payout fee in basis points; 100 (1 %) by default. */
  payoutFeeBps?: number;
  /** Body format of notifications: JSON (default) or form-encoded. */
  notificationFormat?: 'json' | 'form';
  /** Extra fields added to every notification (signed too): to prove "new fields still verify". */
  notificationExtras?: Record<string, string>;
}

/** Options of {@link createSandbox}. */
export interface SandboxOptions {
  /** Port on 127.0.0.1; 0 (any free port) by default. */
  port?: number;
  /** Host to bind; `127.0.0.1` by default. */
  host?: string;
  /**
   * Extra names a request's `Host` may carry (with the sandbox's port), such as a Docker service name.
   * Without them only `localhost`, `127.0.0.1`, `[::1]` and the bound host are served: any other
   * `Host` is refused with 403, so a web page cannot reach the sandbox through DNS rebinding.
   */
  allowedHosts?: string[];
  /**
   * The token the `/_sandbox` controls that change state require in the `x-thaipay-sandbox-token`
   * header (at least 16 visible ASCII characters); a random one per sandbox by default. See
   * `Sandbox.controlToken`.
   */
  controlToken?: string;
  /** The simulated JWT gateway: credentials, fees, paths, IP whitelist. */
  jwtGateway?: SandboxJwtGatewayOptions;
  /** The simulated THB collect: credentials and keys, fees, notification format. */
  thbCollect?: SandboxThbCollectOptions;
  /** Shorthand for `thbCollect.notificationFormat`. */
  thbNotificationFormat?: 'json' | 'form';
  /**
   * Waits between delivery attempts, in ms; attempts = length + 1. Defaults: JWT gateway
   * [5 000, 30 000, 60 000, 300 000] (5 attempts), THB collect five times 300 000 (every 5 minutes,
   * up to 5 retries). One array sets both; an object sets each.
   */
  retryIntervalsMs?:
    | number[]
    | {
        /** Waits between JWT gateway callback attempts, in ms. */
        jwtGateway?: number[];
        /** Waits between THB collect notification attempts, in ms. */
        thbCollect?: number[];
      };
  /** Time limit of one delivery attempt; 10 000 ms by default. */
  deliveryTimeoutMs?: number;
  /** The clock (ms since epoch); `Date.now` by default. */
  now?: () => number;
}

/** What a client of the JWT gateway needs. */
export interface SandboxJwtGatewayCredentials {
  /** `${url}/api/v1` */
  baseUrl: string;
  /** The merchant id the sandbox expects. */
  merchantId: string;
  /** The API key: sent in `x-api-key` and keys the HS256 signatures both ways. */
  apiKey: string;
}

/** What a client of THB collect needs. */
export interface SandboxThbCollectCredentials {
  /** The sandbox URL (paths start with `/thb/...`). */
  baseUrl: string;
  /** The business id (digits). */
  appId: string;
  /** The merchant secret key appended to every sign string. */
  secretKey: string;
  /** Bare Base64 PKCS#8; `undefined` when only a merchant public key was given. */
  merchantPrivateKey: string | undefined;
  /** The same key as PEM (`-----BEGIN PRIVATE KEY-----`); `undefined` when only a public key was given. */
  merchantPrivateKeyPem: string | undefined;
  /** Bare Base64 X.509 SPKI. */
  merchantPublicKey: string;
  /** Bare Base64 X.509 SPKI. */
  platformPublicKey: string;
  /** The same key as PEM (`-----BEGIN PUBLIC KEY-----`). */
  platformPublicKeyPem: string;
}
