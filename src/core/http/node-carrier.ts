/**
 * The carrier on Node: `node:http`/`node:https` through keep-alive Agents, as stripe-node's NodeHttpClient
 * does, at about half the CPU of `fetch` per call. The modules come from `process.getBuiltinModule` (see
 * ./carrier.ts), never a static import, and this file is reached only through a dynamic `import()`, so
 * browser and worker bundles leave it out. `request` is read from the module at each call, so
 * interceptors that patch `http.request` (nock, msw) keep working.
 *
 * Like stripe-node, a request counts as sent only once its socket is connected (after the TLS handshake
 * for https; Node holds the bytes until then): an error before that point proves the request never left.
 */

import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Carrier, CarrierKit, CarrierRequest, CarrierResponse, NodeHttpModules } from './carrier';

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
      return sendWithNode(kit, secure ? modules.https.request : modules.http.request, agent, secure, request);
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

function sendWithNode(
  kit: CarrierKit,
  requestFn: RequestFn,
  agent: Agent,
  secure: boolean,
  request: CarrierRequest,
): Promise<CarrierResponse> {
  const { CarrierFailure, isNetworkError, isRedirect, provesNotSent } = kit;
  return new Promise<CarrierResponse>((resolve, reject) => {
    const { origin, signal, maxResponseBytes } = request;
    let settled = false;
    let sent = false;
    let answered = false;
    let response: IncomingMessage | undefined;

    const fail = (failure: InstanceType<CarrierKit['CarrierFailure']>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      response?.destroy();
      req.destroy();
      reject(failure);
    };
    // One timer for the attempt: connect, send, headers and the whole body.
    const timer = setTimeout(
      () => fail(new CarrierFailure('timeout', { requestSent: sent })),
      request.timeoutMs,
    );
    const onAbort = (): void => fail(new CarrierFailure('aborted', { requestSent: sent }));
    signal?.addEventListener('abort', onAbort, { once: true });

    let req: ClientRequest;
    try {
      req = requestFn({
        protocol: origin.protocol,
        hostname: origin.hostname.startsWith('[') ? origin.hostname.slice(1, -1) : origin.hostname,
        ...(origin.port === '' ? {} : { port: origin.port }),
        path: request.path,
        method: request.method,
        headers: request.headers,
        agent,
      });
    } catch (error) {
      // Refused before any socket (an invalid header value, a patched request): nothing left.
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(new CarrierFailure('network', { requestSent: false, retryable: false, cause: error }));
      return;
    }

    // The request is ended at once (Node sets Content-Length, and buffers it until the socket is
    // connected); it counts as sent only once the socket connected (after the TLS handshake for https),
    // so an error before then proves nothing left.
    req.once('socket', (socket) => {
      if (!socket.connecting) sent = true;
      else
        socket.once(secure ? 'secureConnect' : 'connect', () => {
          sent = true;
        });
    });
    req.end(request.body);

    req.on('error', (error) => {
      // A kept-alive socket the server closed between our calls: the write went into a dead connection.
      const reusedSocket = req.reusedSocket && !answered;
      fail(
        new CarrierFailure('network', {
          requestSent: sent && !provesNotSent(error),
          reusedSocket,
          retryable: isNetworkError(error),
          cause: error,
        }),
      );
    });

    req.on('response', (res) => {
      answered = true;
      response = res;
      const status = res.statusCode ?? 0;
      if (isRedirect(status)) {
        const location = res.headers.location;
        fail(
          new CarrierFailure('redirect', {
            requestSent: true,
            retryable: false,
            status,
            ...(location ? { location } : {}),
          }),
        );
        return;
      }
      const tooLarge = () => new CarrierFailure('too_large', { requestSent: true, retryable: false, status });
      const declared = res.headers['content-length'];
      if (declared !== undefined && Number(declared) > maxResponseBytes) {
        fail(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxResponseBytes) fail(tooLarge());
        else chunks.push(chunk);
      });
      res.on('error', (error) =>
        fail(new CarrierFailure('network', { requestSent: true, retryable: true, cause: error })),
      );
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
        resolve(nodeResponse(status, res.headers, body.toString('utf8')));
      });
      // Not every cut-off body emits 'error' (stripe-node#2814): a close before the end is a failure.
      res.on('close', () => {
        if (!res.complete) {
          fail(
            new CarrierFailure('network', {
              requestSent: true,
              retryable: true,
              cause: new Error('the connection closed before the whole answer arrived'),
            }),
          );
        }
      });
    });
  });
}

function nodeResponse(status: number, raw: IncomingHttpHeaders, text: string): CarrierResponse {
  let headers: Headers | undefined;
  return {
    status,
    header(name) {
      const value = raw[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    headers() {
      if (!headers) {
        headers = new Headers();
        for (const [name, value] of Object.entries(raw)) {
          if (Array.isArray(value)) for (const item of value) headers.append(name, item);
          else if (value !== undefined) headers.append(name, value);
        }
      }
      return headers;
    },
    text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text,
  };
}
