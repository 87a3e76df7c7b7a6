/**
 * The node:http server: checks the `Host`, finds the route, applies an injected fault, reads the body,
 * runs the handler, writes the reply, and logs provider requests. Also tracks what it holds open so
 * `close()` leaves nothing running.
 *
 * No request, however malformed, may stop it: an unparsable request target is a 400, a handler that
 * throws is a 500, a broken connection is dropped, and nothing escapes as an unhandled rejection.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isControlPath, refuseForeignControl } from './control-routes';
import { faultReply, truncateReply } from './fault-replies';
import type { FaultRegistry } from './faults';
import { type IncomingCall, jsonReply, type Reply, type RouteResolver } from './http';
import type { RequestLog } from './request-log';
import type { SandboxRequestLogEntry } from './types';

/** Largest request body read; bigger ones get 413. */
const MAX_BODY_BYTES = 1024 * 1024;

/** What the server needs. */
export interface ServerConfig {
  host: string;
  port: number;
  resolvers: readonly RouteResolver[];
  faults: FaultRegistry;
  log: RequestLog;
  now: () => number;
  /** Names besides the loopback ones (and the bound host) a request's `Host` may carry. */
  allowedHosts?: readonly string[];
  /** The token every `/_sandbox` request that changes state must carry (control-routes.ts). */
  controlToken: string;
}

/** A running server. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

class BodyTooLargeError extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.resume();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, reply: Reply, entry: SandboxRequestLogEntry | undefined): void {
  if (res.destroyed) return;
  if (entry) entry.status = reply.status;
  res.writeHead(reply.status, { 'content-length': Buffer.byteLength(reply.body), ...reply.headers });
  res.end(reply.body);
}

/** The loopback names a browser can only reach on this machine, never through someone's DNS. */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Every `Host` value the server answers: the loopback names, the bound host and the extra names, each
 * with the port (and without it on port 80, as browsers send it). Anything else may be a DNS-rebinding
 * page whose own name now points at 127.0.0.1.
 *
 * @example
 * ```ts
 * allowedHostValues('127.0.0.1', 4010); // Set { 'localhost:4010', '127.0.0.1:4010', '[::1]:4010' }
 * ```
 */
export function allowedHostValues(
  boundHost: string,
  port: number,
  extra: readonly string[] = [],
): Set<string> {
  const bound = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  const values = new Set<string>();
  for (const name of [...LOOPBACK_NAMES, bound, ...extra]) {
    const lower = name.toLowerCase();
    values.add(`${lower}:${port}`);
    if (port === 80) values.add(lower);
  }
  return values;
}

/**
 * The request target as a URL on a placeholder origin, or `undefined` when it is not one (`new URL`
 * throws on `http://[::1`, `//[` and the like; an exception there used to stop the whole sandbox).
 * An absolute-form target (`GET http://host/path`) also names the host it is for.
 */
function requestTarget(target: string): { url: URL; host?: string } | undefined {
  try {
    // Prefixing the origin keeps `//x` a path instead of a protocol-relative URL.
    if (target.startsWith('/')) return { url: new URL(`http://sandbox.invalid${target}`) };
    const absolute = new URL(target);
    if (absolute.protocol !== 'http:' || absolute.username !== '' || absolute.password !== '')
      return undefined;
    return {
      url: new URL(`http://sandbox.invalid${absolute.pathname}${absolute.search}`),
      host: absolute.port === '' ? `${absolute.hostname}:80` : absolute.host,
    };
  } catch {
    return undefined;
  }
}

/** Whether the request's `Host`, and an absolute-form target's host, are names the server answers. */
function hostAllowed(req: IncomingMessage, targetHost: string | undefined, allowed: Set<string>): boolean {
  const header = req.headers.host;
  if (typeof header !== 'string' || !allowed.has(header.toLowerCase())) return false;
  return targetHost === undefined || allowed.has(targetHost.toLowerCase());
}

function clientAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? '';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/**
 * Start listening; resolves once the port is bound.
 *
 * @example
 * ```ts
 * const server = await startServer({ host: '127.0.0.1', port: 0, resolvers, faults, log, now: Date.now });
 * console.log(server.url);
 * ```
 */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  const heldTimers = new Set<NodeJS.Timeout>();
  // Filled in once the port is bound (port 0 picks one).
  let allowedHosts = new Set<string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const target = requestTarget(req.url ?? '/');
    if (!target) {
      write(
        res,
        jsonReply(400, { code: 400, message: 'Bad request target' }, { connection: 'close' }),
        undefined,
      );
      return;
    }
    if (!hostAllowed(req, target.host, allowedHosts)) {
      const names = [...allowedHosts].join(', ');
      const message = `Host must be one of ${names}; other names are refused (DNS rebinding)`;
      write(res, jsonReply(403, { code: 403, message }), undefined);
      return;
    }
    const url = target.url;
    let resolved: ReturnType<RouteResolver>;
    for (const resolver of config.resolvers) {
      resolved = resolver(method, url.pathname);
      if (resolved) break;
    }
    const route = resolved?.route;
    const fault = route ? config.faults.take(route) : undefined;
    // Only provider traffic is logged: the page and the controls would drown it.
    const entry =
      route || !resolved
        ? config.log.start(method, url.pathname, route ?? null, config.now(), fault?.fault)
        : undefined;

    if (!resolved) {
      write(res, jsonReply(404, { code: 404, message: 'Not found' }), entry);
      return;
    }
    if (fault?.fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault?.fault === 'timeout') {
      const timer = setTimeout(() => {
        heldTimers.delete(timer);
        req.socket.destroy();
      }, fault.delayMs ?? 30_000);
      heldTimers.add(timer);
      req.socket.once('close', () => {
        clearTimeout(timer);
        heldTimers.delete(timer);
      });
      return;
    }
    const early = fault ? faultReply(fault, url.pathname, config.now()) : undefined;
    if (early) {
      write(res, early, entry);
      return;
    }

    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        write(res, jsonReply(413, { code: 413, message: 'Payload too large' }), entry);
      } else req.socket.destroy();
      return;
    }
    const call: IncomingCall = { method, url, headers: req.headers, remoteAddress: clientAddress(req), body };
    // Here rather than in one resolver: whichever module serves a control, a foreign page cannot use it.
    const refused = isControlPath(url.pathname) ? refuseForeignControl(call, config.controlToken) : undefined;
    if (refused) {
      write(res, refused, entry);
      return;
    }
    let reply: Reply;
    try {
      reply = await resolved.handle(call, fault);
    } catch (error) {
      // A sandbox bug should be visible, not a hung request.
      const message = error instanceof Error ? error.message : String(error);
      reply = jsonReply(500, { code: 500, message: `Sandbox error: ${message}` });
    }
    if (fault?.fault === 'lost-response') {
      req.socket.destroy();
      return;
    }
    write(res, fault?.fault === 'malformed-json' ? truncateReply(reply) : reply, entry);
  }

  const server: Server = createServer((req, res) => {
    // A client that goes away mid-request must not become an unhandled 'error' event.
    res.on('error', () => {});
    handle(req, res).catch((error: unknown) => {
      try {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const message = error instanceof Error ? error.message : String(error);
        write(res, jsonReply(500, { code: 500, message: `Sandbox error: ${message}` }), undefined);
      } catch {
        req.socket.destroy();
      }
    });
  });
  // A request Node cannot even parse: answer 400 on the raw socket (or drop a connection already gone).
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  allowedHosts = allowedHostValues(config.host, port, config.allowedHosts);

  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of heldTimers) clearTimeout(timer);
        heldTimers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
