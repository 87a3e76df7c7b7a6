/**
 * A whole THB collect call: `ThbCollectClient.getCollection()` against the same call by hand (sign the
 * request with crypto.sign, raw node:http with a keep-alive Agent, JSON.parse, verify the answer's `sign`
 * with crypto.verify; and the same on fetch), all against one loopback server answering the documented
 * query envelope with a correctly signed `data`.
 */
import { atLeast, compare, type Table } from '../harness';
import { startBenchServer } from '../server';
import { thbCallPair, thbRoutes } from '../thb-calls';
import type { RowOptions } from './options';

const SECTION = 'Client call getCollection (loopback)';

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await thbCallRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function thbCallRows(table: Table, options: RowOptions): Promise<void> {
  const bench = await thbRoutes();
  const server = await startBenchServer(bench.routes);
  try {
    const pair = thbCallPair(server.origin, bench);
    const candidates = [
      { label: 'thaipay', fn: pair.sdk },
      { label: 'hand-written node:http + node:crypto', fn: pair.handNode },
      { label: 'hand-written fetch + node:crypto', fn: pair.hand },
    ];
    for (const candidate of candidates) await candidate.fn();
    const result = await compare(SECTION, candidates, {
      batch: options.scale(50),
      rounds: options.quick ? options.rounds : 21,
      warmupRounds: 2,
    });
    table.ratio(SECTION, result, 'thaipay', 'hand-written node:http + node:crypto', atLeast(0.9));
    table.ratio(SECTION, result, 'thaipay', 'hand-written fetch + node:crypto');
  } finally {
    await server.close();
  }
}
