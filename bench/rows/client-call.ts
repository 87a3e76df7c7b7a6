/**
 * A whole client call: `JwtGatewayClient.getBalance()` against the same request written by hand with
 * fetch, both answered instantly by one loopback server started here. The ky row shows how much of the
 * gap is the HTTP library thaipay's transport is built on.
 */
import { handBalanceCall, kyBalanceCall, sdkBalanceCall } from '../calls';
import { atLeast, compare, type Table } from '../harness';
import { BALANCE_ENVELOPE, GATEWAY_BASE_PATH, startBenchServer } from '../server';
import type { RowOptions } from './options';

const SECTION = 'Client call getBalance (loopback)';

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await clientCallRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function clientCallRows(table: Table, options: RowOptions): Promise<void> {
  const server = await startBenchServer({ [`${GATEWAY_BASE_PATH}/balance`]: BALANCE_ENVELOPE });
  try {
    const candidates = [
      { label: 'thaipay', fn: sdkBalanceCall(server.origin) },
      { label: 'hand-written fetch', fn: handBalanceCall(server.origin) },
      { label: 'hand-written ky', fn: kyBalanceCall(server.origin) },
    ];
    for (const candidate of candidates) await candidate.fn();
    const result = await compare(SECTION, candidates, {
      batch: options.scale(50),
      rounds: options.quick ? options.rounds : 21,
      warmupRounds: 2,
    });
    table.ratio(SECTION, result, 'thaipay', 'hand-written fetch', atLeast(0.7));
    table.ratio(SECTION, result, 'hand-written ky', 'hand-written fetch');
  } finally {
    await server.close();
  }
}
