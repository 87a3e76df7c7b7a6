/**
 * The runtime matrix in headless Chromium (Debian's, driven by playwright-core): the built `dist/` ESM
 * entry bundled for the browser with esbuild, loaded by a page the local provider server serves.
 *
 * - On `http://127.0.0.1` (a secure context) the package must pick WebCrypto.
 * - On `http://thaipay.test` (mapped to 127.0.0.1 by the browser; plain http on a real host name is not a
 *   secure context, so there is no `crypto.subtle`) detection refuses and the page opts in to node-forge, loaded on demand,
 *   with byte-identical results.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleMatrix, MATRIX_GLOBAL, type MatrixFunction, parseReport } from '../runtimes/bundle';
import type { CheckOptions } from '../runtimes/checks';
import { ensureDist } from '../runtimes/dist';
import { failures } from '../runtimes/report';
import { type MatrixServer, startMatrixServer } from '../runtimes/server';
import type { RuntimeVectors } from '../runtimes/vectors';
import { launchChromium } from './chromium';

const INSECURE_HOST = 'thaipay.test';

const vectors = JSON.parse(
  readFileSync(new URL('../runtimes/vectors.json', import.meta.url), 'utf8'),
) as RuntimeVectors;

let server: MatrixServer;
let browser: Browser;

beforeAll(async () => {
  await ensureDist();
  server = await startMatrixServer(vectors);
  server.serve('/', {
    contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><meta charset="utf-8"><title>thaipay matrix</title><script src="/matrix.js"></script>',
  });
  server.serve('/matrix.js', {
    contentType: 'text/javascript; charset=utf-8',
    body: await bundleMatrix({ conditions: ['browser'] }),
  });
  browser = await launchChromium({
    args: [`--host-resolver-rules=MAP ${INSECURE_HOST} 127.0.0.1`],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Open `origin` in a fresh page and run the checks there; also report whether the page is secure. */
async function runOnPage(origin: string, options: CheckOptions) {
  const page = await browser.newPage();
  try {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}/`);
    const secure = await page.evaluate(() => window.isSecureContext);
    const json = await page.evaluate(
      ([name, url, opts]) =>
        (globalThis as unknown as Record<string, MatrixFunction>)[name]!(url, 'chromium', opts),
      [MATRIX_GLOBAL, origin, options] as const,
    );
    return { secure, errors, report: parseReport(json) };
  } finally {
    await page.close();
  }
}

describe('the built package in headless Chromium', () => {
  it('passes every check with WebCrypto on a secure page (http://127.0.0.1)', async () => {
    const { secure, errors, report } = await runOnPage(server.url, { expectProvider: 'web' });
    expect(secure).toBe(true);
    expect(errors).toEqual([]);
    expect(failures(report)).toEqual([]);
    expect(report.results.length).toBeGreaterThan(20);
  });

  it('passes every check with node-forge (opted in) on an insecure page (plain http, real host name)', async () => {
    const origin = server.url.replace('127.0.0.1', INSECURE_HOST);
    const { secure, errors, report } = await runOnPage(origin, {
      expectProvider: 'forge',
      webCrypto: false,
    });
    expect(secure).toBe(false);
    expect(errors).toEqual([]);
    expect(failures(report)).toEqual([]);
    expect(report.results.find((r) => r.name === 'default crypto provider')?.detail).toBe('forge');
  });
});
