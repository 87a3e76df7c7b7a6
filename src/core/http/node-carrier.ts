/**
 * The carrier on Node: `node:http`/`node:https` through keep-alive Agents, as stripe-node's NodeHttpClient
 * does, at about half the CPU of `fetch` per call. The modules come from `process.getBuiltinModule` (see
 * ./carrier.ts), never a static import, and this file is reached only through a dynamic `import()`, so
 * browser and worker bundles leave it out. `request` is read from the module at each call, so
 * interceptors that patch `http.request` (nock, msw) keep working.
 *
 * Like stripe-node, a request counts as sent only once its socket is connected (after the TLS handshake
 * for https; Node holds the bytes until then): an error before that point proves the request never left.
 *
 * One attempt is one {@link Exchange}; its event listeners are shared functions that find the exchange
 * through the request (`this` of a listener is its emitter), so an attempt allocates no closures.
 */

import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type {
  Carrier,
  CarrierKit,
  CarrierRequest,
  CarrierResponse,
  CarrierFailure as Failure,
  NodeHttpModules,
} from './carrier';

/**
 * A carrier with its own keep-alive Agents (one per protocol, made on first use); `close()` destroys them.
 * `kit` brings the shared helpers of ./carrier.ts as an argument, not an import: a static import here
 * would pull ./carrier.ts into a chunk of its own that every browser bundle then loads.
 *
 * @example
 * ```ts
 * const modules = loadNodeHttp();
 * const carrier = modules && createNodeCarrier(modules, CARRIER_KIT);
 * ```
 */
export function createNodeCarrier(modules: NodeHttpModules, kit: CarrierKit): Carrier {
  let httpAgent: Agent | undefined;
  let httpsAgent: Agent | undefined;
  return {
    name: 'node',
    send(request) {
      const secure = request.origin.protocol === 'https:';
      // lifo: the most recently used socket is the least likely to have been closed by the server.
      let agent: Agent;
      if (secure) {
        httpsAgent ??= new modules.https.Agent({ keepAlive: true, scheduling: 'lifo' });
        agent = httpsAgent;
      } else {
        httpAgent ??= new modules.http.Agent({ keepAlive: true, scheduling: 'lifo' });
        agent = httpAgent;
      }
      return new Promise<CarrierResponse>((resolve, reject) => {
        const exchange = new Exchange(kit, request, secure, resolve, reject);
        exchange.start(secure ? modules.https.request : modules.http.request, agent);
      });
    },
    async close() {
      httpAgent?.destroy();
      httpsAgent?.destroy();
      httpAgent = undefined;
      httpsAgent = undefined;
    },
  };
}

type RequestFn = NodeHttpModules['http']['request'];

/** Where the listeners of a request and of its answer find their exchange. */
const EXCHANGE = Symbol('thaipay.exchange');
type Tagged = { [EXCHANGE]: Exchange };

/** One attempt: its state, its one timer, and how it settles. */
class Exchange {
  settled = false;
  sent = false;
  answered = false;
  req: ClientRequest | undefined;
  res: IncomingMessage | undefined;
  status = 0;
  chunks: Buffer[] = [];
  total = 0;
  readonly timer: ReturnType<typeof setTimeout>;
  readonly onAbort: (() => void) | undefined;

  constructor(
    readonly kit: CarrierKit,
    readonly request: CarrierRequest,
    readonly secure: boolean,
    readonly resolve: (response: CarrierResponse) => void,
    readonly reject: (failure: Failure) => void,
  ) {
    // One timer for the attempt: connect, send, headers and the whole body.
    this.timer = setTimeout(onTimeout, request.timeoutMs, this);
    const { signal } = request;
    if (signal) {
      this.onAbort = () => this.fail(new kit.CarrierFailure('aborted', { requestSent: this.sent }));
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  start(requestFn: RequestFn, agent: Agent): void {
    const { request } = this;
    const { origin } = request;
    let req: ClientRequest;
    try {
      req = requestFn({
        protocol: origin.protocol,
        hostname: origin.hostname.startsWith('[') ? origin.hostname.slice(1, -1) : origin.hostname,
        port: origin.port === '' ? undefined : origin.port,
        path: request.path,
        method: request.method,
        headers: request.headers,
        agent,
      });
    } catch (error) {
      // Refused before any socket (an invalid header value, a patched request): nothing left.
      this.settle();
      this.reject(
        new this.kit.CarrierFailure('network', { requestSent: false, retryable: false, cause: error }),
      );
      return;
    }
    this.req = req;
    (req as ClientRequest & Tagged)[EXCHANGE] = this;
    // The request is ended at once (Node sets Content-Length, and buffers it until the socket is
    // connected); it counts as sent only once the socket connected (after the TLS handshake for https),
    // so an error before then proves nothing left.
    req.on('socket', onSocket);
    req.on('error', onRequestError);
    req.on('response', onResponse);
    req.end(request.body);
  }

  /** Stop the timer and the abort listener; `false` when the attempt had already settled. */
  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timer);
    if (this.onAbort) this.request.signal?.removeEventListener('abort', this.onAbort);
    return true;
  }

  fail(failure: Failure): void {
    if (!this.settle()) return;
    this.res?.destroy();
    this.req?.destroy();
    this.reject(failure);
  }

  tooLarge(): Failure {
    return new this.kit.CarrierFailure('too_large', {
      requestSent: true,
      retryable: false,
      status: this.status,
    });
  }
}

function exchangeOf(emitter: ClientRequest | IncomingMessage): Exchange {
  return (emitter as (ClientRequest | IncomingMessage) & Tagged)[EXCHANGE];
}

function onTimeout(exchange: Exchange): void {
  exchange.fail(new exchange.kit.CarrierFailure('timeout', { requestSent: exchange.sent }));
}

function onSocket(this: ClientRequest, socket: Socket): void {
  const exchange = exchangeOf(this);
  if (!socket.connecting) exchange.sent = true;
  else
    socket.once(exchange.secure ? 'secureConnect' : 'connect', () => {
      exchange.sent = true;
    });
}

function onRequestError(this: ClientRequest, error: Error): void {
  const exchange = exchangeOf(this);
  const { CarrierFailure, isNetworkError, provesNotSent } = exchange.kit;
  exchange.fail(
    new CarrierFailure('network', {
      requestSent: exchange.sent && !provesNotSent(error),
      // A kept-alive socket the server closed between our calls: the write went into a dead connection.
      reusedSocket: this.reusedSocket && !exchange.answered,
      retryable: isNetworkError(error),
      cause: error,
    }),
  );
}

function onResponse(this: ClientRequest, res: IncomingMessage): void {
  const exchange = exchangeOf(this);
  exchange.answered = true;
  exchange.res = res;
  (res as IncomingMessage & Tagged)[EXCHANGE] = exchange;
  const status = res.statusCode ?? 0;
  exchange.status = status;
  if (exchange.kit.isRedirect(status)) {
    const location = res.headers.location;
    exchange.fail(
      new exchange.kit.CarrierFailure('redirect', {
        requestSent: true,
        retryable: false,
        status,
        ...(location ? { location } : {}),
      }),
    );
    return;
  }
  const declared = res.headers['content-length'];
  if (declared !== undefined && Number(declared) > exchange.request.maxResponseBytes) {
    exchange.fail(exchange.tooLarge());
    return;
  }
  res.on('data', onData);
  res.on('error', onResponseError);
  res.on('end', onEnd);
  // Not every cut-off body emits 'error' (stripe-node#2814): a close before the end is a failure.
  res.on('close', onClose);
}

function onData(this: IncomingMessage, chunk: Buffer): void {
  const exchange = exchangeOf(this);
  exchange.total += chunk.length;
  if (exchange.total > exchange.request.maxResponseBytes) exchange.fail(exchange.tooLarge());
  else exchange.chunks.push(chunk);
}

function onResponseError(this: IncomingMessage, error: Error): void {
  const exchange = exchangeOf(this);
  exchange.fail(
    new exchange.kit.CarrierFailure('network', { requestSent: true, retryable: true, cause: error }),
  );
}

function onEnd(this: IncomingMessage): void {
  const exchange = exchangeOf(this);
  if (!exchange.settle()) return;
  const { chunks, total } = exchange;
  const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
  exchange.resolve(new NodeAnswer(exchange.status, this.headers, body.toString('utf8')));
}

function onClose(this: IncomingMessage): void {
  if (this.complete) return;
  const exchange = exchangeOf(this);
  exchange.fail(
    new exchange.kit.CarrierFailure('network', {
      requestSent: true,
      retryable: true,
      cause: new Error('the connection closed before the whole answer arrived'),
    }),
  );
}

/** A whole answer; its `Headers` are built only when asked for. */
class NodeAnswer implements CarrierResponse {
  readonly text: string;
  #headers: Headers | undefined;

  constructor(
    readonly status: number,
    readonly raw: IncomingHttpHeaders,
    text: string,
  ) {
    this.text = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }

  header(name: string): string | undefined {
    const value = this.raw[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.raw)) {
        if (Array.isArray(value)) for (const item of value) headers.append(name, item);
        else if (value !== undefined) headers.append(name, value);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }
}
