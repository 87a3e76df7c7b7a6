/**
 * `thaipay sandbox`: it serves the page and both providers with the credentials it prints, stops
 * cleanly on its stop signal in-process, and on SIGINT as a real process.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli';
import { parseRsaKey } from '../../src/core/crypto';
import { Collector, providerJwt, run } from './helpers';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The value of `export NAME=value` in the banner. */
function exported(banner: string, name: string): string {
  const match = new RegExp(`^  export ${name}=(.+)$`, 'm').exec(banner);
  if (!match) throw new Error(`${name} not printed`);
  return match[1]!;
}

describe('thaipay sandbox in-process', () => {
  it('prints URLs, credentials and env vars that work, then stops cleanly on its signal', async () => {
    const stdout = new Collector();
    const stderr = new Collector();
    const controller = new AbortController();
    const done = main(['sandbox', '--port', '0'], {
      stdin: '',
      stdout,
      stderr,
      env: {},
      signal: controller.signal,
    });
    await stdout.waitFor(/Press Ctrl-C to stop\./);
    const banner = stdout.text;
    const url = /running at (http:\/\/127\.0\.0\.1:\d+)\//.exec(banner)![1]!;

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    await page.text();

    const baseUrl = exported(banner, 'GATEWAY_BASE_URL');
    expect(baseUrl).toBe(`${url}/api/v1`);
    expect(banner).toContain(`  base URL     ${baseUrl}`);
    const apiKey = exported(banner, 'GATEWAY_API_KEY');
    expect(banner).toContain(`  apiKey       ${apiKey}`);
    expect(exported(banner, 'GATEWAY_MERCHANT_ID')).toBe('sandbox-merchant');
    const params = { timestamp: Math.floor(Date.now() / 1000) };
    const balance = await fetch(`${baseUrl}/balance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ ...params, signature: providerJwt(params, apiKey) }),
    });
    expect(balance.status).toBe(200);
    expect((await balance.json()).data).toEqual({ balance: 50000, currency: 'THB' });

    expect(exported(banner, 'THB_BASE_URL')).toBe(url);
    expect(exported(banner, 'THB_APP_ID')).toMatch(/^\d+$/);
    expect(exported(banner, 'THB_SECRET_KEY')).toMatch(/^\w{16,}$/);
    const privateKey = exported(banner, 'THB_PRIVATE_KEY');
    const platformKey = exported(banner, 'THB_PLATFORM_PUBLIC_KEY');
    expect(parseRsaKey(privateKey, 'private', 'privateKey').format).toBe('pkcs8');
    expect(parseRsaKey(platformKey, 'public', 'publicKey').format).toBe('spki');
    expect(banner).toContain(`    ${privateKey}`);
    expect(banner).toContain(`    ${platformKey}`);

    controller.abort();
    expect(await done).toBe(0);
    expect(stdout.text).toMatch(/Sandbox stopped\.\n$/);
    expect(stderr.text).toBe('');
    await expect(fetch(`${url}/`)).rejects.toThrow();
  });

  it('prints the control token with a curl example; --allow-host and THAIPAY_SANDBOX_TOKEN are used', async () => {
    const stdout = new Collector();
    const controller = new AbortController();
    const token = 'cli-fixed-token-0123456789';
    const done = main(['sandbox', '--port', '0', '--allow-host', 'sandbox', '--allow-host', 'box.internal'], {
      stdin: '',
      stdout,
      stderr: new Collector(),
      env: { THAIPAY_SANDBOX_TOKEN: token },
      signal: controller.signal,
    });
    await stdout.waitFor(/Press Ctrl-C to stop\./);
    const url = /running at (http:\/\/127\.0\.0\.1:(\d+))\//.exec(stdout.text)!;
    expect(stdout.text).toContain(`  control token  ${token}\n`);
    expect(stdout.text).toContain(
      `  curl -X POST -H 'x-thaipay-sandbox-token: ${token}' -H 'content-type: application/json' \\\n    -d '{}' ${url[1]}/_sandbox/orders/ORDER_ID/pay\n`,
    );
    const { request } = await import('node:http');
    const status = (host: string, headers: Record<string, string> = {}, method = 'GET') =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${url[1]}/_sandbox/faults`, { method, headers: { host, ...headers } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(await status(`sandbox:${url[2]}`)).toBe(200);
    expect(await status(`box.internal:${url[2]}`)).toBe(200);
    expect(await status(`evil.example:${url[2]}`)).toBe(403);
    expect(await status(`127.0.0.1:${url[2]}`, {}, 'DELETE')).toBe(403);
    expect(await status(`127.0.0.1:${url[2]}`, { 'x-thaipay-sandbox-token': token }, 'DELETE')).toBe(200);
    controller.abort();
    expect(await done).toBe(0);
  });

  it('refuses a bad --allow-host or THAIPAY_SANDBOX_TOKEN before starting', async () => {
    const host = await run(['sandbox', '--port', '0', '--allow-host', 'a b']);
    expect(host.code).toBe(2);
    expect(host.stderr.split('\n')[0]).toBe(
      'thaipay sandbox: --allow-host takes a host name (letters, digits, ".", "-", "[", "]", ":")',
    );
    const token = await run(['sandbox', '--port', '0'], { env: { THAIPAY_SANDBOX_TOKEN: 'short' } });
    expect(token.code).toBe(2);
  });

  it('refuses a bad port, and a port in use with exit 1', async () => {
    const bad = await run(['sandbox', '--port', '70000']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--port must be a whole number from 0 to 65535');

    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const busy = await run(['sandbox', '--port', String(port)]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toBe(`thaipay sandbox: cannot listen on 127.0.0.1:${port}: the port is in use\n`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('thaipay sandbox as a real process', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('closes cleanly on %s with exit 0', async (signal) => {
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
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('Press Ctrl-C to stop.')) resolve();
      });
      child.on('exit', () => reject(new Error(`sandbox exited early: ${errors}`)));
    });
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(output).toContain('Sandbox stopped.');
    expect(errors).toBe('');
  });
});
