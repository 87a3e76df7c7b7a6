/**
 * The one request path of thaipay: every provider call goes through {@link Transport.send}.
 *
 * Modelled on stripe-node's RequestSender: a single loop owns the retry policy and the overall deadline,
 * and signing runs as a per-attempt step, so a retried request carries a fresh timestamp and signature.
 * Each attempt goes to a carrier (./http/carrier.ts): `node:http`/`node:https` with keep-alive Agents on
 * Node, the global `fetch` elsewhere, a `fetch` given by the user always. The carrier bounds the attempt
 * (headers and body) with one timer, refuses redirects and answers over `maxResponseBytes`, and says
 * whether a failed request provably never left; the retry decisions and the error mapping stay here, where
 * a create can be told apart from a read. ARCHITECTURE.md ("The request's way") walks through it.
 *
 * Hooks only ever see redacted deep copies (made only when a hook is set), and every error built here is
 * scrubbed of the known secrets.
 */

import { ApiError, ConnectionError, InvalidRequestError, ThaiPayError, TimeoutError } from './errors';
import {
  CARRIER_KIT,
  type Carrier,
  CarrierFailure,
  type CarrierResponse,
  loadNodeHttp,
  type NodeHttpModules,
  type Origin,
} from './http/carrier';
import { createFetchCarrier } from './http/fetch-carrier';
import { redactDeep, redactSecrets } from './redact';

/** What a `beforeRequest` hook is shown: a redacted deep copy of the attempt about to be sent. */
export interface BeforeRequestInfo {
  method: string;
  url: string;
  /** Lower-case header names; redacted ones read `[REDACTED]`. */
  headers: Record<string, string>;
  /** The (signed) body to be sent, every string scrubbed of secrets. */
  body?: unknown;
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

/** What an `afterResponse` hook is shown for every HTTP answer, whatever its status. */
export interface AfterResponseInfo {
  method: string;
  url: string;
  status: number;
  /** The parsed JSON body, scrubbed of secrets; for a body that is not JSON, a scrubbed excerpt string. */
  body: unknown;
  attempt: number;
  /** From just before the request left until the whole body was read. */
  durationMs: number;
}

/** What an `onError` hook is shown when an attempt ends without a usable answer. */
export interface AttemptErrorInfo {
  method: string;
  url: string;
  attempt: number;
  durationMs: number;
  /** The thaipay error for this attempt (already free of secrets). */
  error: ThaiPayError;
  /** Whether the transport will try again after this failure. */
  willRetry: boolean;
}

/**
 * Observers of the request path, for logging and metrics. They are awaited, their time counts toward the
 * deadline, and whatever they throw is caught and ignored: a logging hook must never break a payment call.
 * They get deep copies, so changing what they are given changes nothing that is sent or returned.
 */
export interface TransportHooks {
  /** Called before each attempt is sent (retries included), with the signed request, redacted. */
  beforeRequest?(info: BeforeRequestInfo): void | Promise<void>;
  /** Called for every HTTP answer, whatever its status, with the parsed body, redacted. */
  afterResponse?(info: AfterResponseInfo): void | Promise<void>;
  /** Called when an attempt ends without a usable answer (network error, timeout), and whether it is retried. */
  onError?(info: AttemptErrorInfo): void | Promise<void>;
}

/** Options of a {@link Transport}. */
export interface TransportOptions {
  /**
   * Absolute URL; request paths are appended to it, keeping a base path such as `/api/v1`. `https://`,
   * or `http://` for a loopback host (127.0.0.0/8, `::1`, `localhost`) or with `allowInsecureHttp`.
   */
  baseUrl: string;
  /**
   * Allow an `http://` base URL on a host that is not loopback: the API key and every signed body would
   * then cross the network in clear. Default false.
   */
  allowInsecureHttp?: boolean;
  /** Bytes of answer body accepted; a longer answer fails the attempt without being buffered. Default 1 MiB. */
  maxResponseBytes?: number;
  /** Time allowed for one attempt, body included. Default 15 000 ms. */
  timeoutMs?: number;
  /** Time allowed for one `send()`, retries and waits included. Default 60 000 ms. */
  deadlineMs?: number;
  /** Retries after the first attempt, for sends marked `retry: true`. Default 2. */
  maxRetries?: number;
  /**
   * A fetch to send with instead of the runtime's carrier (`node:http` on Node, the global `fetch`
   * elsewhere). Called as `fetch(url, init)` with `redirect: 'manual'`.
   */
  fetch?: typeof fetch;
  /** Headers sent on every request, such as `x-api-key`. */
  headers?: Record<string, string>;
  /**
   * Header names (any case) shown to hooks as `[REDACTED]`. `authorization`, `proxy-authorization`,
   * `cookie` and `x-api-key` are always redacted; the values of redacted headers are also treated as secrets.
   */
  redactHeaders?: string[];
  /** Strings scrubbed from everything given to hooks or put into errors (API key, secret key, ...). */
  secrets?: string[];
  hooks?: TransportHooks;
  /** Base of the jittered exponential backoff. Default 250 ms. */
  retryBaseDelayMs?: number;
  /** Cap of one backoff wait. Default 5 000 ms. */
  retryMaxDelayMs?: number;
}

/**
 * Seams for tests and for runtimes with their own timers. Not needed in normal use.
 */
export interface TransportInternals {
  /** Waits `ms`; should reject when `signal` aborts. Default: setTimeout. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Uniform in [0, 1), for backoff jitter. Default: Math.random. */
  random?: () => number;
  /** Wall-clock ms since epoch, for the deadline and `Retry-After` dates. Default: Date.now. */
  now?: () => number;
}

/** One call of {@link Transport.send}. */
export interface SendOptions {
  method: 'GET' | 'POST';
  /** Path below `baseUrl`, with or without a leading slash. */
  path: string;
  /** JSON body of a POST. A GET carries none. */
  body?: Record<string, unknown>;
  /**
   * Called before EVERY attempt with a fresh copy of `body`; returns the body to send (with timestamp and
   * signature). So a retry is re-signed. What it throws is passed on unchanged, with no retry.
   */
  sign?: (body: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /**
   * `true` for reads: retried on network errors, timeouts, 5xx and 429. `false` for creates: exactly one
   * attempt, never a blind retry (the provider may have acted on a request whose answer was lost).
   */
  retry: boolean;
  /** Aborts the call, including any wait between attempts. */
  signal?: AbortSignal;
  /** This call's per-attempt time limit, instead of the transport's `timeoutMs`. */
  timeoutMs?: number;
  /**
   * An earlier end than this send's own deadline, from {@link Transport.deadlineFromNow}: a create
   * makes several sends (re-sends, then the query that reconciles them) under one overall deadline.
   */
  deadlineAt?: number;
}

/** An HTTP answer whose body is JSON, whatever its status (never a redirect). */
export interface TransportResponse {
  status: number;
  /** The answer's headers (built when first read). */
  readonly headers: Headers;
  /** The parsed JSON body, untouched. */
  body: unknown;
  /** How many attempts were made, 1 when the first one was used. */
  attempts: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_DEADLINE_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;
const DEFAULT_RETRY_BASE_DELAY_MS = 250;
const DEFAULT_RETRY_MAX_DELAY_MS = 5_000;
const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
/** setTimeout refuses longer timers. */
const MAX_TIMER_MS = 2_147_483_647;
const EXCERPT_MAX_CHARS = 200;
const REDACTED = '[REDACTED]';
const ALWAYS_REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];

/**
 * How long a `Retry-After` header asks to wait, in ms, or `undefined` when it says nothing usable.
 * Accepts delta-seconds (`"2"`) and an HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`); a date in the
 * past gives 0.
 *
 * @example
 * ```ts
 * parseRetryAfter('3', Date.now()); // 3000
 * parseRetryAfter(new Date(Date.now() + 5000).toUTCString(), Date.now()); // about 5000
 * parseRetryAfter('soon', Date.now()); // undefined
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP-date always names a day or month; requiring letters keeps Date.parse from reading "-1" or
  // "2025" as dates.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * The wait before retry number `retry` (0 for the first retry): "full jitter" exponential backoff, a
 * random time in [0, min(maxMs, baseMs * 2^retry)). Jitter keeps many clients from retrying in step.
 *
 * @example
 * ```ts
 * computeBackoff(0, 250, 5000, Math.random); // 0..250
 * computeBackoff(3, 250, 5000, () => 0.5); // 1000
 * computeBackoff(10, 250, 5000, () => 0.999); // just under 5000
 * ```
 */
export function computeBackoff(retry: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry));
  return Math.floor(random() * ceiling);
}

/**
 * Append a request path to a base URL without losing the base's own path: `https://x/api/v1` +
 * `/deposit` gives `https://x/api/v1/deposit` (unlike `new URL('/deposit', base)`, which drops `/api/v1`).
 *
 * @example
 * ```ts
 * joinUrl('https://x/api/v1/', '/deposit'); // 'https://x/api/v1/deposit'
 * ```
 */
export function joinUrl(baseUrl: string, path: string): string {
  const base = baseUrl.replace(/\/+$/, '');
  const tail = path.replace(/^\/+/, '');
  return tail === '' ? base : `${base}/${tail}`;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Collapse whitespace, scrub secrets, keep at most 200 characters. Scrub before cutting, so a cut can
 * never leave half a secret behind. */
function excerptOf(text: string, secrets: readonly string[]): string {
  const collapsed = redactSecrets(redactSecrets(text, secrets).replace(/\s+/g, ' ').trim(), secrets);
  return collapsed.length <= EXCERPT_MAX_CHARS ? collapsed : `${collapsed.slice(0, EXCERPT_MAX_CHARS - 1)}…`;
}

/** The short text of a fetch failure, such as `fetch failed (ECONNREFUSED)`. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  return typeof code === 'string' && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message;
}

/**
 * A fetch failure fit to keep as an error's `cause`: its name, message, `code` and stack, and those of its
 * own causes, scrubbed of secrets. The original may hold more (some fetch wrappers attach the request,
 * headers and all) and loggers print causes, so it is never kept as it is.
 */
function scrubbedCause(error: unknown, secrets: readonly string[], depth = 0): Error {
  if (!(error instanceof Error)) return new Error(redactSecrets(String(error), secrets));
  const inner =
    error.cause !== undefined && depth < 4 ? scrubbedCause(error.cause, secrets, depth + 1) : undefined;
  const copy = new Error(redactSecrets(error.message, secrets), inner ? { cause: inner } : undefined);
  copy.name = error.name;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  copy.stack = redactSecrets(error.stack ?? '', secrets);
  return copy;
}

/** How one attempt ended. */
type Outcome =
  | { kind: 'response'; response: TransportResponse; retryAfterMs?: number }
  | { kind: 'error'; error: ThaiPayError; retryable: boolean; retryAfterMs?: number };

/** A request path below the base URL, joined (and its URL scrubbed) once, reused by every call to it. */
interface Target {
  url: string;
  path: string;
  /** The URL as shown in messages and hooks: scrubbed of secrets. */
  safeUrl: string;
}

/** One call of {@link Transport.send}: what every attempt of it shares. A plain object (a getter in
 * an object literal costs a runtime call per call). */
interface SendContext extends Target {
  method: 'GET' | 'POST';
  options: SendOptions;
  deadlineAt: number;
  maxAttempts: number;
  timeoutMs: number;
}

/** A JSON answer; its `Headers` are built from the carrier's answer only when read. */
class Answer implements TransportResponse {
  declare readonly status: number;
  declare readonly body: unknown;
  declare readonly attempts: number;
  declare readonly carried: CarrierResponse;

  constructor(status: number, body: unknown, attempts: number, carried: CarrierResponse) {
    this.status = status;
    this.body = body;
    this.attempts = attempts;
    this.carried = carried;
  }

  get headers(): Headers {
    return this.carried.headers();
  }
}

/** What the node carrier module exports (loaded on first use, see ./http/node-carrier.ts). */
type NodeCarrierModule = typeof import('./http/node-carrier');

/**
 * Sends requests to one provider: joins paths to the base URL, signs each attempt, applies the timeout,
 * the retry policy and the overall deadline, and turns every failure into a thaipay error.
 *
 * A JSON answer is returned whatever its status (after retries are spent for 5xx/429): the provider
 * layers map envelopes and statuses to error classes. A body that is not JSON (or longer than
 * `maxResponseBytes`) gives an `ApiError` with code `invalid_response`; a redirect an `ApiError` with code
 * `redirect_refused`; a network fault a `ConnectionError` (with `requestSent`); no answer in time a
 * `TimeoutError`; the caller's abort a `ThaiPayError` with code `aborted`.
 *
 * @example
 * ```ts
 * const transport = new Transport({
 *   baseUrl: 'https://gateway.example/api/v1',
 *   headers: { 'x-api-key': apiKey },
 *   secrets: [apiKey],
 * });
 * const { status, body } = await transport.send({
 *   method: 'POST',
 *   path: '/deposit',
 *   body: { merchantId, amount: 100 },
 *   sign: async (params) => ({ ...params, signature: await signJwtGatewayParams(params, apiKey) }),
 *   retry: false,
 * });
 * await transport.close();
 * ```
 */
export class Transport {
  readonly #baseUrl: string;
  readonly #origin: Origin;
  readonly #basePath: string;
  readonly #targets = new Map<string, Target>();
  readonly #timeoutMs: number;
  readonly #deadlineMs: number;
  readonly #maxRetries: number;
  readonly #maxResponseBytes: number;
  readonly #retryBaseDelayMs: number;
  readonly #retryMaxDelayMs: number;
  readonly #getHeaders: Record<string, string>;
  readonly #postHeaders: Record<string, string>;
  readonly #redactHeaders: ReadonlySet<string>;
  readonly #secrets: readonly string[];
  readonly #hooks: TransportHooks | undefined;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;
  /** The carrier, or the Node modules it will be built on once its module is loaded. */
  #carrier: Carrier | undefined;
  readonly #nodeModules: NodeHttpModules | undefined;
  #loading: Promise<Carrier> | undefined;

  constructor(options: TransportOptions, internals: TransportInternals = {}) {
    const url = checkBaseUrl(options.baseUrl, options.allowInsecureHttp === true);
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.#origin = { protocol: url.protocol, hostname: url.hostname, port: url.port };
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#timeoutMs = checkMs('timeoutMs', options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 1);
    this.#deadlineMs = checkMs('deadlineMs', options.deadlineMs ?? DEFAULT_DEADLINE_MS, 1);
    this.#retryBaseDelayMs = checkMs(
      'retryBaseDelayMs',
      options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS,
      0,
    );
    this.#retryMaxDelayMs = checkMs(
      'retryMaxDelayMs',
      options.retryMaxDelayMs ?? DEFAULT_RETRY_MAX_DELAY_MS,
      0,
    );
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw InvalidRequestError.field('maxRetries', 'must be a whole number of 0 or more');
    }
    this.#maxRetries = maxRetries;
    const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (!Number.isSafeInteger(maxResponseBytes) || maxResponseBytes < 1) {
      throw InvalidRequestError.field('maxResponseBytes', 'must be a whole number of bytes of 1 or more');
    }
    this.#maxResponseBytes = maxResponseBytes;
    if (options.fetch !== undefined && typeof options.fetch !== 'function') {
      throw InvalidRequestError.field('fetch', 'must be a fetch function');
    }
    // A user's fetch always wins; else node:http where it can be reached without a static import.
    this.#nodeModules = options.fetch ? undefined : loadNodeHttp();
    this.#carrier = this.#nodeModules ? undefined : createFetchCarrier(options.fetch);

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    // Built once: every call shares them (carriers do not change them).
    this.#getHeaders = { accept: 'application/json', ...headers };
    this.#postHeaders = { accept: 'application/json', 'content-type': 'application/json', ...headers };
    this.#redactHeaders = new Set([
      ...ALWAYS_REDACTED_HEADERS,
      ...(options.redactHeaders ?? []).map((name) => name.toLowerCase()),
    ]);
    // A redacted header's value is a credential: scrub it everywhere, even if the caller forgot to list it.
    const headerSecrets = Object.entries(headers)
      .filter(([name]) => this.#redactHeaders.has(name))
      .map(([, value]) => value);
    this.#secrets = [...(options.secrets ?? []), ...headerSecrets].filter((s) => s.length > 0);
    this.#hooks = options.hooks;
    this.#sleep = internals.sleep ?? defaultSleep;
    this.#random = internals.random ?? Math.random;
    this.#now = internals.now ?? Date.now;
  }

  /**
   * Which carrier sends: `'node'` (node:http with keep-alive Agents) or `'fetch'` (the global or the
   * user's `fetch`).
   *
   * @example
   * ```ts
   * new Transport({ baseUrl: 'https://gateway.example/api/v1' }).carrier; // 'node' on Node
   * ```
   */
  get carrier(): 'node' | 'fetch' {
    return this.#nodeModules ? 'node' : 'fetch';
  }

  /**
   * Let go of kept-alive connections (the node carrier's Agents), so a script can exit at once. A later
   * send opens new connections.
   *
   * @example
   * ```ts
   * await transport.close();
   * ```
   */
  async close(): Promise<void> {
    const carrier = this.#carrier ?? (await this.#loading?.catch(() => undefined));
    await carrier?.close();
  }

  /**
   * When a call starting now must end, in this transport's clock: pass it as `deadlineAt` to every send
   * of a call that makes several, so `deadlineMs` bounds the whole call.
   *
   * @example
   * ```ts
   * const deadlineAt = transport.deadlineFromNow();
   * await transport.send({ method: 'POST', path: '/deposit', body, retry: false, deadlineAt });
   * await transport.send({ method: 'POST', path: '/order', body: query, retry: true, deadlineAt });
   * ```
   */
  deadlineFromNow(): number {
    return this.#now() + this.#deadlineMs;
  }

  /**
   * Milliseconds left until `deadlineAt` (from {@link deadlineFromNow}), never below 0.
   *
   * @example
   * ```ts
   * await sleep(Math.min(resendDelayMs, transport.msUntil(deadlineAt)));
   * ```
   */
  msUntil(deadlineAt: number): number {
    return Math.max(0, deadlineAt - this.#now());
  }

  /**
   * Send one request, retrying it when `retry` is true and the failure is worth another try.
   *
   * @example
   * ```ts
   * const { body } = await transport.send({ method: 'GET', path: '/banks', retry: true });
   * ```
   */
  async send(options: SendOptions): Promise<TransportResponse> {
    if (options.method === 'GET' && (options.body !== undefined || options.sign !== undefined)) {
      throw InvalidRequestError.field('body', 'a GET request carries no body; send it as a POST');
    }
    const timeoutMs =
      options.timeoutMs === undefined ? this.#timeoutMs : checkMs('timeoutMs', options.timeoutMs, 1);
    const { url, path, safeUrl } = this.#target(options.path);
    const now = this.#now();
    const context: SendContext = {
      url,
      path,
      safeUrl,
      method: options.method,
      options,
      deadlineAt:
        options.deadlineAt === undefined
          ? now + this.#deadlineMs
          : Math.min(now + this.#deadlineMs, options.deadlineAt),
      maxAttempts: options.retry ? this.#maxRetries + 1 : 1,
      timeoutMs,
    };

    let last: Outcome | undefined;
    for (let attempt = 1; ; attempt++) {
      this.#throwIfAborted(context, attempt > 1);
      if (last !== undefined && this.#now() >= context.deadlineAt) return settle(last);

      const started = this.#hooks?.onError ? this.#now() : 0;
      const outcome = await this.#attempt(context, attempt);
      last = outcome;
      // The common case, a first answer worth returning, leaves here with no more work.
      if (outcome.kind === 'response' && outcome.response.status < 500 && outcome.response.status !== 429) {
        return outcome.response;
      }

      const wait = this.#nextWait(context, outcome, attempt);
      // Hooks are awaited only when set: an await per attempt and per hook is measurable on a fast server.
      if (outcome.kind === 'error' && this.#hooks?.onError) {
        await this.#safely(() =>
          this.#hooks?.onError?.({
            method: context.method,
            url: context.safeUrl,
            attempt,
            durationMs: this.#now() - started,
            error: outcome.error,
            willRetry: wait !== undefined,
          }),
        );
      }
      if (wait === undefined) return settle(outcome);

      if (wait > 0) {
        try {
          await this.#sleep(wait, options.signal);
        } catch {
          // Only an abort interrupts the wait; it is reported as such just below.
        }
      }
      this.#throwIfAborted(context, true);
    }
  }

  /** The URL, path and scrubbed URL of a request path, made once per distinct path. */
  #target(path: string): Target {
    let target = this.#targets.get(path);
    if (!target) {
      const tail = path.replace(/^\/+/, '');
      const url = tail === '' ? this.#baseUrl : `${this.#baseUrl}/${tail}`;
      target = {
        url,
        path: tail === '' ? this.#basePath || '/' : `${this.#basePath}/${tail}`,
        safeUrl: redactSecrets(url, this.#secrets),
      };
      // Paths are a handful of constants per client; the bound only guards against a caller's variety.
      if (this.#targets.size < 64) this.#targets.set(path, target);
    }
    return target;
  }

  /** The carrier, loading the node carrier's module on the first call that needs it. */
  #carrierNow(): Carrier | Promise<Carrier> {
    if (this.#carrier) return this.#carrier;
    const modules = this.#nodeModules!;
    this.#loading ??= import('./http/node-carrier').then(
      (loaded: NodeCarrierModule) => {
        this.#carrier = loaded.createNodeCarrier(modules, CARRIER_KIT);
        return this.#carrier;
      },
      (error: unknown) => {
        this.#loading = undefined;
        throw error;
      },
    );
    return this.#loading;
  }

  /** The wait before the next attempt, or `undefined` to stop with this outcome. */
  #nextWait(context: SendContext, outcome: Outcome, attempt: number): number | undefined {
    const retryable =
      outcome.kind === 'error'
        ? outcome.retryable
        : outcome.response.status >= 500 || outcome.response.status === 429;
    if (!context.options.retry || !retryable || attempt >= context.maxAttempts) return undefined;
    const wait =
      outcome.retryAfterMs ??
      computeBackoff(attempt - 1, this.#retryBaseDelayMs, this.#retryMaxDelayMs, this.#random);
    // Never sleep past the deadline: waiting only to have no time left for the attempt helps nobody.
    if (this.#now() + wait >= context.deadlineAt) return undefined;
    return wait;
  }

  async #attempt(context: SendContext, attempt: number): Promise<Outcome> {
    const { method, options } = context;
    let body: Record<string, unknown> | undefined;
    if (method === 'POST') {
      const given = options.body ?? {};
      // The signer gets its own copy on every attempt, so nothing it adds leaks into the next; without a
      // signer JSON.stringify only reads the body, so no copy is needed.
      body = options.sign ? await options.sign(freshCopy(given)) : given;
    }
    const headers = method === 'POST' ? this.#postHeaders : this.#getHeaders;

    if (this.#hooks?.beforeRequest) {
      await this.#safely(() =>
        this.#hooks?.beforeRequest?.({
          method,
          url: context.safeUrl,
          headers: this.#redactedHeaders(headers),
          ...(body === undefined ? {} : { body: redactDeep(body, this.#secrets) }),
          attempt,
        }),
      );
    }
    this.#throwIfAborted(context, attempt > 1);

    const remaining = context.deadlineAt - this.#now();
    if (remaining <= 0) {
      // Nothing of this attempt left; an earlier attempt of this call did, if there was one.
      return {
        kind: 'error',
        error: this.#timeoutError(context, attempt, true, attempt > 1),
        retryable: false,
      };
    }
    const budget = Math.min(context.timeoutMs, remaining, MAX_TIMER_MS);

    const started = this.#hooks?.afterResponse ? this.#now() : 0;
    try {
      const carrier = this.#carrier ?? (await this.#carrierNow());
      const response = await carrier.send({
        method,
        origin: this.#origin,
        url: context.url,
        path: context.path,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        timeoutMs: budget,
        maxResponseBytes: this.#maxResponseBytes,
        signal: options.signal,
      });
      return this.#readOutcome(context, attempt, response, this.#now() - started);
    } catch (error) {
      if (options.signal?.aborted) throw this.#abortedError(context, true);
      if (!(error instanceof CarrierFailure)) {
        // The node carrier's module failed to load: nothing was sent.
        return {
          kind: 'error',
          error: this.#connectionError(context, attempt, error, false, false),
          retryable: false,
        };
      }
      return this.#failureOutcome(context, attempt, error, budget < context.timeoutMs);
    }
  }

  #failureOutcome(
    context: SendContext,
    attempt: number,
    failure: CarrierFailure,
    byDeadline: boolean,
  ): Outcome {
    switch (failure.kind) {
      case 'timeout':
        // No `cause`: what an aborted fetch rejects with can hold the request, headers (API key) included.
        return { kind: 'error', error: this.#timeoutError(context, attempt, byDeadline), retryable: true };
      case 'aborted':
        throw this.#abortedError(context, failure.requestSent);
      case 'redirect':
        return { kind: 'error', error: this.#redirectError(context, failure), retryable: false };
      case 'too_large': {
        const status = failure.status ?? 0;
        const error = new ApiError(
          `${context.method} ${context.safeUrl} answered HTTP ${status} with a body over the ${this.#maxResponseBytes}-byte limit (maxResponseBytes); it was not read.`,
          {
            code: 'invalid_response',
            status,
            raw: { excerpt: '', reason: 'too_large', limitBytes: this.#maxResponseBytes },
          },
        );
        return { kind: 'error', error, retryable: status >= 500 || status === 429 };
      }
      default: {
        const error = this.#connectionError(
          context,
          attempt,
          failure.cause,
          failure.requestSent,
          failure.reusedSocket,
        );
        // A kept-alive socket the server had closed is stale, not a sign of trouble: retry at once.
        const retryAfterMs = failure.reusedSocket && failure.retryable ? 0 : undefined;
        return { kind: 'error', error, retryable: failure.retryable, retryAfterMs };
      }
    }
  }

  /** The outcome of an answer; a promise only when an `afterResponse` hook is to be awaited first. */
  #readOutcome(
    context: SendContext,
    attempt: number,
    response: CarrierResponse,
    durationMs: number,
  ): Outcome | Promise<Outcome> {
    const { status, text } = response;
    const retryAfterMs =
      status === 429 || status === 503
        ? parseRetryAfter(response.header('retry-after'), this.#now())
        : undefined;

    // JSON.parse never gives `undefined`: it marks a body that is not JSON. (Both carriers drop a byte
    // order mark, so `text` starts with the JSON itself.)
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON (or empty, or only whitespace): reported below as invalid_response, never as a raw
      // SyntaxError.
    }

    let outcome: Outcome;
    let excerpt: string;
    if (value !== undefined) {
      const answer = new Answer(status, value, attempt, response);
      outcome = { kind: 'response', response: answer, retryAfterMs };
    } else {
      excerpt = excerptOf(text, this.#secrets);
      const what = excerpt === '' ? 'an empty body' : `a body that is not JSON: "${excerpt}"`;
      const error = new ApiError(
        `${context.method} ${context.safeUrl} answered HTTP ${status} with ${what}`,
        {
          code: 'invalid_response',
          status,
          raw: { excerpt },
        },
      );
      const retryable = status >= 500 || status === 429;
      outcome = { kind: 'error', error, retryable, retryAfterMs };
    }
    // Awaited only when set: an await per attempt is measurable on a fast server.
    if (!this.#hooks?.afterResponse) return outcome;
    return this.#safely(() =>
      this.#hooks?.afterResponse?.({
        method: context.method,
        url: context.safeUrl,
        status,
        body: value !== undefined ? redactDeep(value, this.#secrets) : excerpt,
        attempt,
        durationMs,
      }),
    ).then(() => outcome);
  }

  #redactedHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = this.#redactHeaders.has(name) ? REDACTED : redactSecrets(value, this.#secrets);
    }
    return out;
  }

  /** What is known of a request that got no usable answer, and what to do: creates differ from reads. */
  #sentNote(context: SendContext, requestSent: boolean): string {
    if (!requestSent) return ' The request never left: nothing reached the provider.';
    return context.options.retry
      ? ' The request was sent and may or may not have reached the provider.'
      : ' The request was sent and may or may not have reached the provider; query the order before trying again.';
  }

  #attemptNote(context: SendContext, attempt: number): string {
    return `attempt ${attempt} of ${context.maxAttempts}`;
  }

  #timeoutError(context: SendContext, attempt: number, byDeadline: boolean, sent = true): TimeoutError {
    const limit = byDeadline
      ? `the overall deadline of ${this.#deadlineMs} ms for this call (retries and waits included)`
      : `the per-attempt timeout of ${context.timeoutMs} ms`;
    return new TimeoutError(
      `${context.method} ${context.safeUrl} got no answer within ${limit} (${this.#attemptNote(context, attempt)}).` +
        this.#sentNote(context, sent),
    );
  }

  #connectionError(
    context: SendContext,
    attempt: number,
    error: unknown,
    requestSent: boolean,
    reusedSocket: boolean,
  ): ConnectionError {
    const reason = redactSecrets(describeFailure(error), this.#secrets);
    const where = reusedSocket ? ' on a kept-alive connection the server had closed' : '';
    return new ConnectionError(
      `${context.method} ${context.safeUrl} failed: ${reason}${where} (${this.#attemptNote(context, attempt)}).` +
        this.#sentNote(context, requestSent),
      { cause: scrubbedCause(error, this.#secrets), requestSent },
    );
  }

  #redirectError(context: SendContext, failure: CarrierFailure): ApiError {
    const status = failure.status ?? 0;
    let target = 'a location it did not disclose';
    if (failure.location !== undefined) {
      try {
        // Only the scheme and host: a redirect's path or query may carry anything.
        const to = new URL(failure.location, context.url);
        target = redactSecrets(`${to.protocol}//${to.host}`, this.#secrets);
      } catch {
        target = 'an unreadable location';
      }
    }
    return new ApiError(
      `${context.method} ${context.safeUrl} answered HTTP ${status || 'redirect'} redirecting to ${target}. ` +
        'thaipay never follows redirects (they would carry the API key and the signed body to another host), ' +
        'so nothing was re-sent; check baseUrl.',
      { code: 'redirect_refused', status, raw: { location: target } },
    );
  }

  #abortedError(context: SendContext, sent: boolean): ThaiPayError {
    const note = sent ? this.#sentNote(context, true) : ' Nothing was sent.';
    return new ThaiPayError(`${context.method} ${context.safeUrl} was aborted by the caller.${note}`, {
      code: 'aborted',
      cause: context.options.signal?.reason,
    });
  }

  #throwIfAborted(context: SendContext, sent: boolean): void {
    if (context.options.signal?.aborted) throw this.#abortedError(context, sent);
  }

  async #safely(run: () => void | Promise<void> | undefined): Promise<void> {
    try {
      await run();
    } catch {
      // Hooks observe; a failing logger must not fail (or, worse, duplicate) a payment request.
    }
  }
}

/** A copy the signer may change freely: shallow for a flat body (the usual case), deep otherwise. */
function freshCopy(body: Record<string, unknown>): Record<string, unknown> {
  for (const key in body) {
    const value = body[key];
    if (value !== null && typeof value === 'object') return structuredClone(body);
  }
  return { ...body };
}

function settle(outcome: Outcome): TransportResponse {
  if (outcome.kind === 'response') return outcome.response;
  throw outcome.error;
}

/** 127.0.0.0/8, ::1 and localhost: traffic that never leaves the machine. */
function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

function checkBaseUrl(baseUrl: string, allowInsecureHttp: boolean): URL {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    // Reported just below, with a scheme other than http(s).
  }
  if (url?.protocol !== 'https:' && url?.protocol !== 'http:') {
    throw InvalidRequestError.field('baseUrl', 'must be an absolute https URL');
  }
  // fetch refuses URLs with credentials, and a query or fragment would end up before the request path.
  if (url.username || url.password || url.search || url.hash || baseUrl.includes('#')) {
    throw InvalidRequestError.field('baseUrl', 'must not carry credentials, a query or a fragment');
  }
  if (url.protocol === 'http:' && !allowInsecureHttp && !isLoopback(url.hostname)) {
    throw InvalidRequestError.field(
      'baseUrl',
      `must be https:// (the API key and signed bodies would cross the network in clear to ${url.host}); http:// is accepted only for a loopback host (127.0.0.1, ::1, localhost) or with allowInsecureHttp: true`,
    );
  }
  return url;
}

function checkMs(field: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw InvalidRequestError.field(field, `must be a number of milliseconds from ${min} to ${MAX_TIMER_MS}`);
  }
  return value;
}
