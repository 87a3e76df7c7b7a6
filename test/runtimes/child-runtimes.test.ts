/**
 * The runtime matrix in real child processes: Node (node:crypto path, WebCrypto forced, and Node markers
 * hidden so the package must find WebCrypto by itself), Bun and Deno, each loading the built `dist/` ESM
 * entry and checking it against the fixed vectors and the local provider server.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUN, type ChildOptions, DENO, runInChild } from './child';
import { ensureDist } from './dist';
import { failures } from './report';
import { type MatrixServer, startMatrixServer } from './server';
import type { RuntimeVectors } from './vectors';

const vectors = JSON.parse(
  readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'),
) as RuntimeVectors;

let server: MatrixServer;

beforeAll(async () => {
  await ensureDist();
  server = await startMatrixServer(vectors);
}, 180_000);

afterAll(async () => {
  await server?.close();
});

interface Runtime {
  label: string;
  command: string;
  args: string[];
  options: ChildOptions;
}

const runtimes: Runtime[] = [
  { label: 'Node, node:crypto', command: process.execPath, args: [], options: { expectProvider: 'node' } },
  {
    label: 'Node, WebCrypto forced with setDefaultCryptoProvider',
    command: process.execPath,
    args: [],
    options: { mode: 'force-web', expectProvider: 'web' },
  },
  {
    label: 'Node without process.getBuiltinModule and Buffer',
    command: process.execPath,
    args: [],
    options: { mode: 'hide-node', expectProvider: 'web' },
  },
  // Bun and Deno both offer process.getBuiltinModule('node:crypto'): the fast path; WebCrypto is checked
  // too, as an explicit provider.
  { label: 'Bun', command: BUN, args: ['run'], options: { expectProvider: 'node' } },
  {
    label: 'Deno',
    command: DENO,
    // manual: use the node_modules npm installed (the runner lives outside the repository).
    args: ['run', '--allow-read', '--allow-net=127.0.0.1', '--node-modules-dir=manual'],
    options: { expectProvider: 'node' },
  },
];

describe('the built package in child runtimes', () => {
  it.each(runtimes)('$label passes every check', async ({ command, args, options }) => {
    const before = server.received.length;
    const run = await runInChild(command, args, server.url, options);
    expect(failures(run)).toEqual([]);
    const names = run.results.map((r) => r.name);
    expect(names).toContain('JwtGatewayClient.getBalance() against the local server');
    expect(names.some((n) => n.startsWith('RSA-SHA256 signing equals node:crypto'))).toBe(true);
    expect(run.results.length).toBeGreaterThan(25);
    // The server checked the runtime's request signatures with jsonwebtoken and node:crypto.
    const requests = server.received.slice(before);
    expect(requests.map((r) => r.path).sort()).toEqual([
      '/api/v1/balance',
      '/thb/collect/query',
      '/thb/collect/query',
    ]);
    expect(requests.every((r) => r.signatureValid)).toBe(true);
  });
});
