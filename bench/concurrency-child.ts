/**
 * The concurrency row, run in a fresh process with `--expose-gc` by bench/rows/concurrency.ts:
 * `node --expose-gc --import tsx bench/concurrency-child.ts <inFlight> <rounds>` prints one JSON line.
 * Each round starts `inFlight` calls at once (thaipay `getBalance()` on node:http, then raw node:http with
 * a keep-alive Agent, the order flipping every round) against one loopback server, and records the
 * round's throughput, every call's latency, and the heap after a full GC before and after the round.
 */
import { type BalanceCall, rawNodeBalanceCall, sdkBalanceCall } from './calls';
import { median } from './harness';
import { BALANCE_ENVELOPE, GATEWAY_BASE_PATH, startBenchServer } from './server';

const gc = (globalThis as { gc?: () => void }).gc;

async function settledHeap(): Promise<number> {
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}

/** What one candidate measured over the rounds. */
export interface ConcurrencyResult {
  label: string;
  /** Calls per second of each round (all calls of the round / the round's wall time). */
  throughput: number[];
  /** 99th percentile latency of each round, ms. */
  p99Ms: number[];
  /** Heap after GC before and after each round, bytes. */
  heapBefore: number[];
  heapAfter: number[];
}

async function round(call: BalanceCall, inFlight: number): Promise<{ perSec: number; p99: number }> {
  const latencies: number[] = new Array(inFlight);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, i) => {
      const t0 = performance.now();
      await call();
      latencies[i] = performance.now() - t0;
    }),
  );
  const wall = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { perSec: (inFlight * 1000) / wall, p99: latencies[Math.ceil(inFlight * 0.99) - 1]! };
}

async function main(): Promise<void> {
  const inFlight = Number(process.argv[2] ?? 1000);
  const rounds = Number(process.argv[3] ?? 5);
  const server = await startBenchServer({ [`${GATEWAY_BASE_PATH}/balance`]: BALANCE_ENVELOPE });
  try {
    const candidates: Array<{ label: string; call: BalanceCall; result: ConcurrencyResult }> = [
      { label: 'thaipay getBalance (node:http)', call: sdkBalanceCall(server.origin, 'node') },
      { label: 'raw node:http keep-alive', call: rawNodeBalanceCall(server.origin) },
    ].map((c) => ({
      ...c,
      result: { label: c.label, throughput: [], p99Ms: [], heapBefore: [], heapAfter: [] },
    }));
    // Warm-up: compiled code and a full pool of connections for each.
    for (const c of candidates) await round(c.call, inFlight);
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? candidates : [...candidates].reverse();
      for (const c of order) {
        c.result.heapBefore.push(await settledHeap());
        const { perSec, p99 } = await round(c.call, inFlight);
        c.result.heapAfter.push(await settledHeap());
        c.result.throughput.push(perSec);
        c.result.p99Ms.push(p99);
      }
    }
    const out = candidates.map((c) => ({
      ...c.result,
      medianThroughput: median(c.result.throughput),
      medianP99Ms: median(c.result.p99Ms),
    }));
    process.stdout.write(
      `${JSON.stringify({ inFlight, rounds, requests: server.requests, results: out })}\n`,
    );
  } finally {
    await server.close();
  }
}

await main();
