/**
 * One memory measurement, run in a fresh process with `--expose-gc` by the memory row:
 * `node --expose-gc --import tsx bench/memory-child.ts <call> <count>` prints one JSON line,
 * `{ "beforeBytes": n, "afterBytes": n, "calls": n }`, the heap after a full GC before and after `count`
 * calls. A warm-up of 2,000 calls comes first: before it the heap grows by a one-time ~0.5 MB (compiled
 * code, connection pool, key caches) whatever the call count, which is not a cost per call.
 */
import { handBalanceCall, sdkBalanceCall } from './calls';
import { BALANCE_ENVELOPE, GATEWAY_BASE_PATH, startBenchServer } from './server';
import { thbCallPair, thbRoutes } from './thb-calls';

const gc = (globalThis as { gc?: () => void }).gc;

/** Several full collections, with turns of the event loop between them so finalizers can run. */
async function settledHeap(): Promise<number> {
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const [which = 'thaipay', countText = '10000'] = process.argv.slice(2);
  const count = Number(countText);
  const thb = which.startsWith('thb') ? await thbRoutes() : undefined;
  const server = await startBenchServer({
    [`${GATEWAY_BASE_PATH}/balance`]: BALANCE_ENVELOPE,
    ...(thb?.routes ?? {}),
  });
  try {
    let call: () => Promise<unknown>;
    if (which === 'thaipay') call = sdkBalanceCall(server.origin);
    else if (which === 'hand') call = handBalanceCall(server.origin);
    else if (thb) {
      const pair = thbCallPair(server.origin, thb);
      call = which === 'thb' ? pair.sdk : pair.hand;
    } else throw new Error(`unknown call ${which}`);

    for (let i = 0; i < Math.min(2000, count); i++) await call();
    const beforeBytes = await settledHeap();
    for (let i = 0; i < count; i++) await call();
    const afterBytes = await settledHeap();
    process.stdout.write(`${JSON.stringify({ beforeBytes, afterBytes, calls: count })}\n`);
  } finally {
    await server.close();
  }
}

await main();
