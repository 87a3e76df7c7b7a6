/**
 * Attack replays against the sandbox (issue 12, finding 8), over real loopback sockets:
 * - a malformed request line (`GET http://[::1 HTTP/1.1` and other garbage) used to stop it;
 * - a web page could pay orders and inject faults (a `text/plain` simple request, a foreign `Origin`);
 * - any `Host` was served, so a DNS-rebinding page could read and drive it.
 * Each test asserts the attack is refused and that the sandbox still serves afterwards.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_TOKEN_HEADER, createSandbox, type Sandbox } from '../../src/testing';
import { FaultRegistry } from '../../src/testing/faults';
import { jsonReply } from '../../src/testing/http';
import { RequestLog } from '../../src/testing/request-log';
import { startServer } from '../../src/testing/server';
import { SANDBOX_KEYS } from '../sandbox-keys';
import { depositParams, jwtPost } from '../testing/helpers';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Write `text` on a raw socket, half-close, and collect everything the server answers until it closes. */
function rawExchange(port: number, text: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      answer += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer));
  });
}

/** The status code of a raw HTTP answer, or `null` when the server just closed the connection. */
function statusOf(answer: string): number | null {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(answer);
  return match ? Number(match[1]) : null;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** An HTTP request with headers fetch will not send as given (Host, Origin, Sec-Fetch-Site). */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = { 'content-type': 'application/json' };

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

let sandbox: Sandbox;
let port: number;
beforeEach(async () => {
  sandbox = await createSandbox({ retryIntervalsMs: [5], thbCollect: SANDBOX_KEYS });
  port = Number(new URL(sandbox.url).port);
  unhandled.length = 0;
});
afterEach(async () => {
  await sandbox.close();
  expect(unhandled).toEqual([]);
});

/** The sandbox still answers an ordinary request. */
async function stillServes(): Promise<void> {
  const state = await fetch(`${sandbox.url}/_sandbox/state`);
  expect(state.status).toBe(200);
  expect(((await state.json()) as { url: string }).url).toBe(sandbox.url);
}

async function pendingDeposit(): Promise<string> {
  const created = await jwtPost(sandbox, '/deposit', depositParams(sandbox));
  expect(created.status).toBe(200);
  return String(created.body.data.referenceId);
}

describe('a malformed request never stops the sandbox', () => {
  it('answers 400 to `GET http://[::1 HTTP/1.1` and keeps serving', async () => {
    const answer = await rawExchange(port, `GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    expect(statusOf(answer)).toBe(400);
    await stillServes();
  });

  it.each([
    ['an unterminated IPv6 literal, origin form', 'GET //[ HTTP/1.1'],
    ['a port out of range', 'GET http://127.0.0.1:99999/ HTTP/1.1'],
    ['a userinfo URL', 'POST http://user:pw@127.0.0.1/_sandbox/faults HTTP/1.1'],
    ['a non-http scheme', 'GET file:///etc/passwd HTTP/1.1'],
    ['an asterisk target', 'OPTIONS * HTTP/1.1'],
    ['a bad percent escape', 'POST /_sandbox/orders/%E0%A4%A/pay HTTP/1.1'],
    ['a bare method', 'GARBAGE'],
    ['a control character in the target', 'GET /\u0001 HTTP/1.1'],
    ['a CONNECT', `CONNECT 127.0.0.1:${0} HTTP/1.1`],
  ])('survives %s', async (_name, line) => {
    const answer = await rawExchange(port, `${line}\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    const status = statusOf(answer);
    // Refused one way or another: an error status, or the connection closed without an answer.
    expect(status === null || status >= 400).toBe(true);
    await stillServes();
  });

  it('survives broken headers, chunking and bodies', async () => {
    const host = `Host: 127.0.0.1:${port}`;
    const attacks = [
      `GET / HTTP/1.1\r\n${host}\r\nX: ${'a'.repeat(20_000)}\r\n\r\n`,
      `POST /_sandbox/faults HTTP/1.1\r\n${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`,
      `POST /_sandbox/faults HTTP/1.1\r\n${host}\r\nContent-Length: 100\r\n\r\n{"route"`,
      `POST /_sandbox/faults HTTP/1.1\r\n${host}\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
      `GET / HTTP/1.1\r\n${host}\r\nBad Header\r\n\r\n`,
      Buffer.from([0, 1, 2, 255, 254, 13, 10, 13, 10]),
    ];
    for (const attack of attacks) {
      const status = statusOf(await rawExchange(port, attack));
      expect(status === null || status >= 400).toBe(true);
    }
    await stillServes();
  });

  it('survives clients that vanish mid-request, on every kind of route and fault', async () => {
    sandbox.injectFault('jwt:balance', 'timeout', { delayMs: 60_000 });
    const host = `Host: 127.0.0.1:${port}`;
    const partial = (method: string, path: string) =>
      `${method} ${path} HTTP/1.1\r\n${host}\r\ncontent-type: application/json\r\nContent-Length: 500\r\n\r\n{"a":`;
    for (const request of [
      partial('POST', '/api/v1/deposit'),
      partial('POST', '/api/v1/balance'),
      partial('POST', '/thb/collect/apply'),
      partial('POST', '/_sandbox/faults'),
      partial('GET', '/'),
      partial('GET', '/nothing'),
    ]) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => {
          socket.write(request, () => {
            // A reset, not a polite end: the server sees ECONNRESET while it waits for the body.
            setImmediate(() => {
              socket.resetAndDestroy();
              resolve();
            });
          });
        });
        socket.on('error', () => {});
      });
    }
    await stillServes();
  });

  it('survives random request targets (fuzzed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 40 }),
          fc.string({ maxLength: 40 }).map((text) => `http://${text}`),
          fc.string({ maxLength: 40 }).map((text) => `//${text}`),
          fc.string({ maxLength: 40 }).map((text) => `/_sandbox/orders/${text}/pay`),
        ),
        async (target) => {
          // Line breaks would start another request; the parser's own refusal covers them.
          const line = `POST ${target.replace(/[\r\n]/g, '')} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
          const status = statusOf(await rawExchange(port, line));
          // Without the token nothing that changes state may succeed, whatever the target.
          expect(status === null || status >= 400).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
    await stillServes();
    expect(sandbox.faults()).toEqual([]);
  });

  it('`thaipay sandbox` survives it too, as a real process', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'sandbox'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    child.stderr.on('data', (chunk) => {
      errors += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          output += chunk;
          if (output.includes('Press Ctrl-C to stop.')) resolve();
        });
        child.on('exit', () => reject(new Error(`sandbox exited early: ${errors}`)));
      });
      const url = /running at (http:\/\/127\.0\.0\.1:(\d+))\//.exec(output)!;
      const childPort = Number(url[2]);
      const statuses: Array<number | null> = [];
      for (const line of ['GET http://[::1 HTTP/1.1', 'GET //[ HTTP/1.1', 'GET http://a:99999/ HTTP/1.1']) {
        statuses.push(
          statusOf(await rawExchange(childPort, `${line}\r\nHost: 127.0.0.1:${childPort}\r\n\r\n`)),
        );
      }
      // `//[` is a plain (unknown) path once read as origin form.
      expect(statuses).toEqual([400, 404, 400]);
      expect((await fetch(`${url[1]}/_sandbox/state`)).status).toBe(200);
      expect(child.exitCode).toBe(null);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(errors).toBe('');
  });
});

describe('a web page cannot drive the controls (CSRF)', () => {
  it('refuses the simple cross-site requests a page can send without asking', async () => {
    const ref = await pendingDeposit();
    const pay = `${sandbox.url}/_sandbox/orders/${encodeURIComponent(ref)}/pay`;
    const attacks: Array<{ headers: Record<string, string>; body: string; status: number }> = [
      // fetch(url, { method: 'POST', mode: 'no-cors', body: '{}' }) from any site: text/plain.
      {
        headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'http://evil.example' },
        body: '{}',
        status: 403,
      },
      { headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: '{}', status: 415 },
      // <form method=post> auto-submitted from another site.
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'amount=1', status: 415 },
      { headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: '--x--', status: 415 },
      // JSON without the token (what a page would send if the browser let it).
      { headers: json, body: '{}', status: 403 },
      { headers: {}, body: '', status: 403 },
      { headers: { ...json, [CONTROL_TOKEN_HEADER]: 'guess-guess-guess-guess' }, body: '{}', status: 403 },
      { headers: { ...json, [CONTROL_TOKEN_HEADER]: '' }, body: '{}', status: 403 },
      // The right token but from another origin, or an opaque one.
      {
        headers: { ...json, [CONTROL_TOKEN_HEADER]: sandbox.controlToken, origin: 'http://evil.example' },
        body: '{}',
        status: 403,
      },
      {
        headers: { ...json, [CONTROL_TOKEN_HEADER]: sandbox.controlToken, origin: 'null' },
        body: '{}',
        status: 403,
      },
      {
        headers: {
          ...json,
          [CONTROL_TOKEN_HEADER]: sandbox.controlToken,
          origin: `http://localhost:${port}`,
        },
        body: '{}',
        status: 403,
      },
      {
        headers: { ...json, [CONTROL_TOKEN_HEADER]: sandbox.controlToken, 'sec-fetch-site': 'cross-site' },
        body: '{}',
        status: 403,
      },
      {
        headers: { ...json, [CONTROL_TOKEN_HEADER]: sandbox.controlToken, 'sec-fetch-site': 'same-site' },
        body: '{}',
        status: 403,
      },
    ];
    for (const attack of attacks) {
      const answer = await send(pay, { method: 'POST', headers: attack.headers, body: attack.body });
      expect({ status: answer.status, cors: answer.headers['access-control-allow-origin'] }).toEqual({
        status: attack.status,
        cors: undefined,
      });
      expect(Object.keys(JSON.parse(answer.body))).toEqual(['error']);
    }
    expect(sandbox.getOrder(ref)!.status).toBe('pending');
    expect(sandbox.deliveries(ref)).toEqual([]);
  });

  it('refuses every state-changing control without the token: fail, expire, resend, faults', async () => {
    const ref = encodeURIComponent(await pendingDeposit());
    sandbox.injectFault('jwt:balance', '5xx');
    const attempts: Array<[string, string, string]> = [
      ['POST', `/orders/${ref}/fail`, '{"reason":"x"}'],
      ['POST', `/orders/${ref}/expire`, '{}'],
      ['POST', `/orders/${ref}/complete`, '{}'],
      ['POST', `/orders/${ref}/resend`, '{}'],
      ['POST', '/faults', '{"route":"jwt:deposit","fault":"lost-response","times":"Infinity"}'],
      ['DELETE', '/faults', ''],
      ['PUT', '/faults', '{}'],
      ['OPTIONS', `/orders/${ref}/pay`, ''],
    ];
    for (const [method, path, body] of attempts) {
      const answer = await send(`${sandbox.url}/_sandbox${path}`, {
        method,
        headers: body === '' ? {} : json,
        body,
      });
      expect([method, path, answer.status]).toEqual([method, path, 403]);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['access-control-allow-headers']).toBeUndefined();
    }
    expect(sandbox.getOrder(decodeURIComponent(ref))!.status).toBe('pending');
    expect(sandbox.faults().map((fault) => [fault.route, fault.fault])).toEqual([['jwt:balance', '5xx']]);
  });

  it('accepts the token from a script, and the page itself (same origin)', async () => {
    const ref = await pendingDeposit();
    const path = `${sandbox.url}/_sandbox/orders/${encodeURIComponent(ref)}/pay`;
    // A script or curl: no Origin at all.
    const paid = await send(path, {
      method: 'POST',
      headers: { ...json, [CONTROL_TOKEN_HEADER]: sandbox.controlToken },
      body: '{"amount":"999.50"}',
    });
    expect(paid.status).toBe(200);
    expect(sandbox.getOrder(ref)!.status).toBe('completed');

    // The page: its token comes from its own <meta>, its Origin is the sandbox's.
    const html = await (await fetch(`${sandbox.url}/`)).text();
    const token = /<meta name="thaipay-sandbox-token" content="([^"]+)">/.exec(html)![1];
    expect(token).toBe(sandbox.controlToken);
    const other = await pendingDeposit();
    const fromPage = await send(`${sandbox.url}/_sandbox/orders/${encodeURIComponent(other)}/expire`, {
      method: 'POST',
      headers: {
        ...json,
        [CONTROL_TOKEN_HEADER]: token!,
        origin: sandbox.url,
        'sec-fetch-site': 'same-origin',
      },
      body: '{}',
    });
    expect(fromPage.status).toBe(200);
    expect(sandbox.getOrder(other)!.status).toBe('expired');
  });

  it('guards a control served by any module under /_sandbox, not just control-routes.ts', async () => {
    let hits = 0;
    const server = await startServer({
      host: '127.0.0.1',
      port: 0,
      resolvers: [
        (_method, pathname) =>
          pathname === '/_sandbox/added-elsewhere'
            ? {
                handle: () => {
                  hits += 1;
                  return jsonReply(200, { ok: true });
                },
              }
            : undefined,
      ],
      faults: new FaultRegistry(),
      log: new RequestLog(),
      now: Date.now,
      controlToken: 'token-of-this-server-1234',
    });
    try {
      const path = `${server.url}/_sandbox/added-elsewhere`;
      expect((await send(path, { method: 'POST', headers: json, body: '{}' })).status).toBe(403);
      expect(
        (await send(path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status,
      ).toBe(415);
      expect(hits).toBe(0);
      const allowed = await send(path, {
        method: 'POST',
        headers: { ...json, [CONTROL_TOKEN_HEADER]: 'token-of-this-server-1234' },
        body: '{}',
      });
      expect([allowed.status, hits]).toEqual([200, 1]);
      expect((await send(path)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('makes a different random token for every sandbox, or takes the one given', async () => {
    await using other = await createSandbox({ thbCollect: SANDBOX_KEYS });
    expect(sandbox.controlToken).toMatch(/^[\w-]{43}$/);
    expect(other.controlToken).not.toBe(sandbox.controlToken);
    await using fixed = await createSandbox({
      controlToken: 'a-fixed-token-for-ci-1234',
      thbCollect: SANDBOX_KEYS,
    });
    expect(fixed.controlToken).toBe('a-fixed-token-for-ci-1234');
    await expect(createSandbox({ controlToken: 'short' })).rejects.toThrow(
      'controlToken must be 16 to 256 visible ASCII characters',
    );
  });
});

describe('only loopback Host names are served (DNS rebinding)', () => {
  it.each([
    ['a rebinding name', 'evil.example'],
    ['a rebinding name with the right port', 'evil.example:PORT'],
    ['a loopback name on another port', '127.0.0.1:1'],
    ['localhost without the port', 'localhost'],
    ['a subdomain of localhost lookalike', 'localhost.evil.example:PORT'],
    ['0.0.0.0', '0.0.0.0:PORT'],
  ])('refuses %s on the page, the controls and the provider routes', async (_name, hostTemplate) => {
    const host = hostTemplate.replace('PORT', String(port));
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/_sandbox/state'],
      ['GET', '/_sandbox/deliveries'],
      ['POST', '/api/v1/health'],
      ['POST', '/thb/collect/query'],
    ] as const) {
      const answer = await send(`${sandbox.url}${path}`, {
        method,
        headers: { host, [CONTROL_TOKEN_HEADER]: sandbox.controlToken, ...(method === 'POST' ? json : {}) },
        body: method === 'POST' ? '{}' : undefined,
      });
      expect([path, answer.status]).toEqual([path, 403]);
      // The page (and its token) never reaches a foreign name.
      expect(answer.body).not.toContain(sandbox.controlToken);
    }
  });

  it('refuses a request without Host (HTTP/1.0) and an absolute-form target for another host', async () => {
    expect(statusOf(await rawExchange(port, 'GET / HTTP/1.0\r\n\r\n'))).toBe(403);
    const absolute = await rawExchange(
      port,
      `GET http://evil.example:${port}/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`,
    );
    expect(statusOf(absolute)).toBe(403);
    expect(absolute).not.toContain(sandbox.controlToken);
  });

  it.each(['127.0.0.1:PORT', 'localhost:PORT', 'LOCALHOST:PORT', '[::1]:PORT'])(
    'serves %s',
    async (hostTemplate) => {
      const answer = await send(`${sandbox.url}/`, {
        headers: { host: hostTemplate.replace('PORT', String(port)) },
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(sandbox.controlToken);
    },
  );

  it('serves the names given in allowedHosts, and still no others', async () => {
    await using docker = await createSandbox({
      host: '127.0.0.1',
      allowedHosts: ['sandbox'],
      thbCollect: SANDBOX_KEYS,
    });
    const dockerPort = new URL(docker.url).port;
    expect(
      (await send(`${docker.url}/_sandbox/state`, { headers: { host: `sandbox:${dockerPort}` } })).status,
    ).toBe(200);
    expect(
      (await send(`${docker.url}/_sandbox/state`, { headers: { host: `other:${dockerPort}` } })).status,
    ).toBe(403);
    await expect(createSandbox({ allowedHosts: ['evil example'] })).rejects.toThrow(TypeError);
  });
});
