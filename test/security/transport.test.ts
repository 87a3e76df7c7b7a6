/**
 * Attack replays against the request path (issue 12, findings 1, 7 and 10), on real loopback servers and
 * on both carriers: a gateway that redirects (the API key must never follow), an `http://` base URL, an
 * answer of 400 MB, and connection errors that prove nothing was sent. Plus the keep-alive case: a
 * kept-alive socket the server closed is retried for a read and reported (never as "failed") for a create.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ConnectionError, InvalidRequestError } from '../../src/core/errors';
import { Transport, type TransportOptions } from '../../src/core/transport';
import { JwtGatewayClient } from '../../src/jwt-gateway';
import { ThbCollectClient } from '../../src/thb-collect';
import { testRsaKeyPair } from '../helpers/rsa-keys';

const API_KEY = 'ak_live_redirect_target_must_never_see_this';
// Any valid pair will do: the THB call is refused before an answer could be verified.
const THB_PAIR = testRsaKeyPair(6);
const THB_PRIVATE_PEM = THB_PAIR.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const THB_PUBLIC_PEM = THB_PAIR.publicKey.export({ format: 'pem', type: 'spki' }).toString();

const servers: Server[] = [];
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** What a loopback server saw. */
interface Seen {
  method: string;
  url: string;
  apiKey: string | undefined;
  body: string;
}

async function listen(
  server: Server,
  host = '127.0.0.1',
): Promise<{ origin: string; host: string; port: number }> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  const scheme = 'cert' in server ? 'https' : 'http';
  return { origin: `${scheme}://${host}:${port}`, host, port };
}

/** A server that records each request (body read whole) and answers with `answer`. */
async function recording(
  answer: (req: IncomingMessage, res: ServerResponse, seen: Seen) => void,
  host = '127.0.0.1',
) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        apiKey: req.headers['x-api-key'] as string | undefined,
        body,
      };
      seen.push(entry);
      answer(req, res, entry);
    });
  });
  return { seen, ...(await listen(server, host)) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A self-signed certificate for 127.0.0.1, made by openssl for this run. */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'thaipay-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  return {
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
  };
}

const CARRIERS: ReadonlyArray<readonly [string, Partial<TransportOptions>]> = [
  ['node', {}],
  ['fetch', { fetch: (input, init) => globalThis.fetch(input, init) }],
];

describe('http:// base URLs (finding 7)', () => {
  it.each([
    'http://gateway.example/api/v1',
    'http://10.0.0.5/api',
    'http://127.0.0.1.evil.example/api',
    'http://localhost.evil.example/api',
    'http://[::2]/api',
  ])('refuses %s with InvalidRequestError naming baseUrl', (baseUrl) => {
    const error = (() => {
      try {
        new Transport({ baseUrl });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues.map((i) => i.field)).toEqual(['baseUrl']);
    expect((error as Error).message).toMatch(/must be https:\/\/.*allowInsecureHttp: true/);
  });

  it.each([
    'http://127.0.0.1:8080/api',
    'http://127.4.5.6/api',
    'http://localhost:3000/api',
    'http://[::1]:3000/api',
    'https://gateway.example/api',
  ])('accepts %s', (baseUrl) => {
    expect(new Transport({ baseUrl }).carrier).toBe('node');
  });

  it('accepts a non-loopback http:// base URL only with allowInsecureHttp: true', () => {
    expect(
      () => new Transport({ baseUrl: 'http://gateway.example/api', allowInsecureHttp: true }),
    ).not.toThrow();
    expect(
      () =>
        new JwtGatewayClient({ baseUrl: 'http://gateway.example/api/v1', merchantId: 'M1', apiKey: API_KEY }),
    ).toThrow(InvalidRequestError);
    expect(
      () =>
        new JwtGatewayClient({
          baseUrl: 'http://gateway.example/api/v1',
          merchantId: 'M1',
          apiKey: API_KEY,
          allowInsecureHttp: true,
        }),
    ).not.toThrow();
  });
});

for (const [carrier, carrierOptions] of CARRIERS) {
  describe(`carrier ${carrier}`, () => {
    describe('redirects are never followed (finding 1)', () => {
      it.each([301, 302, 303, 307, 308])(
        'HTTP %i to another host: a typed error naming the status and host, nothing re-sent, the key stays',
        async (status) => {
          // 127.0.0.2 is another host (loopback on Linux): what the attacker would control.
          const thief = await recording((_req, res) => res.end('{}'), '127.0.0.2');
          const gateway = await recording((_req, res) => {
            res.writeHead(status, { location: `${thief.origin}/steal?from=gateway` });
            res.end();
          });
          const client = new JwtGatewayClient({
            ...carrierOptions,
            baseUrl: `${gateway.origin}/api/v1`,
            merchantId: 'M1',
            apiKey: API_KEY,
            maxRetries: 2,
          });

          const error = await rejectionOf(client.getBalance());

          expect(error).toBeInstanceOf(ApiError);
          expect((error as ApiError).code).toBe('redirect_refused');
          expect((error as ApiError).status).toBe(status);
          expect((error as Error).message).toContain(
            `HTTP ${status} redirecting to http://127.0.0.2:${thief.port}`,
          );
          expect((error as ApiError).raw).toEqual({ location: `http://127.0.0.2:${thief.port}` });
          expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain(API_KEY);
          // A read is retried on faults, but a redirect is not one: exactly one request, none to the thief.
          expect(gateway.seen).toHaveLength(1);
          expect(thief.seen).toEqual([]);
          await client.close();
        },
      );

      it('a create redirected with 307 (which would re-send the signed body) sends nothing elsewhere', async () => {
        const thief = await recording((_req, res) => res.end('{}'), '127.0.0.2');
        const gateway = await recording((_req, res) => {
          res.writeHead(307, { location: `${thief.origin}/api/v1/deposit` });
          res.end();
        });
        const transport = new Transport({
          ...carrierOptions,
          baseUrl: `${gateway.origin}/api/v1`,
          headers: { 'x-api-key': API_KEY },
        });
        const error = await rejectionOf(
          transport.send({ method: 'POST', path: '/deposit', body: { amount: 100 }, retry: false }),
        );
        expect(error).toMatchObject({ code: 'redirect_refused', status: 307 });
        expect(gateway.seen.map((s) => [s.method, s.apiKey, s.body])).toEqual([
          ['POST', API_KEY, '{"amount":100}'],
        ]);
        expect(thief.seen).toEqual([]);
        await transport.close();
      });
    });

    describe('the size of an answer is bounded (finding 7)', () => {
      it('a 400 MB chunked answer is cut off at maxResponseBytes, never buffered whole', async () => {
        let written = 0;
        let closedEarly = false;
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const gateway = await recording((_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.on('close', () => {
            closedEarly = written < 400 * 1024 * 1024;
          });
          const pump = (): void => {
            while (written < 400 * 1024 * 1024 && !res.destroyed) {
              written += chunk.length;
              if (!res.write(chunk)) {
                res.once('drain', pump);
                return;
              }
            }
            if (!res.destroyed) res.end();
          };
          pump();
        });
        const transport = new Transport({ ...carrierOptions, baseUrl: gateway.origin, maxRetries: 0 });

        const error = await rejectionOf(transport.send({ method: 'GET', path: '/balance', retry: true }));

        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({
          code: 'invalid_response',
          status: 200,
          raw: { excerpt: '', reason: 'too_large', limitBytes: 1024 * 1024 },
        });
        expect((error as Error).message).toMatch(/over the 1048576-byte limit \(maxResponseBytes\)/);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(closedEarly).toBe(true);
        // The server could push at most the socket buffers' worth past the limit before the cut.
        expect(written).toBeLessThan(64 * 1024 * 1024);
        await transport.close();
      });

      it('a declared Content-Length over the limit is refused before its body is read', async () => {
        const gateway = await recording((_req, res) => {
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-length': String(400 * 1024 * 1024),
          });
          res.write('{"code":200,');
        });
        const transport = new Transport({
          ...carrierOptions,
          baseUrl: gateway.origin,
          maxResponseBytes: 4096,
        });
        const error = await rejectionOf(transport.send({ method: 'GET', path: '/x', retry: false }));
        expect(error).toMatchObject({
          code: 'invalid_response',
          raw: { excerpt: '', reason: 'too_large', limitBytes: 4096 },
        });
        await transport.close();
      });

      it('an answer at the limit is read', async () => {
        const body = JSON.stringify({ pad: 'x'.repeat(4096 - 10) });
        expect(body.length).toBe(4096);
        const gateway = await recording((_req, res) => res.end(body));
        const transport = new Transport({
          ...carrierOptions,
          baseUrl: gateway.origin,
          maxResponseBytes: 4096,
        });
        await expect(transport.send({ method: 'GET', path: '/x', retry: false })).resolves.toMatchObject({
          status: 200,
          body: JSON.parse(body),
        });
        await transport.close();
      });
    });

    if (carrier === 'fetch') {
      it('a compressed answer is counted as it decodes: small on the wire, over the limit once read', async () => {
        const { gzipSync } = await import('node:zlib');
        const packed = gzipSync(JSON.stringify({ pad: 'x'.repeat(64 * 1024) }));
        expect(packed.length).toBeLessThan(4096);
        const gateway = await recording((_req, res) => {
          res.writeHead(200, {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
            'content-length': String(packed.length),
          });
          res.end(packed);
        });
        const transport = new Transport({
          ...carrierOptions,
          baseUrl: gateway.origin,
          maxResponseBytes: 4096,
        });
        const error = await rejectionOf(transport.send({ method: 'GET', path: '/x', retry: false }));
        expect(error).toMatchObject({
          code: 'invalid_response',
          raw: { reason: 'too_large', limitBytes: 4096 },
        });
        await transport.close();
      });
    }

    describe('connection errors say when nothing left (finding 10)', () => {
      it('connection refused: requestSent false, "never left", no advice to query an order', async () => {
        const port = await closedPort();
        const transport = new Transport({
          ...carrierOptions,
          baseUrl: `http://127.0.0.1:${port}`,
          maxRetries: 0,
        });
        for (const retry of [false, true]) {
          const error = await rejectionOf(
            transport.send({ method: 'POST', path: '/deposit', body: {}, retry }),
          );
          expect(error).toBeInstanceOf(ConnectionError);
          expect((error as ConnectionError).requestSent).toBe(false);
          expect((error as ConnectionError).toJSON().requestSent).toBe(false);
          expect((error as Error).message).toMatch(/ECONNREFUSED/);
          expect((error as Error).message).toMatch(/The request never left: nothing reached the provider\.$/);
          expect((error as Error).message).not.toMatch(/may or may not|query the order/);
        }
      });

      it('unknown host: requestSent false', async () => {
        const transport = new Transport({
          ...carrierOptions,
          baseUrl: 'https://no-such-host.invalid/api',
          maxRetries: 0,
        });
        const error = await rejectionOf(
          transport.send({ method: 'POST', path: '/deposit', body: {}, retry: false }),
        );
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as ConnectionError).requestSent).toBe(false);
        expect((error as Error).message).toMatch(/ENOTFOUND|EAI_AGAIN/);
      });

      it('a TLS certificate that does not verify: requestSent false, and the server never got the request', async () => {
        const seen: string[] = [];
        const server = createHttpsServer(selfSigned(), (req, res) => {
          seen.push(req.url ?? '');
          res.end('{}');
        });
        const { origin } = await listen(server);
        const transport = new Transport({ ...carrierOptions, baseUrl: origin, maxRetries: 0 });
        const error = await rejectionOf(
          transport.send({ method: 'POST', path: '/deposit', body: {}, retry: false }),
        );
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as ConnectionError).requestSent).toBe(false);
        expect((error as Error).message).toMatch(/SELF_SIGNED|self-signed|certificate/i);
        expect(seen).toEqual([]);
        await transport.close();
      });

      it('a create on a closed port is the refusal itself, at once: no re-send, no unknown outcome', async () => {
        const port = await closedPort();
        const client = new JwtGatewayClient({
          ...carrierOptions,
          baseUrl: `http://127.0.0.1:${port}/api/v1`,
          merchantId: 'M1',
          apiKey: API_KEY,
        });
        const error = await rejectionOf(
          client.createDeposit({
            transactionId: 'T-closed-port',
            bankAccountNumber: '1234567890',
            bankName: 'KBANK',
            name: 'John Doe',
            amount: 100,
            type: 'QR',
            callbackUrl: 'https://shop.example/cb',
          }),
        );
        // Before: OrderStatusUnknownError after ~2 s of re-sends to a port that never took the request.
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as ConnectionError).requestSent).toBe(false);
        await client.close();
      });

      it('a read of the balance on a closed port gives no order advice', async () => {
        const port = await closedPort();
        const client = new JwtGatewayClient({
          ...carrierOptions,
          baseUrl: `http://127.0.0.1:${port}/api/v1`,
          merchantId: 'M1',
          apiKey: API_KEY,
          maxRetries: 0,
        });
        const error = await rejectionOf(client.getBalance());
        expect(error).toBeInstanceOf(ConnectionError);
        expect((error as ConnectionError).requestSent).toBe(false);
        expect((error as Error).message).not.toMatch(/query the order|may or may not/);
      });
    });
  });
}

describe('https redirected to http:// (finding 1)', () => {
  const previous = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  beforeAll(() => {
    // The test's own self-signed gateway; restored after.
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = previous;
  });

  it.each(CARRIERS)('carrier %s: the key is never sent in clear', async (_name, carrierOptions) => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const clear = await recording((_req, res) => res.end('{}'));
    const server = createHttpsServer(selfSigned(), (_req, res) => {
      res.writeHead(301, { location: `${clear.origin}/api/v1/balance` });
      res.end();
    });
    const { origin } = await listen(server);
    const client = new ThbCollectClient({
      ...carrierOptions,
      appId: 1054,
      secretKey: API_KEY,
      privateKey: THB_PRIVATE_PEM,
      platformPublicKey: THB_PUBLIC_PEM,
      baseUrl: origin,
      maxRetries: 0,
    });
    const error = await rejectionOf(client.getCollection({ orderId: 'ORDER-1' }));
    expect(error).toMatchObject({ code: 'redirect_refused', status: 301 });
    expect((error as Error).message).toContain(`redirecting to ${clear.origin}`);
    expect(clear.seen).toEqual([]);
    await client.close();
  });
});

describe('keep-alive: a kept-alive socket the server closed (node carrier)', () => {
  /** Answers the first request on each connection, then cuts the connection on the next one. */
  async function cutsSecondRequest() {
    const perSocket = new WeakMap<object, number>();
    const seen: string[] = [];
    const server = createServer((req, res) => {
      const n = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, n);
      req.resume();
      req.on('end', () => {
        seen.push(`${req.url} #${n}`);
        if (n === 1) res.end('{"code":200,"data":{"balance":1,"currency":"THB"}}');
        else req.socket.destroy();
      });
    });
    server.keepAliveTimeout = 60_000;
    return { seen, ...(await listen(server)) };
  }

  it.each([
    ['close()', (c: JwtGatewayClient) => c.close()],
    ['Symbol.asyncDispose', (c: JwtGatewayClient) => c[Symbol.asyncDispose]()],
  ])('%s closes the kept-alive connection, so a script can exit', async (_name, close) => {
    let connections = 0;
    let markClosed: () => void = () => {};
    const firstClosed = new Promise<void>((resolve) => {
      markClosed = resolve;
    });
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"code":200,"data":{"balance":1,"currency":"THB"}}'));
    });
    server.keepAliveTimeout = 60_000;
    server.on('connection', (socket) => {
      connections++;
      socket.on('close', markClosed);
    });
    const { origin } = await listen(server);
    const client = new JwtGatewayClient({ baseUrl: `${origin}/api/v1`, merchantId: 'M1', apiKey: API_KEY });
    await client.getBalance();
    await client.getBalance();
    expect(connections).toBe(1);
    await close(client);
    // Resolves only once the client let the socket go (the server keeps it for 60 s otherwise).
    await firstClosed;
    // A later call opens a new connection.
    await expect(client.getBalance()).resolves.toMatchObject({ balance: 1 });
    expect(connections).toBe(2);
    await client.close();
  });

  it('a read is retried at once on a new connection', async () => {
    const { origin, seen } = await cutsSecondRequest();
    const transport = new Transport({ baseUrl: origin, maxRetries: 1, retryBaseDelayMs: 60_000 });
    await transport.send({ method: 'POST', path: '/balance', body: {}, retry: true });
    const second = await transport.send({ method: 'POST', path: '/balance', body: {}, retry: true });
    expect(second).toMatchObject({ status: 200, attempts: 2 });
    expect(seen).toEqual(['/balance #1', '/balance #2', '/balance #1']);
    await transport.close();
  });

  it('a create is not re-sent: a ConnectionError that says the request was sent on a closed kept-alive connection', async () => {
    const { origin, seen } = await cutsSecondRequest();
    const transport = new Transport({ baseUrl: origin });
    await transport.send({ method: 'POST', path: '/balance', body: {}, retry: true });
    const error = await rejectionOf(
      transport.send({ method: 'POST', path: '/deposit', body: {}, retry: false }),
    );
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).requestSent).toBe(true);
    expect((error as Error).message).toMatch(
      /on a kept-alive connection the server had closed \(attempt 1 of 1\)/,
    );
    expect((error as Error).message).toMatch(/query the order before trying again\.$/);
    expect(seen).toEqual(['/balance #1', '/deposit #2']);
    await transport.close();
  });
});
