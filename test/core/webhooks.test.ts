import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InvalidRequestError, WebhookVerificationError } from '../../src/core/errors';
import {
  bodyKindOf,
  bodyToFields,
  createMemoryDedupeStore,
  createWebhookHandler,
  parseFormBody,
  parseJsonBody,
  readRequestText,
  toNodeHandler,
} from '../../src/core/webhooks';
import { dedupeStoreContract } from './dedupe-contract';

describe('body parsing', () => {
  it('parses JSON objects and refuses everything else with a WebhookVerificationError', () => {
    expect(parseJsonBody('{"a":1,"b":"x"}')).toEqual({ a: 1, b: 'x' });
    for (const bad of ['', '   ', 'null', '"str"', '[1]', '{"a":', '<html>']) {
      expect(() => parseJsonBody(bad)).toThrow(WebhookVerificationError);
    }
  });

  it('refuses prototype keys at any depth without polluting Object.prototype', () => {
    for (const text of [
      '{"__proto__":{"x":1}}',
      '{"a":{"constructor":{"prototype":{"x":1}}}}',
      '{"prototype":1}',
    ]) {
      expect(() => parseJsonBody(text)).toThrow(/forbidden field/);
    }
    expect(() => parseFormBody('__proto__=1')).toThrow(/forbidden/);
    expect(() => bodyToFields(JSON.parse('{"__proto__":1}'))).toThrow(/forbidden/);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('parses form bodies and refuses repeated fields', () => {
    expect(parseFormBody('orderId=M1&amount=300.00&name=a+b%20c')).toEqual({
      orderId: 'M1',
      amount: '300.00',
      name: 'a b c',
    });
    expect(() => parseFormBody('status=2&status=3')).toThrow(/repeats/);
  });

  it('tells content types apart', () => {
    expect(bodyKindOf('application/json; charset=utf-8')).toBe('json');
    expect(bodyKindOf('application/x-www-form-urlencoded')).toBe('form');
    expect(bodyKindOf(undefined)).toBe('unknown');
    expect(bodyKindOf('text/html')).toBeUndefined();
    expect(() => bodyToFields('a=1', { contentType: 'multipart/form-data' })).toThrow(/JSON or form/);
    expect(
      bodyToFields('a=1', { contentType: 'application/x-www-form-urlencoded', allowForm: true }),
    ).toEqual({ a: '1' });
  });

  it('enforces the size limit on strings, bytes and streamed requests', async () => {
    const big = `{"a":"${'x'.repeat(100)}"}`;
    expect(() => bodyToFields(big, { maxBytes: 50 })).toThrow(/50-byte limit/);
    expect(() => bodyToFields(new TextEncoder().encode(big), { maxBytes: 50 })).toThrow(/limit/);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new Uint8Array(20));
        controller.close();
      },
    });
    const request = new Request('http://x/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    await expect(readRequestText(request, 100)).rejects.toThrow(/limit/);
    expect(await readRequestText(new Request('http://x/', { method: 'POST', body: 'héllo' }), 100)).toBe(
      'héllo',
    );
  });
});

describe('createMemoryDedupeStore', () => {
  dedupeStoreContract(() => {
    let t = 0;
    const store = createMemoryDedupeStore({ now: () => t });
    // Past any lease or TTL the tests use.
    return { store, expire: () => void (t += 400 * 24 * 3600 * 1000) };
  });

  it('stays bounded, evicting the oldest keys first', async () => {
    const store = createMemoryDedupeStore({ maxEntries: 100 });
    for (let i = 0; i < 1000; i++) store.claim(`k${i}`, 60);
    expect(store.size).toBe(100);
    expect(await store.claim('k999', 60)).toStrictEqual({ state: 'in_flight' });
    expect((await store.claim('k0', 60)).state).toBe('claimed');
  });

  it('refuses a maxEntries that is not a positive integer, naming it', () => {
    for (const bad of [0, -1, Number.NaN, 1.5]) {
      expect(() => createMemoryDedupeStore({ maxEntries: bad })).toThrow(/maxEntries/);
    }
  });
});

describe('createWebhookHandler + toNodeHandler', () => {
  const handler = createWebhookHandler<{ id: string }>({
    verify: async (text) => {
      const fields = parseJsonBody(text);
      if (fields.ok !== true) throw new WebhookVerificationError('bad');
      return { id: String(fields.id) };
    },
    dedupeKey: (e) => e.id,
    acknowledge: () => new Response('ACK'),
    onEvent: () => undefined,
    maxBodyBytes: 1024,
  });

  async function withServer(
    middleware: (req: import('node:http').IncomingMessage & { body?: unknown }) => void,
    run: (port: number) => Promise<void>,
  ) {
    const node = toNodeHandler(handler, { maxBodyBytes: 1024 });
    const server = createServer((req, res) => {
      middleware(req);
      void node(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      await run((server.address() as AddressInfo).port);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  function send(port: number, body: string, contentType = 'application/json') {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'POST', path: '/hook', headers: { 'content-type': contentType } },
        (res) => {
          let text = '';
          res.on('data', (c) => {
            text += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('reads the raw body from a node:http stream', async () => {
    await withServer(
      () => undefined,
      async (port) => {
        expect(await send(port, '{"ok":true,"id":"1"}')).toEqual({ status: 200, text: 'ACK' });
        expect((await send(port, '{"ok":false}')).status).toBe(400);
        expect((await send(port, `{"ok":true,"pad":"${'x'.repeat(2000)}"}`)).status).toBe(413);
      },
    );
  });

  it('uses a body a parser already produced (object or Buffer)', async () => {
    await withServer(
      (req) => {
        req.body = { ok: true, id: '2' };
        (req as { readable?: boolean }).readable = false;
      },
      async (port) => {
        expect(await send(port, 'ignored')).toEqual({ status: 200, text: 'ACK' });
      },
    );
    await withServer(
      (req) => {
        req.body = Buffer.from('{"ok":true,"id":"3"}');
      },
      async (port) => {
        expect((await send(port, 'ignored')).status).toBe(200);
      },
    );
  });
});
