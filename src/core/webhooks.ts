/**
 * The provider-agnostic half of webhook handling: reading the raw body safely, parsing it without
 * prototype tricks, the dedupe store, and a Web-standard handler plus a Node `(req, res)` adapter.
 * The provider halves (jwt-gateway/webhooks.ts, thb-collect/webhooks.ts) add verification and replies.
 */
import { InvalidRequestError, ThaiPayError, WebhookVerificationError } from './errors';

/** Default largest body accepted, checked before parsing. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** A webhook body in any of the forms a framework hands it over. */
export type WebhookBody = string | Uint8Array | ArrayBuffer | Record<string, unknown>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Turn bytes or text into text, refusing bodies over `maxBytes` before decoding anything.
 *
 * @example
 * ```ts
 * const text = bodyToText(new TextEncoder().encode('{"a":1}'), 65536);
 * ```
 */
export function bodyToText(
  body: string | Uint8Array | ArrayBuffer,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): string {
  if (typeof body === 'string') {
    // A JS string of n code units is at most 3n UTF-8 bytes; count exactly only when it could be too big.
    if (body.length * 3 > maxBytes && new TextEncoder().encode(body).length > maxBytes)
      throw tooLarge(maxBytes);
    return body;
  }
  const bytes = body instanceof Uint8Array ? body : new Uint8Array(body);
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}

function tooLarge(maxBytes: number): WebhookVerificationError {
  return new WebhookVerificationError(`Webhook body is larger than the ${maxBytes}-byte limit.`, {
    code: 'webhook_body_too_large',
  });
}

/**
 * Read a Request's body as text with a size limit enforced while streaming, so a huge body is never
 * buffered whole.
 *
 * @example
 * ```ts
 * const text = await readRequestText(request, 65536);
 * ```
 */
export async function readRequestText(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(all);
}

/** Refuse keys that could reach an object's prototype when a consumer copies the parsed body. */
function assertSafeKeys(record: Record<string, unknown>): void {
  for (const key of Object.keys(record)) {
    if (FORBIDDEN_KEYS.has(key)) {
      throw new WebhookVerificationError(`Webhook body has a forbidden field name "${key}".`);
    }
  }
}

/**
 * Parse a JSON webhook body into a plain object of its top-level fields. Anything but a JSON object
 * (arrays, strings, malformed JSON, empty bodies) is a WebhookVerificationError, never a SyntaxError.
 *
 * @example
 * ```ts
 * parseJsonBody('{"order_no":"DP1"}'); // { order_no: 'DP1' }
 * ```
 */
export function parseJsonBody(text: string): Record<string, unknown> {
  if (text.trim() === '') {
    throw new WebhookVerificationError(
      'Webhook body is empty. Pass the raw request body (for example express.raw() or await request.text()).',
    );
  }
  let parsed: unknown;
  try {
    // A reviver rejects forbidden keys at every depth, before any object is built from them.
    parsed = JSON.parse(text, (key, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key))
        throw new WebhookVerificationError(`Webhook body has a forbidden field name "${key}".`);
      return value;
    });
  } catch (error) {
    if (error instanceof WebhookVerificationError) throw error;
    throw new WebhookVerificationError('Webhook body is not valid JSON.', { cause: error });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new WebhookVerificationError('Webhook body must be a JSON object.');
  }
  return parsed as Record<string, unknown>;
}

/**
 * Parse an `application/x-www-form-urlencoded` body into an object of strings. A repeated field is a
 * failure: a genuine provider never sends one, and it is a classic way to smuggle a second value.
 *
 * @example
 * ```ts
 * parseFormBody('orderId=M1&status=2'); // { orderId: 'M1', status: '2' }
 * ```
 */
export function parseFormBody(text: string): Record<string, string> {
  if (text.trim() === '') throw new WebhookVerificationError('Webhook body is empty.');
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    // Checked before assigning: `out.__proto__ = ...` would not even create a field to find later.
    if (FORBIDDEN_KEYS.has(key))
      throw new WebhookVerificationError(`Webhook body has a forbidden field name "${key}".`);
    if (Object.hasOwn(out, key))
      throw new WebhookVerificationError(`Webhook body repeats the field "${key}".`);
    out[key] = value;
  }
  return out;
}

/**
 * Which parser a content type asks for; `undefined` for types a webhook never has.
 *
 * @example
 * ```ts
 * bodyKindOf('application/json; charset=utf-8'); // 'json'
 * ```
 */
export function bodyKindOf(contentType: string | null | undefined): 'json' | 'form' | 'unknown' | undefined {
  if (!contentType) return 'unknown';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'text/plain') return 'unknown';
  return undefined;
}

/**
 * Fields of a JSON-only webhook body: a framework-parsed object is checked and copied, text or bytes are
 * parsed as JSON. What {@link bodyToFields} does for `application/json`, without the form parser, so a
 * JSON-only verifier's bundle does not carry it.
 *
 * @example
 * ```ts
 * jsonBodyToFields('{"order_no":"M1"}'); // { order_no: 'M1' }
 * ```
 */
export function jsonBodyToFields(body: WebhookBody, maxBytes?: number): Record<string, unknown> {
  return objectOrText(body, maxBytes, parseJsonBody);
}

/** A parsed object checked and copied; otherwise the text, size-checked, through `parse`. */
function objectOrText(
  body: WebhookBody,
  maxBytes: number | undefined,
  parse: (text: string) => Record<string, unknown>,
): Record<string, unknown> {
  if (
    body !== null &&
    typeof body === 'object' &&
    !(body instanceof Uint8Array) &&
    !(body instanceof ArrayBuffer)
  ) {
    assertSafeKeys(body);
    return { ...body };
  }
  if (body === undefined || body === null) {
    throw new WebhookVerificationError('Webhook body is missing. Pass the raw request body.');
  }
  return parse(bodyToText(body, maxBytes));
}

/**
 * Turn any accepted body form into a plain object of fields. Objects (a framework already parsed the
 * body) are checked the same way as text.
 *
 * @example
 * ```ts
 * bodyToFields('orderId=M1&status=2', { contentType: 'application/x-www-form-urlencoded', allowForm: true });
 * // { orderId: 'M1', status: '2' }
 * ```
 */
export function bodyToFields(
  body: WebhookBody,
  options: { contentType?: string | null; maxBytes?: number; allowForm?: boolean } = {},
): Record<string, unknown> {
  return objectOrText(body, options.maxBytes, (text) => {
    const kind = bodyKindOf(options.contentType);
    if (kind === undefined) {
      throw new WebhookVerificationError('Webhook content type must be JSON or form-encoded.', {
        code: 'webhook_unsupported_media_type',
      });
    }
    const looksJson = text.trimStart().startsWith('{');
    if (kind === 'json' || (kind === 'unknown' && looksJson) || !options.allowForm)
      return parseJsonBody(text);
    return parseFormBody(text);
  });
}

/** What {@link WebhookDedupeStore.claim} found. */
export type DedupeClaim =
  | {
      /** This caller holds the processing lease: run onEvent, then complete or release. */
      readonly state: 'claimed';
      /** Proves ownership of the lease to `complete` and `release`. */
      readonly token: string;
    }
  | {
      /** Another delivery holds the lease now: answer "retry later", never acknowledge. */
      readonly state: 'in_flight';
    }
  | {
      /** Handled before: acknowledge without running onEvent. */
      readonly state: 'done';
    };

/**
 * Where handlers remember which events they handled, as a lease: a delivery first takes a short
 * processing lease on the event's key; only when `onEvent` succeeded is the key kept as handled for the
 * long TTL. A duplicate arriving while the lease is held gets a retryable answer (the provider tries
 * again), never an acknowledgement, so a first delivery that then fails is not lost. A process that dies
 * inside `onEvent` leaves only the lease, which expires. Share one store (for example `thaipay/redis`)
 * between app instances.
 */
export interface WebhookDedupeStore {
  /** Take a processing lease on `key` for `leaseSeconds` (unless held or done). */
  claim(key: string, leaseSeconds: number): DedupeClaim | Promise<DedupeClaim>;
  /** onEvent succeeded: keep `key` as handled for `ttlSeconds` (only if `token` still owns it). */
  complete(key: string, token: string, ttlSeconds: number): void | Promise<void>;
  /** onEvent failed: drop the lease (only if `token` still owns it) so the provider's retry is handled. */
  release(key: string, token: string): void | Promise<void>;
}

/** A store that records the event and runs onEvent in ONE transaction (the PostgreSQL inbox). */
export interface TransactionalWebhookInbox<Db> {
  /**
   * Run `run` at most once per `key`: `'handled'` when it ran and committed, `'duplicate'` when the key
   * was already handled, `'in_flight'` when another delivery of it is being handled now. Throws when `run`
   * (or the store) failed; nothing is then recorded.
   */
  handleOnce(
    key: string,
    run: (db: Db) => Promise<void>,
    options: { leaseSeconds: number; ttlSeconds: number },
  ): Promise<'handled' | 'duplicate' | 'in_flight'>;
}

/** What `onEvent` gets besides the event: the inbox transaction's `db` (`undefined` without an inbox). */
export interface WebhookEventContext<Db> {
  /** The transaction the inbox records the event in; write your own changes through it. */
  readonly db: Db;
}

/**
 * Where a handler dedupes: a `store` (memory by default, Redis) or a transactional `inbox`, never both.
 * Typed so that passing both does not compile.
 */
export type WebhookDedupeOptions<Db> =
  | {
      /** Where handled events are remembered; in-memory by default, `thaipay/redis` across instances. */
      store?: WebhookDedupeStore;
      inbox?: undefined;
    }
  | {
      store?: undefined;
      /** Records each event and runs `onEvent(event, { db })` in one transaction (`thaipay/postgres`). */
      inbox: TransactionalWebhookInbox<Db>;
    };

/** Default processing lease: a duplicate arriving sooner than this after the first is told to retry. */
export const DEFAULT_DEDUPE_LEASE_SECONDS = 60;
/** Default time a handled event is remembered: 7 days, longer than any provider's retry schedule. */
export const DEFAULT_DEDUPE_TTL_SECONDS = 604_800; // 7 × 24 × 3600; a literal, as esbuild keeps unused products
/** Default deadline for reading a request body in {@link toNodeHandler}. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

/** Largest `maxBodyBytes` accepted: 16 MB, far above any notification. */
export const MAX_BODY_BYTES_BOUND = 16_777_216; // 16 × 1024 × 1024

/** Largest values accepted for the numeric options; beyond them a value is a mistake, not a wish. */
const BOUNDS = {
  leaseSeconds: 86_400, // a day
  ttlSeconds: 31_622_400, // 366 days
  maxBodyBytes: MAX_BODY_BYTES_BOUND,
  bodyTimeoutMs: 600_000, // ten minutes
} as const;

/**
 * Check a numeric option: a finite number, above zero, at most `max`; `undefined` gives `fallback`.
 * Named after the option so the error says which one is wrong.
 *
 * @throws {InvalidRequestError} naming `name` otherwise (NaN, 0, negative, Infinity, a string).
 * @example
 * ```ts
 * const ttl = checkPositiveOption('dedupeTtlSeconds', options.dedupeTtlSeconds, 604800, 31622400);
 * ```
 */
export function checkPositiveOption(name: string, value: unknown, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    throw InvalidRequestError.field(name, `must be a finite number above 0 and at most ${max}`);
  }
  return value;
}

/**
 * Validate the numeric webhook options shared by every handler (see {@link checkPositiveOption}) and
 * fill in their defaults; the TTL may not be shorter than the lease.
 *
 * @example
 * ```ts
 * checkWebhookOptions({ dedupeTtlSeconds: 3600 }); // { ttlSeconds: 3600, leaseSeconds: 60, maxBodyBytes: 65536 }
 * ```
 */
export function checkWebhookOptions(options: {
  dedupeTtlSeconds?: unknown;
  dedupeLeaseSeconds?: unknown;
  maxBodyBytes?: unknown;
}): { ttlSeconds: number; leaseSeconds: number; maxBodyBytes: number } {
  const maxBodyBytes = checkPositiveOption(
    'maxBodyBytes',
    options.maxBodyBytes,
    DEFAULT_MAX_BODY_BYTES,
    BOUNDS.maxBodyBytes,
  );
  if (!Number.isSafeInteger(maxBodyBytes))
    throw InvalidRequestError.field('maxBodyBytes', 'must be a whole number of bytes');
  const leaseSeconds = checkPositiveOption(
    'dedupeLeaseSeconds',
    options.dedupeLeaseSeconds,
    DEFAULT_DEDUPE_LEASE_SECONDS,
    BOUNDS.leaseSeconds,
  );
  const ttlSeconds = checkPositiveOption(
    'dedupeTtlSeconds',
    options.dedupeTtlSeconds,
    DEFAULT_DEDUPE_TTL_SECONDS,
    BOUNDS.ttlSeconds,
  );
  if (ttlSeconds < leaseSeconds)
    throw InvalidRequestError.field('dedupeTtlSeconds', 'must be at least dedupeLeaseSeconds');
  return { ttlSeconds, leaseSeconds, maxBodyBytes };
}

/** Options of the in-memory store. */
export interface MemoryDedupeStoreOptions {
  /** Most keys kept; the least recently claimed goes first. Default 10,000. */
  maxEntries?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

/**
 * A bounded in-memory dedupe store (LRU + expiry) implementing the lease contract of
 * {@link WebhookDedupeStore}. Good for one process; use a shared store when several instances receive
 * webhooks. `complete` keeps the key when the caller's lease still holds it, or when that lease expired
 * and nobody took the key since (the event was handled: remembering it is always right).
 *
 * @example
 * ```ts
 * const store = createMemoryDedupeStore({ maxEntries: 1000 });
 * const claim = await store.claim('DP1:completed', 60); // { state: 'claimed', token }
 * await store.claim('DP1:completed', 60); // { state: 'in_flight' }
 * if (claim.state === 'claimed') await store.complete('DP1:completed', claim.token, 604800);
 * await store.claim('DP1:completed', 60); // { state: 'done' }
 * ```
 */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): WebhookDedupeStore & {
  /** Keys held now, expired ones included until they are claimed again or evicted. */
  readonly size: number;
} {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1)
    throw InvalidRequestError.field('maxEntries', 'must be a positive integer');
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on claim keeps the oldest first, for eviction.
  const entries = new Map<string, { token: string | undefined; expiry: number }>();
  const put = (key: string, token: string | undefined, seconds: number) => {
    entries.delete(key);
    entries.set(key, { token, expiry: now() + seconds * 1000 });
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };
  return {
    get size() {
      return entries.size;
    },
    claim(key, leaseSeconds) {
      checkStoreKey(key);
      const seconds = checkStoreSeconds('leaseSeconds', leaseSeconds);
      const entry = entries.get(key);
      if (entry !== undefined && entry.expiry > now()) {
        return entry.token === undefined ? { state: 'done' } : { state: 'in_flight' };
      }
      const token = newLeaseToken();
      put(key, token, seconds);
      return { state: 'claimed', token };
    },
    complete(key, token, ttlSeconds) {
      const seconds = checkStoreSeconds('ttlSeconds', ttlSeconds);
      const entry = entries.get(key);
      const heldByOther = entry !== undefined && entry.expiry > now() && entry.token !== token;
      if (!heldByOther) put(key, undefined, seconds);
    },
    release(key, token) {
      if (entries.get(key)?.token === token) entries.delete(key);
    },
  };
}

/**
 * A key a store accepts: a non-empty string.
 *
 * @example
 * ```ts
 * checkStoreKey('thb-collect:collection:M1:2');
 * ```
 */
export function checkStoreKey(key: unknown): string {
  if (typeof key !== 'string' || key === '')
    throw InvalidRequestError.field('key', 'must be a non-empty string');
  return key;
}

/**
 * A duration a store accepts, in seconds: finite and above zero.
 *
 * @example
 * ```ts
 * checkStoreSeconds('leaseSeconds', 60); // 60
 * ```
 */
export function checkStoreSeconds(name: string, seconds: unknown): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0)
    throw InvalidRequestError.field(name, 'must be a positive number of seconds');
  return seconds;
}

/**
 * A random lease token: 128 bits, so no two claims, in any process, share one.
 *
 * @example
 * ```ts
 * newLeaseToken(); // "9f86d081884c7d659a2feaa0c55ad015"
 * ```
 */
export function newLeaseToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** What a provider contributes to the generic handler. */
export interface WebhookHandlerSpec<Event, Db = undefined> {
  /** Verify the raw body (text) and return the event; throws WebhookVerificationError on anything else. */
  verify(text: string, contentType: string | null): Promise<Event>;
  /** The key under which an event is handled once (order + status, for example), from signed data only. */
  dedupeKey(event: Event): string;
  /** The acknowledgement the provider expects. */
  acknowledge(): Response;
  /** Called once per distinct event; with an inbox, inside its transaction (`context.db`). */
  onEvent(event: Event, context: WebhookEventContext<Db>): unknown;
  /** A lease store (memory by default). Not with `inbox`. */
  store?: WebhookDedupeStore | undefined;
  /** A transactional inbox. Not with `store`. */
  inbox?: TransactionalWebhookInbox<Db> | undefined;
  /** How long a handled event is remembered. Default 7 days, longer than any provider's retry schedule. */
  dedupeTtlSeconds?: number | undefined;
  /** How long a delivery may stay inside `onEvent` before a duplicate may take over. Default 60 s. */
  dedupeLeaseSeconds?: number | undefined;
  /** Largest body accepted. Default 64 KB. */
  maxBodyBytes?: number | undefined;
  /** Told why a request was refused or failed, for your logs. The HTTP answer itself says little. */
  onError?: ((error: unknown) => void) | undefined;
}

/** The handler options both providers take as they are: storage, limits, error reporting. */
export type DeliveryOptions<Db> = Pick<
  WebhookHandlerSpec<unknown, Db>,
  'store' | 'inbox' | 'dedupeTtlSeconds' | 'dedupeLeaseSeconds' | 'maxBodyBytes' | 'onError'
>;

/**
 * The delivery options of a provider handler's options, handed to {@link createWebhookHandler} unchanged.
 *
 * @example
 * ```ts
 * createWebhookHandler({ verify, dedupeKey, acknowledge, onEvent, ...deliveryOptions(options) });
 * ```
 */
export function deliveryOptions<Db>(options: DeliveryOptions<Db>): DeliveryOptions<Db> {
  return {
    store: options.store,
    inbox: options.inbox,
    maxBodyBytes: options.maxBodyBytes,
    onError: options.onError,
    dedupeTtlSeconds: options.dedupeTtlSeconds,
    dedupeLeaseSeconds: options.dedupeLeaseSeconds,
  };
}

/**
 * Build a Web-standard webhook handler: read the raw body with a size limit, verify, dedupe, call
 * `onEvent` once, acknowledge. Refusals answer 4xx with a terse body that helps no attacker. A duplicate
 * of a delivery still inside `onEvent` answers 503 with `Retry-After` (the provider retries; it is never
 * acknowledged before the event was handled); a throwing `onEvent` answers 500 and releases its lease so
 * the provider's retry is handled.
 *
 * @throws {InvalidRequestError} at creation, naming the option, when a number is not finite and
 *   positive within bounds, or both `store` and `inbox` are given.
 * @example
 * ```ts
 * const handler = createWebhookHandler({ verify, dedupeKey: (e) => e.id, acknowledge, onEvent });
 * const response = await handler(request);
 * ```
 */
export function createWebhookHandler<Event, Db = undefined>(
  spec: WebhookHandlerSpec<Event, Db>,
): (request: Request) => Promise<Response> {
  const { ttlSeconds, leaseSeconds, maxBodyBytes } = checkWebhookOptions(spec);
  if (spec.store !== undefined && spec.inbox !== undefined)
    throw InvalidRequestError.field('inbox', 'cannot be given together with store; pass one of them');
  if (spec.inbox !== undefined && typeof spec.inbox?.handleOnce !== 'function')
    throw InvalidRequestError.field('inbox', 'must have a handleOnce() method');
  if (
    spec.store !== undefined &&
    ['claim', 'complete', 'release'].some(
      (m) => typeof (spec.store as unknown as Record<string, unknown>)?.[m] !== 'function',
    )
  )
    throw InvalidRequestError.field('store', 'must have claim(), complete() and release() methods');
  if (typeof spec.onEvent !== 'function') throw InvalidRequestError.field('onEvent', 'must be a function');
  const inbox = spec.inbox;
  const store = spec.store ?? createMemoryDedupeStore();
  const retryAfter = String(Math.ceil(leaseSeconds));
  const report = (error: unknown) => {
    try {
      spec.onError?.(error);
    } catch {
      // A logging callback must not change the answer.
    }
  };
  return async (request) => {
    if (request.method !== 'POST') return plain(405, 'method not allowed');
    const contentType = request.headers.get('content-type');
    if (bodyKindOf(contentType) === undefined) return plain(415, 'unsupported media type');
    let event: Event;
    try {
      const text = await readRequestText(request, maxBodyBytes);
      event = await spec.verify(text, contentType);
    } catch (error) {
      report(error);
      if (error instanceof ThaiPayError && error.code === 'webhook_body_too_large')
        return plain(413, 'too large');
      return plain(400, 'invalid webhook');
    }
    const key = spec.dedupeKey(event);
    if (inbox !== undefined) {
      let outcome: 'handled' | 'duplicate' | 'in_flight';
      let handlerFailed = false;
      try {
        outcome = await inbox.handleOnce(
          key,
          async (db) => {
            try {
              await spec.onEvent(event, { db });
            } catch (error) {
              handlerFailed = true;
              throw error;
            }
          },
          { leaseSeconds, ttlSeconds },
        );
      } catch (error) {
        report(error);
        return handlerFailed ? plain(500, 'handler failed') : plain(503, 'try again');
      }
      if (outcome === 'in_flight') return inFlight(retryAfter);
      return spec.acknowledge();
    }
    let claim: DedupeClaim;
    try {
      claim = await store.claim(key, leaseSeconds);
    } catch (error) {
      report(error);
      return plain(503, 'try again');
    }
    // Handled before: acknowledge so the provider stops retrying.
    if (claim?.state === 'done') return spec.acknowledge();
    // Being handled now: not acknowledged, since that delivery may still fail; the provider retries.
    if (claim?.state !== 'claimed' || typeof claim.token !== 'string') return inFlight(retryAfter);
    try {
      await spec.onEvent(event, { db: undefined as Db });
    } catch (error) {
      report(error);
      await Promise.resolve()
        .then(() => store.release(key, claim.token))
        .catch(report);
      return plain(500, 'handler failed');
    }
    // The event was handled: acknowledged even if remembering it fails (the lease then simply expires).
    await Promise.resolve()
      .then(() => store.complete(key, claim.token, ttlSeconds))
      .catch(report);
    return spec.acknowledge();
  };
}

function inFlight(retryAfter: string): Response {
  return new Response('in progress, retry later', {
    status: 503,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'retry-after': retryAfter },
  });
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** The part of Node's IncomingMessage the adapter uses (Express and Fastify requests fit too). */
export interface NodeLikeRequest extends AsyncIterable<Uint8Array | string> {
  /** HTTP method; `POST` when absent. */
  method?: string;
  /** Path and query of the request; `/` when absent. */
  url?: string;
  /** Request headers, names in lower case as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** Set by body parsers: a Buffer (express.raw), a string (express.text) or an object (express.json). */
  body?: unknown;
  /** Set by some frameworks (Fastify plugins, Next.js pages API with bodyParser off helpers). */
  rawBody?: unknown;
  /** False once a body parser consumed the stream. */
  readable?: boolean;
}

/** The part of Node's ServerResponse the adapter uses. */
export interface NodeLikeResponse {
  /** Set to the handler's HTTP status. */
  statusCode: number;
  /** Called once per header of the handler's answer. */
  setHeader(name: string, value: string): unknown;
  /** Sends the answer's body and finishes the response. */
  end(body?: string): unknown;
}

/** Options of {@link toNodeHandler}. */
export interface NodeHandlerOptions {
  /** Largest body read from the stream (413 above it). Default 64 KB. */
  maxBodyBytes?: number;
  /**
   * How long reading the whole body may take, in ms: a body trickled in (or a `Content-Length` larger
   * than what is sent) is answered 408 when it runs out, instead of holding the handler. Default 10 s.
   */
  bodyTimeoutMs?: number;
}

/**
 * Adapt a Web-standard webhook handler to Node's `(req, res)` servers (node:http, Express, Fastify's
 * raw objects). It reads the raw body from the stream, or from `rawBody`/`body` when a body parser got
 * there first. A parsed JSON object still verifies for both providers (their signatures cover field
 * values, not bytes), but the raw body is the safe choice.
 *
 * Reading the stream has a deadline (`bodyTimeoutMs`, 408 and the connection closed when it passes),
 * and a body whose length differs from its `Content-Length` is refused (400): a slow or short body
 * cannot hold the handler.
 *
 * @throws {InvalidRequestError} at creation, naming the option, when `maxBodyBytes` or `bodyTimeoutMs`
 *   is not a finite positive number within bounds.
 * @example
 * ```ts
 * app.post('/callback', express.raw({ type: '*\/*' }), toNodeHandler(handler, { bodyTimeoutMs: 5000 }));
 * ```
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: NodeHandlerOptions = {},
): (req: NodeLikeRequest, res: NodeLikeResponse) => Promise<void> {
  const { maxBodyBytes: maxBytes } = checkWebhookOptions({ maxBodyBytes: options?.maxBodyBytes });
  const timeoutMs = checkPositiveOption(
    'bodyTimeoutMs',
    options?.bodyTimeoutMs,
    DEFAULT_BODY_TIMEOUT_MS,
    BOUNDS.bodyTimeoutMs,
  );
  if (typeof handler !== 'function') throw InvalidRequestError.field('handler', 'must be a function');
  return async (req, res) => {
    let response: Response;
    let closeConnection = false;
    try {
      const body = await nodeRequestBody(req, maxBytes, timeoutMs);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name.startsWith(':')) continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      if (body.json) headers.set('content-type', 'application/json');
      headers.delete('content-length');
      headers.delete('transfer-encoding');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'POST';
      const hasBody = method !== 'GET' && method !== 'HEAD';
      response = await handler(new Request(url, { method, headers, body: hasBody ? body.text : undefined }));
    } catch (error) {
      const code = error instanceof ThaiPayError ? error.code : undefined;
      // The rest of an unread body may still be on its way: do not keep this connection.
      closeConnection = code === 'webhook_body_timeout' || code === 'webhook_body_too_large';
      response =
        code === 'webhook_body_too_large'
          ? plain(413, 'too large')
          : code === 'webhook_body_timeout'
            ? plain(408, 'request timeout')
            : plain(400, 'invalid webhook');
    }
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    if (closeConnection) res.setHeader('connection', 'close');
    res.end(await response.text());
  };
}

/** The declared `Content-Length`, `undefined` when absent; refused when not one decimal integer. */
function declaredLength(req: NodeLikeRequest): number | undefined {
  const header = req.headers['content-length'];
  if (header === undefined) return undefined;
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!/^\d{1,15}$/.test(text.trim())) {
    throw new WebhookVerificationError('Webhook Content-Length is not a length.', {
      code: 'webhook_body_length_mismatch',
    });
  }
  return Number(text.trim());
}

async function nodeRequestBody(
  req: NodeLikeRequest,
  maxBytes: number,
  timeoutMs: number,
): Promise<{ text: string; json?: boolean }> {
  for (const candidate of [req.rawBody, req.body]) {
    if (typeof candidate === 'string') return { text: bodyToText(candidate, maxBytes) };
    if (candidate instanceof Uint8Array) return { text: bodyToText(candidate, maxBytes) };
  }
  if (req.body !== null && typeof req.body === 'object') {
    return { text: bodyToText(JSON.stringify(req.body), maxBytes), json: true };
  }
  if (req.readable === false) return { text: '' };
  const declared = declaredLength(req);
  if (declared !== undefined && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const encoder = new TextEncoder();
  const iterator = req[Symbol.asyncIterator]();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    for (;;) {
      const next = iterator.next();
      const step = await Promise.race([next, deadline]);
      if (step === 'timeout') {
        // The pending read may still fail when the connection closes; nobody waits for it any more.
        next.catch(() => undefined);
        throw new WebhookVerificationError(`Webhook body was not received within ${timeoutMs} ms.`, {
          code: 'webhook_body_timeout',
        });
      }
      if (step.done) break;
      const chunk = step.value;
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      total += bytes.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      chunks.push(bytes);
    }
  } finally {
    clearTimeout(timer);
  }
  if (declared !== undefined && total !== declared) {
    throw new WebhookVerificationError(
      `Webhook body has ${total} bytes where Content-Length declared ${declared}.`,
      { code: 'webhook_body_length_mismatch' },
    );
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return { text: new TextDecoder().decode(all) };
}

/**
 * Whether a body was handed over already parsed (an object, not text or bytes): a verifier then names the
 * likely cause of a mismatch, a framework that re-serialised the body.
 *
 * @example
 * ```ts
 * isParsedBody({ orderId: 'M1' }); // true
 * isParsedBody('orderId=M1'); // false
 * ```
 */
export function isParsedBody(body: WebhookBody): boolean {
  return (
    body !== null &&
    typeof body === 'object' &&
    !(body instanceof Uint8Array) &&
    !(body instanceof ArrayBuffer)
  );
}

/**
 * A key option as a list: one key, or several during a rotation; anything else is an empty list, which the
 * option checks refuse by name.
 *
 * @example
 * ```ts
 * keyList('k1'); // ['k1']
 * keyList(['new', 'old']); // ['new', 'old']
 * ```
 */
export function keyList(keys: string | readonly string[]): readonly string[] {
  return typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : [];
}
