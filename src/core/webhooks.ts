/**
 * The provider-agnostic half of webhook handling: reading the raw body safely, parsing it without
 * prototype tricks, the dedupe store, and a Web-standard handler plus a Node `(req, res)` adapter.
 * The provider halves (jwt-gateway/webhooks.ts, thb-collect/webhooks.ts) add verification and replies.
 */
import { ThaiPayError, WebhookVerificationError } from './errors';

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

/** Which parser a content type asks for; `undefined` for types a webhook never has. */
export function bodyKindOf(contentType: string | null | undefined): 'json' | 'form' | 'unknown' | undefined {
  if (!contentType) return 'unknown';
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'text/plain') return 'unknown';
  return undefined;
}

/**
 * Turn any accepted body form into a plain object of fields. Objects (a framework already parsed the
 * body) are checked the same way as text.
 */
export function bodyToFields(
  body: WebhookBody,
  options: { contentType?: string | null; maxBytes?: number; allowForm?: boolean } = {},
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
  const text = bodyToText(body, options.maxBytes);
  const kind = bodyKindOf(options.contentType);
  if (kind === undefined) {
    throw new WebhookVerificationError('Webhook content type must be JSON or form-encoded.', {
      code: 'webhook_unsupported_media_type',
    });
  }
  const looksJson = text.trimStart().startsWith('{');
  if (kind === 'json' || (kind === 'unknown' && looksJson) || !options.allowForm) return parseJsonBody(text);
  return parseFormBody(text);
}

/**
 * Where handlers remember which events they already handled, so a retried or duplicated callback
 * reaches `onEvent` once. Share one store (for example `thaipay/redis`) between app instances.
 */
export interface WebhookDedupeStore {
  /** Claim `key` for `ttlSeconds`; true when this caller got it, false when it was already claimed. */
  claim(key: string, ttlSeconds: number): boolean | Promise<boolean>;
  /** Give a claim back (the event failed and should be handled again on the provider's retry). */
  release(key: string): void | Promise<void>;
}

/** Options of the in-memory store. */
export interface MemoryDedupeStoreOptions {
  /** Most keys kept; the least recently claimed goes first. Default 10,000. */
  maxEntries?: number;
  /** Clock in ms, for tests. */
  now?: () => number;
}

/**
 * A bounded in-memory dedupe store (LRU + TTL). Good for one process; use a shared store when several
 * instances receive webhooks.
 *
 * @example
 * ```ts
 * const store = createMemoryDedupeStore({ maxEntries: 1000 });
 * await store.claim('DP1:completed', 3600); // true
 * await store.claim('DP1:completed', 3600); // false
 * ```
 */
export function createMemoryDedupeStore(options: MemoryDedupeStoreOptions = {}): WebhookDedupeStore & {
  /** Keys held now, expired ones included until they are claimed again or evicted. */
  readonly size: number;
} {
  const maxEntries = options.maxEntries ?? 10_000;
  const now = options.now ?? Date.now;
  // A Map iterates in insertion order: re-inserting on claim keeps the oldest first, for eviction.
  const expiries = new Map<string, number>();
  return {
    get size() {
      return expiries.size;
    },
    claim(key, ttlSeconds) {
      const t = now();
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > t) return false;
      expiries.delete(key);
      expiries.set(key, t + ttlSeconds * 1000);
      while (expiries.size > maxEntries) {
        const oldest = expiries.keys().next().value;
        if (oldest === undefined) break;
        expiries.delete(oldest);
      }
      return true;
    },
    release(key) {
      expiries.delete(key);
    },
  };
}

/** What a provider contributes to the generic handler. */
export interface WebhookHandlerSpec<Event> {
  /** Verify the raw body (text) and return the event; throws WebhookVerificationError on anything else. */
  verify(text: string, contentType: string | null): Promise<Event>;
  /** The key under which an event is handled once (order + status, for example). */
  dedupeKey(event: Event): string;
  /** The acknowledgement the provider expects. */
  acknowledge(): Response;
  onEvent(event: Event): unknown | Promise<unknown>;
  store?: WebhookDedupeStore;
  /** How long a handled event is remembered. Default 7 days, longer than any provider's retry schedule. */
  dedupeTtlSeconds?: number;
  maxBodyBytes?: number;
  /** Told why a request was refused or failed, for your logs. The HTTP answer itself says little. */
  onError?(error: unknown): void;
}

/**
 * Build a Web-standard webhook handler: read the raw body with a size limit, verify, dedupe, call
 * `onEvent` once, acknowledge. Refusals answer 4xx with a terse body that helps no attacker; a
 * throwing `onEvent` answers 500 and releases the claim so the provider's retry is handled.
 *
 * @example
 * ```ts
 * const handler = createWebhookHandler({ verify, dedupeKey: (e) => e.id, acknowledge, onEvent });
 * const response = await handler(request);
 * ```
 */
export function createWebhookHandler<Event>(
  spec: WebhookHandlerSpec<Event>,
): (request: Request) => Promise<Response> {
  const store = spec.store ?? createMemoryDedupeStore();
  const ttl = spec.dedupeTtlSeconds ?? 7 * 24 * 3600;
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
      const text = await readRequestText(request, spec.maxBodyBytes);
      event = await spec.verify(text, contentType);
    } catch (error) {
      report(error);
      if (error instanceof ThaiPayError && error.code === 'webhook_body_too_large')
        return plain(413, 'too large');
      return plain(400, 'invalid webhook');
    }
    const key = spec.dedupeKey(event);
    let claimed: boolean;
    try {
      claimed = await store.claim(key, ttl);
    } catch (error) {
      report(error);
      return plain(503, 'try again');
    }
    // Already handled (or being handled): acknowledge so the provider stops retrying.
    if (!claimed) return spec.acknowledge();
    try {
      await spec.onEvent(event);
    } catch (error) {
      report(error);
      await Promise.resolve(store.release(key)).catch(report);
      return plain(500, 'handler failed');
    }
    return spec.acknowledge();
  };
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

/**
 * Adapt a Web-standard webhook handler to Node's `(req, res)` servers (node:http, Express, Fastify's
 * raw objects). It reads the raw body from the stream, or from `rawBody`/`body` when a body parser got
 * there first. A parsed JSON object still verifies for both providers (their signatures cover field
 * values, not bytes), but the raw body is the safe choice.
 *
 * @example
 * ```ts
 * app.post('/callback', express.raw({ type: '*\/*' }), toNodeHandler(handler));
 * ```
 */
export function toNodeHandler(
  handler: (request: Request) => Promise<Response>,
  options: { maxBodyBytes?: number } = {},
): (req: NodeLikeRequest, res: NodeLikeResponse) => Promise<void> {
  const maxBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req, res) => {
    let response: Response;
    try {
      const body = await nodeRequestBody(req, maxBytes);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (value === undefined || name.startsWith(':')) continue;
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      if (body.json) headers.set('content-type', 'application/json');
      headers.delete('content-length');
      const url = new URL(req.url ?? '/', 'http://localhost');
      const method = req.method ?? 'POST';
      const hasBody = method !== 'GET' && method !== 'HEAD';
      response = await handler(new Request(url, { method, headers, body: hasBody ? body.text : undefined }));
    } catch (error) {
      const tooBig = error instanceof ThaiPayError && error.code === 'webhook_body_too_large';
      response = plain(tooBig ? 413 : 400, tooBig ? 'too large' : 'invalid webhook');
    }
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    res.end(await response.text());
  };
}

async function nodeRequestBody(
  req: NodeLikeRequest,
  maxBytes: number,
): Promise<{ text: string; json?: boolean }> {
  for (const candidate of [req.rawBody, req.body]) {
    if (typeof candidate === 'string') return { text: bodyToText(candidate, maxBytes) };
    if (candidate instanceof Uint8Array) return { text: bodyToText(candidate, maxBytes) };
  }
  if (req.body !== null && typeof req.body === 'object') {
    return { text: bodyToText(JSON.stringify(req.body), maxBytes), json: true };
  }
  if (req.readable === false) return { text: '' };
  const chunks: Uint8Array[] = [];
  let total = 0;
  const encoder = new TextEncoder();
  for await (const chunk of req) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    total += bytes.byteLength;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(bytes);
  }
  const all = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    all.set(c, offset);
    offset += c.byteLength;
  }
  return { text: new TextDecoder().decode(all) };
}
