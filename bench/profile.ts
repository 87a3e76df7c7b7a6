/**
 * One call kind in a loop, for a CPU profile of where its time goes:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile.ts <call> [count]`, where call is
 * `balance`, `balance-fetch`, `balance-raw-node`, `balance-raw-fetch`, `collection` or `collection-raw-node`.
 * Prints the calls per second; open the .cpuprofile in Chrome DevTools or read its top frames.
 *
 * `PROFILE_OUT=/tmp/x.cpuprofile npx tsx bench/profile.ts <call> [count]` profiles the measured loop
 * alone (through node:inspector, started after the warm-up), so start-up, key generation and module
 * loading stay out of the per-call figures; `node bench/profile-top.mjs /tmp/x.cpuprofile <count>` prints
 * its heaviest functions in µs per call.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { handBalanceCall, rawNodeBalanceCall, sdkBalanceCall } from './calls';
import { BALANCE_ENVELOPE, GATEWAY_BASE_PATH, startBenchServer } from './server';
import { thbCallPair, thbRoutes } from './thb-calls';

const [which = 'balance', countText = '5000'] = process.argv.slice(2);
const count = Number(countText);
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
const call = calls[which];
if (!call) throw new Error(`unknown call ${which}`);
for (let i = 0; i < 500; i++) await call();
const profiler = process.env.PROFILE_OUT ? await startProfiler() : undefined;
const started = performance.now();
const cpu = process.cpuUsage();
for (let i = 0; i < count; i++) await call();
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
if (profiler && process.env.PROFILE_OUT)
  writeFileSync(process.env.PROFILE_OUT, JSON.stringify(await profiler()));
// CPU per call counts this process only (client and the loopback server both live here): on a busy
// machine it is steadier than the wall clock.
console.log(
  `${which}: ${(count / seconds).toFixed(0)} calls/s (${((seconds * 1e6) / count).toFixed(0)} µs per call; CPU ${((used.user + used.system) / count).toFixed(0)} µs per call)`,
);
await server.close();

/** Start the V8 CPU profiler in this process; the returned function stops it and gives the profile. */
async function startProfiler(): Promise<() => Promise<unknown>> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    return profile;
  };
}
