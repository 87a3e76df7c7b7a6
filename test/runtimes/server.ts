/**
 * The matrix's local provider server. It runs in Node (the test runner) on 127.0.0.1, so the runtime under
 * test needs nothing but `fetch`. It checks each request's signature with implementations independent of
 * thaipay (jsonwebtoken for HS256, node:crypto for RSA) and answers like the providers: a balance, and a
 * THB collect query answer signed with the platform key (or deliberately tampered).
 *
 * It also serves `/vectors.json` and any static files the caller adds (the browser page and its bundle).
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { MOCK_GATEWAY, MOCK_THB } from './mock-api';
import type { RuntimeVectors } from './vectors';

/** A file the server hands out on GET. */
export interface StaticFile {
  contentType: string;
  body: string;
}

/** One provider request the server received, and whether its signature was right. */
export interface ReceivedRequest {
  path: string;
  signatureValid: boolean;
}

export interface MatrixServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  /** Provider requests in arrival order. */
  received: ReceivedRequest[];
  /** Add or replace a file served on GET. */
  serve(path: string, file: StaticFile): void;
  close(): Promise<void>;
}

/** Top-level keys in UTF-16 code-unit order. */
function sorted(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[key] = params[key];
  return out;
}

/** THB collect's sign string, written here independently of thaipay's. */
function thbSignString(params: Record<string, unknown>, secretKey: string): string {
  const keys = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type')
    .filter((k) => params[k] !== '' && params[k] !== null && params[k] !== undefined)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `${keys.map((k) => `${k}=${String(params[k])}&`).join('')}key=${secretKey}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
}

/**
 * Start the server on a free port of 127.0.0.1.
 *
 * @example
 * ```ts
 * const server = await startMatrixServer(vectors);
 * // run the checks against server.url, then:
 * await server.close();
 * ```
 */
export async function startMatrixServer(vectors: RuntimeVectors): Promise<MatrixServer> {
  const files = new Map<string, StaticFile>([
    ['/vectors.json', { contentType: 'application/json', body: JSON.stringify(vectors) }],
  ]);
  const received: ReceivedRequest[] = [];
  const apiKey = vectors.hs256.apiKey;
  const { secretKey } = vectors.rsa;
  const merchantPublicKey = createPublicKey(vectors.rsa.merchant.spkiPem);
  const platformPrivateKey = createPrivateKey(vectors.rsa.platform.pkcs8Pem);

  function balance(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    const { signature, ...params } = body;
    const expected = jwt.sign(sorted(params), apiKey, { algorithm: 'HS256', noTimestamp: true });
    const valid =
      req.headers['x-api-key'] === apiKey && typeof params.timestamp === 'number' && signature === expected;
    received.push({ path: req.url ?? '', signatureValid: valid });
    if (!valid) {
      sendJson(res, 401, { code: 401, status: 'error', message: 'Invalid signature' });
      return;
    }
    sendJson(res, 200, {
      code: 200,
      status: 'success',
      data: { balance: MOCK_GATEWAY.balance, currency: MOCK_GATEWAY.currency },
    });
  }

  function collectQuery(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>): void {
    const signature = typeof body.sign === 'string' ? body.sign : '';
    const valid =
      body.appId === MOCK_THB.appId &&
      verify(
        'sha256',
        Buffer.from(thbSignString(body, secretKey), 'utf8'),
        merchantPublicKey,
        Buffer.from(signature, 'base64'),
      );
    received.push({ path: req.url ?? '', signatureValid: valid });
    if (!valid) {
      sendJson(res, 200, { status: '0', error: 'E0001', msg: 'sign error: signature verification failed' });
      return;
    }
    const data: Record<string, unknown> = {
      orderId: body.orderId,
      orderNo: MOCK_THB.orderNo,
      amount: MOCK_THB.amount,
      actualAmount: MOCK_THB.amount,
      fee: '6.00',
      status: 2,
      payTime: '2025-06-15 14:30:00',
      errorMsg: '',
    };
    data.sign = sign(
      'sha256',
      Buffer.from(thbSignString(data, secretKey), 'utf8'),
      platformPrivateKey,
    ).toString('base64');
    // Changed after signing: a client that checks the platform signature must throw this answer away.
    if (body.orderId === MOCK_THB.tamperedOrderId) data.amount = '30000.00';
    sendJson(res, 200, { status: '1', error: '00000000', msg: 'success', data });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (req.method === 'GET') {
        const file = files.get(path);
        if (!file) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
          return;
        }
        res.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store' }).end(file.body);
        return;
      }
      const body = parseJson(await readBody(req));
      if (req.method === 'POST' && path === `${MOCK_GATEWAY.prefix}/balance`) balance(req, res, body);
      else if (req.method === 'POST' && path === '/thb/collect/query') collectQuery(req, res, body);
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    serve(path, file) {
      files.set(path, file);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
