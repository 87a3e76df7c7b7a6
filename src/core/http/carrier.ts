/**
 * What carries one attempt of the transport over the wire: `node:http`/`node:https` on Node (./node-carrier.ts,
 * loaded with a dynamic `import()` so browser and worker bundles never hold it), the global `fetch`
 * elsewhere (./fetch-carrier.ts). A carrier owns one attempt end to end (connect, send, read the whole
 * body) under ONE timer, refuses redirects and over-long answers, and says whether the request provably
 * never left. Retries, signing, hooks and the thaipay errors stay in ../transport.ts.
 */

import type * as NodeHttp from 'node:http';
import type * as NodeHttps from 'node:https';

/** Where requests go, parsed once per transport. */
export interface Origin {
  /** `http:` or `https:`. */
  protocol: string;
  /** As `URL.hostname` gives it: `[::1]` keeps its brackets. */
  hostname: string;
  /** The port as a string; `''` for the protocol's default. */
  port: string;
}

/** One attempt, as the transport hands it to a carrier. */
export interface CarrierRequest {
  method: 'GET' | 'POST';
  origin: Origin;
  /** The full URL (for fetch). */
  url: string;
  /** The path and nothing else (for node:http), e.g. `/api/v1/balance`. */
  path: string;
  /** Lower-case names. Shared between calls: a carrier must not change it. */
  headers: Record<string, string>;
  /** The JSON text of a POST; `undefined` for a GET. */
  body: string | undefined;
  /** This attempt's whole budget: connecting, sending, the headers and the whole body. */
  timeoutMs: number;
  /** Bytes of body accepted; more fails the attempt with `too_large` without buffering the rest. */
  maxResponseBytes: number;
  /** The caller's signal, when given. */
  signal: AbortSignal | undefined;
}

/** A whole answer (any status but a redirect), its body read in full. */
export interface CarrierResponse {
  status: number;
  /** One header's value (lower-case name), or `undefined`. */
  header(name: string): string | undefined;
  /** Every header, built on demand (a `Headers` costs more than most calls need). */
  headers(): Headers;
  /** The body as UTF-8 text, without a byte order mark (both carriers drop one). */
  text: string;
}

/** How an attempt failed, in words the transport turns into a thaipay error. */
export type FailureKind = 'timeout' | 'aborted' | 'network' | 'too_large' | 'redirect';

/**
 * Why a carrier gave no usable answer. Internal: the transport never lets it reach a caller.
 *
 * @example
 * ```ts
 * reject(new CarrierFailure('network', { requestSent: false, cause: error }));
 * ```
 */
export class CarrierFailure extends Error {
  declare readonly kind: FailureKind;
  /**
   * `false` only when nothing can have reached the server: the connection or the TLS handshake failed
   * before a byte of the request was written.
   */
  declare readonly requestSent: boolean;
  /** The request went out on a kept-alive connection that the server had closed (read ECONNRESET). */
  declare readonly reusedSocket: boolean;
  /** For `network`: whether another attempt makes sense (a real network fault, not a bug). */
  declare readonly retryable: boolean;
  /** For `redirect` and `too_large`: the answer's status. */
  declare readonly status?: number;
  /** For `redirect`: the `Location` header as sent, when there was one. */
  declare readonly location?: string;

  constructor(
    kind: FailureKind,
    fields: {
      requestSent: boolean;
      reusedSocket?: boolean;
      retryable?: boolean;
      status?: number;
      location?: string;
      cause?: unknown;
    },
  ) {
    super(kind, fields.cause === undefined ? undefined : { cause: fields.cause });
    // Callers leave out (never pass `undefined` for) the fields they do not know.
    Object.assign(this, { kind, reusedSocket: false, retryable: true }, fields);
  }
}

/** Carries attempts; `close()` lets go of kept-alive connections (later sends open new ones). */
export interface Carrier {
  readonly name: 'node' | 'fetch';
  send(request: CarrierRequest): Promise<CarrierResponse>;
  close(): Promise<void>;
}

/** The two Node modules the node carrier needs. */
export interface NodeHttpModules {
  http: typeof NodeHttp;
  https: typeof NodeHttps;
}

/**
 * `node:http` and `node:https` when this is Node and they can be reached without a static import (the way
 * ../crypto/node-module.ts reaches `node:crypto`), else `undefined`. Bun and Deno answer too, but their
 * own `fetch` is their fast path, so they get the fetch carrier.
 *
 * @example
 * ```ts
 * const carrier = loadNodeHttp() ? 'node' : 'fetch';
 * ```
 */
export function loadNodeHttp(): NodeHttpModules | undefined {
  const runtime = globalThis as unknown as {
    Bun?: unknown;
    Deno?: unknown;
    process?: { getBuiltinModule?: (id: string) => unknown };
  };
  if (runtime.Bun !== undefined || runtime.Deno !== undefined) return undefined;
  try {
    const http = runtime.process?.getBuiltinModule?.('node:http') as typeof NodeHttp | undefined;
    const https = runtime.process?.getBuiltinModule?.('node:https') as typeof NodeHttps | undefined;
    return http && https ? { http, https } : undefined;
  } catch {
    // Some edge runtimes expose a `process` shim whose getBuiltinModule throws for unknown modules.
    return undefined;
  }
}

/**
 * Error codes (of Node, undici or a TLS stack) that prove the request never left: the connection was
 * refused or never made, the host is unknown, or TLS failed before anything was written.
 */
const NOT_SENT_CODE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL|EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL|UND_ERR_CONNECT_TIMEOUT|ERR_TLS_.*|ERR_SSL_.*|CERT_.*|UNABLE_TO_.*|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)$/;

/** Error codes of Node/undici that mean the connection failed or broke. */
const NETWORK_ERROR_CODE = /^(E[A-Z]+|UND_ERR_[A-Z_]+|ERR_TLS_.*|ERR_SSL_.*|CERT_.*|UNABLE_TO_.*)$/;

/**
 * The `code` of an error or of one of its causes matching `pattern`, else `undefined`.
 *
 * @example
 * ```ts
 * findCode(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }), /^E/); // undefined: not an Error
 * findCode(Object.assign(new Error('x'), { code: 'ECONNRESET' }), /^E/); // 'ECONNRESET'
 * ```
 */
export function findCode(error: unknown, pattern: RegExp): string | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && pattern.test(code)) return code;
  }
  return undefined;
}

/**
 * Whether `error` proves the request never left (see {@link NOT_SENT_CODE}).
 *
 * @example
 * ```ts
 * provesNotSent(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })); // true
 * provesNotSent(Object.assign(new Error('reset'), { code: 'ECONNRESET' })); // false: it may have arrived
 * ```
 */
export function provesNotSent(error: unknown): boolean {
  return findCode(error, NOT_SENT_CODE) !== undefined;
}

/**
 * Whether `error` is a network fault worth another attempt: fetch reports every one as a TypeError
 * ("fetch failed", "Failed to fetch"); other implementations throw errors carrying a Node error code.
 *
 * @example
 * ```ts
 * isNetworkError(new TypeError('fetch failed')); // true
 * isNetworkError(new RangeError('a bug')); // false
 * ```
 */
export function isNetworkError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof TypeError) return true;
  }
  return findCode(error, NETWORK_ERROR_CODE) !== undefined;
}

/**
 * HTTP statuses that ask the client to go elsewhere (every 3xx but 304 Not Modified).
 *
 * @example
 * ```ts
 * isRedirect(302); // true
 * isRedirect(304); // false
 * ```
 */
export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The helpers the lazily loaded node carrier gets as an argument (see ./node-carrier.ts). */
export interface CarrierKit {
  CarrierFailure: typeof CarrierFailure;
  isNetworkError: typeof isNetworkError;
  isRedirect: typeof isRedirect;
  provesNotSent: typeof provesNotSent;
}

/**
 * The {@link CarrierKit} of this module.
 *
 * @example
 * ```ts
 * createNodeCarrier(modules, CARRIER_KIT);
 * ```
 */
export const CARRIER_KIT: CarrierKit = { CarrierFailure, isNetworkError, isRedirect, provesNotSent };
