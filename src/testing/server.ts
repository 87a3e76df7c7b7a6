/**
 * The node:http server: finds the route, applies an injected fault, reads the body, runs the handler,
 * writes the reply, and logs provider requests. Also tracks what it holds open so `close()` leaves
 * nothing running.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
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
    void handle(req, res);
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
