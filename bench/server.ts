/**
 * The loopback server the client-call rows talk to: node:http on 127.0.0.1, a fixed JSON answer per
 * path, sent as soon as the request body has been read. Every candidate of a row hits the same server.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BenchServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  /** Requests answered so far (a check that calls really went out). */
  readonly requests: number;
  close(): Promise<void>;
}

/** The documented balance answer of the JWT gateway. */
export const BALANCE_ENVELOPE = JSON.stringify({
  code: 200,
  message: 'Success',
  data: { balance: 50000, currency: 'THB' },
});

/** The path of the gateway's balance endpoint below the bench server. */
export const GATEWAY_BASE_PATH = '/api/v1';

/**
 * Start a server answering `routes[path]` (status 200, JSON) to a request for `path`, 404 otherwise.
 *
 * @example
 * ```ts
 * const server = await startBenchServer({ '/api/v1/balance': BALANCE_ENVELOPE });
 * await fetch(`${server.origin}/api/v1/balance`, { method: 'POST', body: '{}' });
 * await server.close();
 * ```
 */
export async function startBenchServer(routes: Record<string, string>): Promise<BenchServer> {
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests++;
      const path = (request.url ?? '/').split('?')[0]!;
      const answer = routes[path];
      response.writeHead(answer === undefined ? 404 : 200, { 'content-type': 'application/json' });
      response.end(answer ?? '{"code":404,"message":"Not found"}');
    });
  });
  server.keepAliveTimeout = 60_000;
  // A deep backlog: the concurrency row opens 1,000 connections at once.
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
