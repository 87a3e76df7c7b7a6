// @vitest-environment edge-runtime
/**
 * The runtime matrix under vitest's `edge-runtime` environment (vitest 4.1 with @edge-runtime/vm 5): the
 * edge globals (fetch, Request, Response, crypto, TextEncoder...) replace Node's in the test's global
 * scope. Node's `process` stays, so the package still finds node:crypto here; `edge-vm.test.ts` is the
 * run without any Node global. This one checks the built package against the edge primitives' fetch,
 * Request and Response as a user's vitest edge suite would see them.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks, type ThaipayApi } from './checks';
import { distIndexUrl, ensureDist } from './dist';
import { failures } from './report';
import { type MatrixServer, startMatrixServer } from './server';
import type { RuntimeVectors } from './vectors';

const vectors = JSON.parse(
  readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'),
) as RuntimeVectors;

let server: MatrixServer;
let api: ThaipayApi;

beforeAll(async () => {
  await ensureDist();
  server = await startMatrixServer(vectors);
  api = (await import(/* @vite-ignore */ distIndexUrl())) as ThaipayApi;
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('the built package in vitest edge-runtime environment', () => {
  it('runs with the edge primitives in the global scope', () => {
    expect((globalThis as { EdgeRuntime?: string }).EdgeRuntime).toBe('edge-runtime');
  });

  it('passes every check', async () => {
    const results = await runChecks(api, vectors, server.url);
    expect(failures({ runtime: 'vitest edge-runtime', results })).toEqual([]);
    expect(results.length).toBeGreaterThan(25);
  });
});
