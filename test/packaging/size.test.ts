/**
 * Size budgets, checked on every run: each import alone, from the built package by name, tree-shaken,
 * minified, split at dynamic imports, gzipped (see `size.ts`). node-forge must be in none of them: it is
 * the opt-in fallback for runtimes without any native crypto (`createForgeCryptoProvider`).
 *
 * `npx tsx test/packaging/size.ts` prints the numbers and what each bundle is made of.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist } from '../runtimes/dist';
import { measureImport, SIZE_BUDGETS } from './size';

beforeAll(() => ensureDist(), 180_000);

describe('size budgets (min + gzip, initial load)', () => {
  it.each(SIZE_BUDGETS)('$name from $from ≤ $maxGzipBytes B, without node-forge', async (budget) => {
    const report = await measureImport(budget.name, budget.from);
    const largest = report.largestInputs.map((i) => `${i.bytes} ${i.input}`).join('\n');
    expect(report.forgeInInitial, 'node-forge is in the initial load').toBe(false);
    expect(report.nodeCarrierInInitial, 'the node:http carrier is in the initial load').toBe(false);
    expect(
      report.initialGzipBytes,
      `${report.initialGzipBytes} B gz; largest inputs:\n${largest}`,
    ).toBeLessThanOrEqual(budget.maxGzipBytes);
    // Something was measured: the export itself is in the bundle.
    expect(report.initialMinBytes).toBeGreaterThan(1000);
  });

  it('node-forge is in no client or verifier bundle, nor in a single-file build of one', async () => {
    for (const [name, entry] of [
      ['verifyThbNotification', 'thaipay/thb-collect'],
      ['ThbCollectClient', 'thaipay/thb-collect'],
      ['JwtGatewayClient', 'thaipay/jwt-gateway'],
    ] as const) {
      const report = await measureImport(name, entry);
      expect(report.forgeInInitial).toBe(false);
      // Single-file bundlers (wrangler, for one) inline dynamic imports: this proves none is left.
      expect(report.forgeInSingleFile).toBe(false);
    }
  });

  it('the forge check does see node-forge where it is: behind the opt-in provider, lazily', async () => {
    const report = await measureImport('createForgeCryptoProvider', 'thaipay');
    expect(report.forgeInInitial).toBe(false);
    expect(report.forgeInLazy).toBe(true);
  });
});
