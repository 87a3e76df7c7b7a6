/**
 * CPU per call, interleaved: `node --import tsx bench/cpu-ab.ts <kindA> <kindB> [rounds] [batch]` runs
 * batches of two call kinds of bench/profile.ts in turns (A B, B A, ...) in one process and prints the
 * median CPU µs (this process: client and loopback server) and wall µs per call of each. On a machine
 * shared with other work the CPU figure is the steadier one: the wall clock also counts time spent
 * waiting for a core.
 */
import { handBalanceCall, rawNodeBalanceCall, sdkBalanceCall } from './calls';
import { median } from './harness';
import { BALANCE_ENVELOPE, GATEWAY_BASE_PATH, startBenchServer } from './server';
import { thbCallPair, thbRoutes } from './thb-calls';

const [a = 'balance', b = 'balance-raw-node', roundsText = '12', batchText = '200'] = process.argv.slice(2);
const thb = await thbRoutes();
const server = await startBenchServer({ [`${GATEWAY_BASE_PATH}/balance`]: BALANCE_ENVELOPE, ...thb.routes });
const pair = thbCallPair(server.origin, thb);
const calls: Record<string, () => Promise<unknown>> = {
  balance: sdkBalanceCall(server.origin, 'node'),
  'balance-fetch': sdkBalanceCall(server.origin, 'fetch'),
  'balance-raw-node': rawNodeBalanceCall(server.origin),
  'balance-raw-fetch': handBalanceCall(server.origin),
  collection: pair.sdk,
  'collection-raw-node': pair.handNode,
};
const kinds = [a, b];
const cpu: Record<string, number[]> = { [a]: [], [b]: [] };
const wall: Record<string, number[]> = { [a]: [], [b]: [] };
const batch = Number(batchText);
for (let round = 0; round < Number(roundsText) + 2; round++) {
  for (const kind of round % 2 === 0 ? kinds : [...kinds].reverse()) {
    const call = calls[kind];
    if (!call) throw new Error(`unknown call ${kind}`);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await call();
    const used = process.cpuUsage(c0);
    if (round >= 2) {
      cpu[kind]!.push((used.user + used.system) / batch);
      wall[kind]!.push(((performance.now() - t0) * 1000) / batch);
    }
  }
}
for (const kind of kinds) {
  console.log(
    `${kind}: CPU ${median(cpu[kind]!).toFixed(0)} µs per call, wall ${median(wall[kind]!).toFixed(0)} µs per call`,
  );
}
await server.close();
