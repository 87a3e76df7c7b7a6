/**
 * The one request path of thaipay: every provider call goes through {@link Transport.send}.
 *
 * Modelled on stripe-node's RequestSender: a single loop owns timeouts, the retry policy and the overall
 * deadline, and signing runs as a per-attempt step, so a retried request carries a fresh timestamp and
 * signature. Each attempt is one plain ky call (`retry: 0`, `throwHttpErrors: false`, `timeout: false`): ky
 * gives the fetch plumbing, while the timer, the retry decisions and the error mapping stay here, where a
 * create can be told apart from a read.
 *
 * ky is the transport the product owner chose. It builds a `Request` and clones it (a tee of the body
 * stream) on every call, which costs about 200 µs of CPU per call on Node: invisible against a real
 * network round trip, but half the calls per second against a loopback server (see BENCHMARKS.md).
 *
 * Hooks only ever see redacted deep copies, and every error built here is scrubbed of the known secrets.
 */

import ky from 'ky';
import {
  ApiError,
  ConnectionError,
  InvalidRequestError,
  redactDeep,
  redactSecrets,
  ThaiPayError,
  TimeoutError,
} from './errors';

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
  /** Absolute http(s) URL; request paths are appended to it, keeping a base path such as `/api/v1`. */
  baseUrl: string;
  /** Time allowed for one attempt, body included. Default 15 000 ms. */
  timeoutMs?: number;
  /** Time allowed for one `send()`, retries and waits included. Default 60 000 ms. */
  deadlineMs?: number;
  /** Retries after the first attempt, for sends marked `retry: true`. Default 2. */
  maxRetries?: number;
  /** A fetch to use instead of the global one. */
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
  /**
   * An earlier end than this send's own deadline, from {@link Transport.deadlineFromNow}: a create
   * makes several sends (re-sends, then the query that reconciles them) under one overall deadline.
   */
  deadlineAt?: number;
}

/** An HTTP answer whose body is JSON, whatever its status. */
export interface TransportResponse {
  status: number;
  headers: Headers;
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
/** ky and setTimeout refuse longer timers. */
const MAX_TIMER_MS = 2_147_483_647;
const EXCERPT_MAX_CHARS = 200;
const REDACTED = '[REDACTED]';
const ALWAYS_REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key'];
/** Error codes of Node/undici that mean the connection failed or broke. */
const NETWORK_ERROR_CODE = /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/;

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

function isNetworkError(error: unknown): boolean {
  // fetch reports every network failure as a TypeError ("fetch failed", "Failed to fetch", "terminated");
  // other fetch implementations throw errors carrying a Node error code.
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof TypeError) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_ERROR_CODE.test(code)) return true;
  }
  return false;
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

interface SendContext {
  method: 'GET' | 'POST';
  url: string;
  /** The URL as shown in messages and hooks: scrubbed of secrets. */
  readonly safeUrl: string;
  options: SendOptions;
  deadlineAt: number;
  maxAttempts: number;
}

/**
 * Sends requests to one provider: joins paths to the base URL, signs each attempt, applies the timeout,
 * the retry policy and the overall deadline, and turns every failure into a thaipay error.
 *
 * A JSON answer is returned whatever its status (after retries are spent for 5xx/429): the provider
 * layers map envelopes and statuses to error classes. A body that is not JSON gives an `ApiError` with
 * code `invalid_response`; a network fault a `ConnectionError`; no answer in time a `TimeoutError`; the
 * caller's abort a `ThaiPayError` with code `aborted`.
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
 * ```
 */
export class Transport {
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #deadlineMs: number;
  readonly #maxRetries: number;
  readonly #retryBaseDelayMs: number;
  readonly #retryMaxDelayMs: number;
  readonly #fetch: typeof fetch | undefined;
  readonly #headers: Record<string, string>;
  readonly #redactHeaders: ReadonlySet<string>;
  readonly #secrets: readonly string[];
  readonly #hooks: TransportHooks | undefined;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #now: () => number;

  constructor(options: TransportOptions, internals: TransportInternals = {}) {
    this.#baseUrl = checkBaseUrl(options.baseUrl);
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
    this.#fetch = options.fetch;
    this.#headers = {};
    for (const [name, value] of Object.entries(options.headers ?? {}))
      this.#headers[name.toLowerCase()] = value;
    this.#redactHeaders = new Set([
      ...ALWAYS_REDACTED_HEADERS,
      ...(options.redactHeaders ?? []).map((name) => name.toLowerCase()),
    ]);
    // A redacted header's value is a credential: scrub it everywhere, even if the caller forgot to list it.
    const headerSecrets = Object.entries(this.#headers)
      .filter(([name]) => this.#redactHeaders.has(name))
      .map(([, value]) => value);
    this.#secrets = [...(options.secrets ?? []), ...headerSecrets].filter((s) => s.length > 0);
    this.#hooks = options.hooks;
    this.#sleep = internals.sleep ?? defaultSleep;
    this.#random = internals.random ?? Math.random;
    this.#now = internals.now ?? Date.now;
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
    const url = joinUrl(this.#baseUrl, options.path);
    const secrets = this.#secrets;
    let safeUrl: string | undefined;
    const context: SendContext = {
      method: options.method,
      url,
      // Scrubbed on first use: only hooks and errors need it, and most calls have neither.
      get safeUrl() {
        safeUrl ??= redactSecrets(url, secrets);
        return safeUrl;
      },
      options,
      deadlineAt: Math.min(this.#now() + this.#deadlineMs, options.deadlineAt ?? Number.POSITIVE_INFINITY),
      maxAttempts: options.retry ? this.#maxRetries + 1 : 1,
    };

    let last: Outcome | undefined;
    for (let attempt = 1; ; attempt++) {
      this.#throwIfAborted(context, attempt > 1);
      if (last !== undefined && this.#now() >= context.deadlineAt) return settle(last);

      const started = this.#now();
      const outcome = await this.#attempt(context, attempt);
      last = outcome;

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

      try {
        await this.#sleep(wait, options.signal);
      } catch {
        // Only an abort interrupts the wait; it is reported as such just below.
      }
      this.#throwIfAborted(context, true);
    }
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
    // structuredClone: the signer gets its own copy on every attempt, so nothing it adds leaks into the next.
    const body =
      method === 'POST'
        ? options.sign
          ? await options.sign(structuredClone(options.body ?? {}))
          : structuredClone(options.body ?? {})
        : undefined;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method === 'POST') headers['content-type'] = 'application/json';
    Object.assign(headers, this.#headers);

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
      return { kind: 'error', error: this.#timeoutError(context, attempt, true), retryable: false };
    }
    const budget = Math.min(this.#timeoutMs, remaining, MAX_TIMER_MS);
    const byDeadline = budget < this.#timeoutMs;

    // One timer per attempt bounds the wait for the headers and reading the body, so a server that stalls
    // mid-body cannot hold the call past its budget.
    const attemptTimer = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attemptTimer.abort();
    }, budget);
    const signal = options.signal
      ? AbortSignal.any([options.signal, attemptTimer.signal])
      : attemptTimer.signal;

    const started = this.#now();
    try {
      // Our own timer bounds the attempt (headers and body), so ky's timeout is off; ky hands a custom
      // fetch a Request, as users' fetch wrappers expect.
      const response = await untilAborted(
        signal,
        ky(context.url, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          retry: 0,
          throwHttpErrors: false,
          timeout: false,
          signal,
          ...(this.#fetch ? { fetch: this.#fetch } : {}),
        }),
      );
      const text = await untilAborted(signal, response.text());
      return await this.#readOutcome(context, attempt, response, text, this.#now() - started);
    } catch (error) {
      if (options.signal?.aborted) throw this.#abortedError(context, true);
      if (timedOut) {
        // No `cause`: what fetch rejects with on abort can hold the request, headers (API key) included.
        return { kind: 'error', error: this.#timeoutError(context, attempt, byDeadline), retryable: true };
      }
      return {
        kind: 'error',
        error: this.#connectionError(context, attempt, error),
        retryable: isNetworkError(error),
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async #readOutcome(
    context: SendContext,
    attempt: number,
    response: Response,
    text: string,
    durationMs: number,
  ): Promise<Outcome> {
    const { status } = response;
    const retryAfterMs =
      status === 429 || status === 503
        ? parseRetryAfter(response.headers.get('retry-after'), this.#now())
        : undefined;
    const withRetryAfter = retryAfterMs === undefined ? {} : { retryAfterMs };

    let parsed: { ok: true; value: unknown } | { ok: false } = { ok: false };
    const json = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    if (json.trim() !== '') {
      try {
        parsed = { ok: true, value: JSON.parse(json) };
      } catch {
        // Not JSON: reported below as invalid_response, never as a raw SyntaxError.
      }
    }

    const excerpt = parsed.ok ? '' : excerptOf(text, this.#secrets);
    if (this.#hooks?.afterResponse) {
      await this.#safely(() =>
        this.#hooks?.afterResponse?.({
          method: context.method,
          url: context.safeUrl,
          status,
          body: parsed.ok ? redactDeep(parsed.value, this.#secrets) : excerpt,
          attempt,
          durationMs,
        }),
      );
    }

    if (parsed.ok) {
      return {
        kind: 'response',
        response: { status, headers: response.headers, body: parsed.value, attempts: attempt },
        ...withRetryAfter,
      };
    }
    const what = excerpt === '' ? 'an empty body' : `a body that is not JSON: "${excerpt}"`;
    const error = new ApiError(`${context.method} ${context.safeUrl} answered HTTP ${status} with ${what}`, {
      code: 'invalid_response',
      status,
      raw: { excerpt },
    });
    return { kind: 'error', error, retryable: status >= 500 || status === 429, ...withRetryAfter };
  }

  #redactedHeaders(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      out[name] = this.#redactHeaders.has(name) ? REDACTED : redactSecrets(value, this.#secrets);
    }
    return out;
  }

  #sentNote(context: SendContext): string {
    return context.method === 'POST'
      ? ' The request was sent and may or may not have reached the provider; query the order before trying again.'
      : ' The request was sent and may or may not have reached the provider.';
  }

  #attemptNote(context: SendContext, attempt: number): string {
    return `attempt ${attempt} of ${context.maxAttempts}`;
  }

  #timeoutError(context: SendContext, attempt: number, byDeadline: boolean): TimeoutError {
    const limit = byDeadline
      ? `the overall deadline of ${this.#deadlineMs} ms for this call (retries and waits included)`
      : `the per-attempt timeout of ${this.#timeoutMs} ms`;
    return new TimeoutError(
      `${context.method} ${context.safeUrl} got no answer within ${limit} (${this.#attemptNote(context, attempt)}).` +
        this.#sentNote(context),
    );
  }

  #connectionError(context: SendContext, attempt: number, error: unknown): ConnectionError {
    const reason = redactSecrets(describeFailure(error), this.#secrets);
    return new ConnectionError(
      `${context.method} ${context.safeUrl} failed: ${reason} (${this.#attemptNote(context, attempt)}).` +
        this.#sentNote(context),
      { cause: scrubbedCause(error, this.#secrets) },
    );
  }

  #abortedError(context: SendContext, sent: boolean): ThaiPayError {
    const note = sent ? this.#sentNote(context) : ' Nothing was sent.';
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

/**
 * `promise`, or a rejection as soon as `signal` aborts. fetch honours its signal, but a custom fetch or a
 * hand-made Response may not; this keeps the timeout and the caller's abort effective anyway.
 */
function untilAborted<T>(signal: AbortSignal, promise: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function settle(outcome: Outcome): TransportResponse {
  if (outcome.kind === 'response') return outcome.response;
  throw outcome.error;
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw InvalidRequestError.field('baseUrl', 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw InvalidRequestError.field('baseUrl', 'must be an absolute http(s) URL');
  }
  // fetch refuses URLs with credentials, and a query or fragment would end up before the request path.
  if (url.username || url.password || url.search || url.hash) {
    throw InvalidRequestError.field('baseUrl', 'must not carry credentials, a query or a fragment');
  }
  return baseUrl;
}

function checkMs(field: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw InvalidRequestError.field(field, `must be a number of milliseconds from ${min} to ${MAX_TIMER_MS}`);
  }
  return value;
}
