/**
 * A whole client call against one loopback server started here, answering at once: thaipay's
 * `JwtGatewayClient.getBalance()` on its Node carrier (node:http) and on the fetch carrier (forced through
 * the `fetch` option), against the same signed request written by hand on raw node:http with a
 * keep-alive Agent (the limit on Node) and on raw fetch, and against the peers: stripe-node's
 * `balance.retrieve()` (node:http, keep-alive) and axios.
 */
import {
  axiosBalanceCall,
  handBalanceCall,
  rawNodeBalanceCall,
  STRIPE_BALANCE,
  STRIPE_BALANCE_PATH,
  sdkBalanceCall,
  stripeBalanceCall,
} from '../calls';
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
  const server = await startBenchServer({
    [`${GATEWAY_BASE_PATH}/balance`]: BALANCE_ENVELOPE,
    [STRIPE_BALANCE_PATH]: STRIPE_BALANCE,
  });
  try {
    const candidates = [
      { label: 'thaipay (node:http)', fn: sdkBalanceCall(server.origin, 'node') },
      { label: 'stripe-node balance.retrieve()', fn: stripeBalanceCall(server.origin) },
      { label: 'raw node:http keep-alive', fn: rawNodeBalanceCall(server.origin) },
      { label: 'thaipay (fetch forced)', fn: sdkBalanceCall(server.origin, 'fetch') },
      { label: 'raw fetch', fn: handBalanceCall(server.origin) },
      { label: 'axios', fn: axiosBalanceCall(server.origin) },
    ];
    for (const candidate of candidates) await candidate.fn();
    const result = await compare(SECTION, candidates, {
      batch: options.scale(100),
      rounds: options.quick ? options.rounds : 21,
      warmupRounds: 2,
    });
    table.ratio(SECTION, result, 'thaipay (node:http)', 'stripe-node balance.retrieve()', atLeast(1.0));
    table.ratio(SECTION, result, 'thaipay (node:http)', 'raw node:http keep-alive', atLeast(0.6));
    table.ratio(SECTION, result, 'thaipay (fetch forced)', 'raw fetch', atLeast(0.9));
    table.ratio(SECTION, result, 'stripe-node balance.retrieve()', 'raw node:http keep-alive');
    table.ratio(SECTION, result, 'axios', 'raw fetch');
    table.ratio(SECTION, result, 'raw fetch', 'raw node:http keep-alive');
  } finally {
    await server.close();
  }
}
