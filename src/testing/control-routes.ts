/**
 * The sandbox's own HTTP controls under `/_sandbox`, for the web page and the CLI. JSON in, JSON out;
 * refusals are `{"error": "<text>"}` with 400 (bad input), 404 (unknown order or path), 405 or 409
 * (a change the order's status does not allow). Secrets (API key, secret key, private keys) are never
 * served here.
 *
 * | Method | Path                                   | Body / query                                 | Answer              |
 * |--------|----------------------------------------|----------------------------------------------|---------------------|
 * | GET    | /_sandbox                              |                                              | `{ endpoints }`     |
 * | GET    | /_sandbox/state                        |                                              | `{ url, jwtGateway, thbCollect, orders }` |
 * | GET    | /_sandbox/orders                       |                                              | `{ orders }`        |
 * | GET    | /_sandbox/orders/:ref                  |                                              | `{ order }`         |
 * | POST   | /_sandbox/orders/:ref/pay              | `{ amount?: number \| string }` (baht)       | `{ order }`         |
 * | POST   | /_sandbox/orders/:ref/complete         |                                              | `{ order }`         |
 * | POST   | /_sandbox/orders/:ref/fail             | `{ reason?: string }`                        | `{ order }`         |
 * | POST   | /_sandbox/orders/:ref/expire           |                                              | `{ order }`         |
 * | POST   | /_sandbox/orders/:ref/process          |                                              | `{ order }`         |
 * | POST   | /_sandbox/orders/:ref/exception        |                                              | `{ order }`         |
 * | POST   | /_sandbox/orders/:ref/resend           |                                              | `{ deliveries }`    |
 * | GET    | /_sandbox/deliveries                   | `?ref=` (order number or merchant order id)  | `{ deliveries }`    |
 * | GET    | /_sandbox/requests                     |                                              | `{ requests }`      |
 * | GET    | /_sandbox/faults                       |                                              | `{ faults }`        |
 * | POST   | /_sandbox/faults                       | `{ route, fault, times?, status?, retryAfterSeconds?, delayMs? }` (`times: "Infinity"` ok) | `{ fault }` |
 * | DELETE | /_sandbox/faults                       | `?route=`                                    | `{ faults }`        |
 *
 * `:ref` is either provider's order number or the merchant's order id, URL-encoded.
 *
 * Every request that is not a GET or HEAD changes the sandbox, so it must come from the sandbox's own
 * page or a script that holds the token, never from another web site: it needs the
 * `x-thaipay-sandbox-token` header (the sandbox's `controlToken`, which the pages embed), no foreign
 * `Origin` or `Sec-Fetch-Site`, and a JSON body (`text/plain` and form bodies are refused, so a simple
 * cross-site form or `fetch` never gets through). A custom header also makes a browser ask first
 * (CORS preflight), which the sandbox never grants. The server checks `Host` and runs
 * {@link refuseForeignControl} before any handler, for every path under `/_sandbox`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { asRecord, headerValue, type IncomingCall, jsonReply, type Reply, type RouteResolver } from './http';
import { SandboxError } from './orders';
import type { Sandbox } from './sandbox';
import type { SandboxFaultKind, SandboxFaultOptions, SandboxRoute } from './types';

/** The prefix of every control path. */
export const CONTROL_PREFIX = '/_sandbox';

/** The header carrying the control token on every control request that changes state. */
export const CONTROL_TOKEN_HEADER = 'x-thaipay-sandbox-token';

/** Methods that only read: served without the token. */
const READ_METHODS = new Set(['GET', 'HEAD']);

const ORDER_ACTIONS = ['pay', 'complete', 'fail', 'expire', 'process', 'exception', 'resend'] as const;

const ENDPOINTS = [
  'GET /_sandbox/state',
  'GET /_sandbox/orders',
  'GET /_sandbox/orders/:ref',
  ...ORDER_ACTIONS.map((action) => `POST /_sandbox/orders/:ref/${action}`),
  'GET /_sandbox/deliveries?ref=',
  'GET /_sandbox/requests',
  'GET /_sandbox/faults',
  'POST /_sandbox/faults',
  'DELETE /_sandbox/faults?route=',
];

function refusal(status: number, message: string): Reply {
  return jsonReply(status, { error: message });
}

function readJson(call: IncomingCall): Record<string, unknown> | undefined {
  if (call.body.trim() === '') return {};
  try {
    return asRecord(JSON.parse(call.body));
  } catch {
    return undefined;
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Compared as digests, so neither the length nor the first wrong character shows in the timing. */
function sameToken(given: string, token: string): boolean {
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Why a request to a `/_sandbox` path is refused, or `undefined` when it may go on. Reads (GET, HEAD)
 * always may; anything else changes state and is refused from a foreign origin, with a body that is
 * not JSON, or without the right token. The server runs this for every resolver, so a control added
 * anywhere under `/_sandbox` is covered.
 *
 * @example
 * ```ts
 * const refused = refuseForeignControl(call, controlToken);
 * if (refused) return refused;
 * ```
 */
export function refuseForeignControl(call: IncomingCall, token: string): Reply | undefined {
  if (READ_METHODS.has(call.method)) return undefined;
  return foreignRequest(call, token);
}

/** Whether a path is one of the sandbox's own controls. */
export function isControlPath(pathname: string): boolean {
  return pathname === CONTROL_PREFIX || pathname.startsWith(`${CONTROL_PREFIX}/`);
}

function foreignRequest(call: IncomingCall, token: string): Reply | undefined {
  const host = (headerValue(call.headers, 'host') ?? '').toLowerCase();
  const origin = headerValue(call.headers, 'origin');
  if (origin !== undefined && origin.toLowerCase() !== `http://${host}`) {
    return refusal(403, 'cross-origin request refused: only the sandbox page and scripts may change it');
  }
  const site = headerValue(call.headers, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return refusal(403, 'cross-site request refused: only the sandbox page and scripts may change it');
  }
  const type = headerValue(call.headers, 'content-type');
  const json = type !== undefined && /^application\/json\s*(;|$)/i.test(type);
  if (type !== undefined ? !json : call.body !== '') {
    return refusal(415, 'send the body as JSON, with content-type: application/json');
  }
  const given = headerValue(call.headers, CONTROL_TOKEN_HEADER);
  if (given === undefined || given === '') {
    return refusal(
      403,
      `this control changes the sandbox: send the ${CONTROL_TOKEN_HEADER} header (sandbox.controlToken, or the token "thaipay sandbox" prints)`,
    );
  }
  if (!sameToken(given, token)) return refusal(403, `wrong ${CONTROL_TOKEN_HEADER}`);
  return undefined;
}

/**
 * The resolver of the control routes, acting on `sandbox`. The server has refused foreign requests
 * that change state already ({@link refuseForeignControl}).
 *
 * @example
 * ```ts
 * const resolver = createControlRoutes(() => sandbox);
 * ```
 */
export function createControlRoutes(sandbox: () => Sandbox): RouteResolver {
  return (method, pathname) => {
    if (!isControlPath(pathname)) return undefined;
    const parts = pathname
      .slice(CONTROL_PREFIX.length)
      .split('/')
      .filter((part) => part !== '');
    return {
      handle: (call) => {
        try {
          return dispatch(method, parts, call);
        } catch (error) {
          if (error instanceof SandboxError) return refusal(error.httpStatus, error.message);
          if (error instanceof TypeError || error instanceof RangeError || error instanceof URIError) {
            return refusal(400, error.message);
          }
          throw error;
        }
      },
    };
  };

  function dispatch(method: string, parts: string[], call: IncomingCall): Reply {
    const box = sandbox();
    const [resource, rawRef, action] = parts;
    const allow = (expected: string, answer: () => Reply): Reply =>
      method === expected ? answer() : refusal(405, `${method} is not allowed here; use ${expected}`);

    if (resource === undefined) return allow('GET', () => jsonReply(200, { endpoints: ENDPOINTS }));
    if (resource === 'state' && parts.length === 1) return allow('GET', () => jsonReply(200, state(box)));
    if (resource === 'requests' && parts.length === 1) {
      return allow('GET', () => jsonReply(200, { requests: box.requests() }));
    }
    if (resource === 'deliveries' && parts.length === 1) {
      return allow('GET', () => {
        const ref = call.url.searchParams.get('ref');
        return jsonReply(200, { deliveries: box.deliveries(ref ?? undefined) });
      });
    }
    if (resource === 'faults' && parts.length === 1) return faults(method, call, box);
    if (resource === 'orders') {
      if (rawRef === undefined) return allow('GET', () => jsonReply(200, { orders: box.orders() }));
      const ref = decodeURIComponent(rawRef);
      if (action === undefined && parts.length === 2) {
        return allow('GET', () => {
          const order = box.getOrder(ref);
          return order ? jsonReply(200, { order }) : refusal(404, `No order ${JSON.stringify(ref)}`);
        });
      }
      if (parts.length === 3 && (ORDER_ACTIONS as readonly string[]).includes(action!)) {
        return allow('POST', () => orderAction(action as (typeof ORDER_ACTIONS)[number], ref, call, box));
      }
    }
    return refusal(404, `Unknown sandbox endpoint; see GET ${CONTROL_PREFIX}`);
  }
}

function state(box: Sandbox): unknown {
  return {
    url: box.url,
    jwtGateway: {
      baseUrl: box.jwtGateway.baseUrl,
      merchantId: box.jwtGateway.merchantId,
      balance: box.balance(),
    },
    thbCollect: {
      baseUrl: box.thbCollect.baseUrl,
      appId: box.thbCollect.appId,
      platformPublicKey: box.thbCollect.platformPublicKey,
      platformPublicKeyPem: box.thbCollect.platformPublicKeyPem,
    },
    orders: box.orders().length,
    faults: box.faults(),
  };
}

function orderAction(
  action: (typeof ORDER_ACTIONS)[number],
  ref: string,
  call: IncomingCall,
  box: Sandbox,
): Reply {
  const body = readJson(call);
  if (!body) return refusal(400, 'body must be a JSON object');
  switch (action) {
    case 'pay': {
      const amount = body.amount;
      if (amount !== undefined && typeof amount !== 'number' && typeof amount !== 'string') {
        return refusal(400, 'amount must be a number or a string of baht');
      }
      return jsonReply(200, { order: box.pay(ref, amount === undefined ? {} : { amount }) });
    }
    case 'fail': {
      const reason = body.reason;
      if (reason !== undefined && typeof reason !== 'string') return refusal(400, 'reason must be a string');
      return jsonReply(200, { order: box.fail(ref, reason) });
    }
    case 'complete':
      return jsonReply(200, { order: box.complete(ref) });
    case 'expire':
      return jsonReply(200, { order: box.expire(ref) });
    case 'process':
      return jsonReply(200, { order: box.process(ref) });
    case 'exception':
      return jsonReply(200, { order: box.markException(ref) });
    case 'resend':
      return jsonReply(200, { deliveries: box.resendNotification(ref) });
  }
}

function faults(method: string, call: IncomingCall, box: Sandbox): Reply {
  if (method === 'GET') return jsonReply(200, { faults: box.faults() });
  if (method === 'DELETE') {
    const route = call.url.searchParams.get('route');
    box.clearFaults((route ?? undefined) as SandboxRoute | undefined);
    return jsonReply(200, { faults: box.faults() });
  }
  if (method !== 'POST') return refusal(405, `${method} is not allowed here; use GET, POST or DELETE`);
  const body = readJson(call);
  if (!body) return refusal(400, 'body must be a JSON object');
  const options: SandboxFaultOptions = {};
  if (body.times !== undefined) {
    options.times =
      body.times === 'Infinity' || body.times === null ? Number.POSITIVE_INFINITY : Number(body.times);
  }
  if (body.status !== undefined) options.status = Number(body.status) as SandboxFaultOptions['status'];
  if (body.retryAfterSeconds !== undefined) options.retryAfterSeconds = Number(body.retryAfterSeconds);
  if (body.delayMs !== undefined) options.delayMs = Number(body.delayMs);
  const fault = box.injectFault(body.route as SandboxRoute, body.fault as SandboxFaultKind, options);
  return jsonReply(200, { fault });
}
