/**
 * The runtime matrix inside `@edge-runtime/vm`'s EdgeVM, the Vercel Edge runtime's sandbox: a fresh V8
 * context with only the edge globals (fetch, Request, Response, crypto.subtle, TextEncoder...), no
 * `process`, no `Buffer`, no `require`. The built package is bundled as an edge bundler would (conditions
 * `edge-light`, `worker`, `browser`), evaluated in the VM, and must pick WebCrypto by itself.
 *
 * Vitest's own `edge-runtime` environment only copies these globals over Node's (process and Buffer stay),
 * so it cannot show that the package runs without Node; `edge-env.test.ts` runs it too, for what it is.
 */
import { readFileSync } from 'node:fs';
import { EdgeVM } from '@edge-runtime/vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleMatrix, MATRIX_GLOBAL, parseReport } from './bundle';
import { ensureDist } from './dist';
import { failures } from './report';
import { type MatrixServer, startMatrixServer } from './server';
import type { RuntimeVectors } from './vectors';

const vectors = JSON.parse(
  readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'),
) as RuntimeVectors;

let server: MatrixServer;
let script: string;

beforeAll(async () => {
  await ensureDist();
  server = await startMatrixServer(vectors);
  script = await bundleMatrix({ conditions: ['edge-light', 'worker', 'browser'] });
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('the built package in an EdgeVM', () => {
  it('has no Node globals to lean on', () => {
    const vm = new EdgeVM();
    expect(vm.evaluate('typeof process')).toBe('undefined');
    expect(vm.evaluate('typeof Buffer')).toBe('undefined');
    expect(vm.evaluate('typeof require')).toBe('undefined');
    expect(vm.evaluate('typeof crypto.subtle.sign')).toBe('function');
  });

  it('passes every check with WebCrypto', async () => {
    const vm = new EdgeVM();
    vm.evaluate(script);
    const json = await vm.evaluate<Promise<string>>(
      `globalThis[${JSON.stringify(MATRIX_GLOBAL)}](${JSON.stringify(server.url)}, 'edge-runtime vm', { expectProvider: 'web' })`,
    );
    const report = parseReport(json);
    expect(failures(report)).toEqual([]);
    expect(report.results.length).toBeGreaterThan(20);
    expect(report.results.find((r) => r.name === 'default crypto provider')?.detail).toBe('web');
    expect(server.received.length).toBeGreaterThanOrEqual(3);
    expect(server.received.every((r) => r.signatureValid)).toBe(true);
  });
});
