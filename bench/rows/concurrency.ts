/**
 * 1,000 calls in flight at once against the loopback server: thaipay `getBalance()` on node:http beside
 * raw node:http with a keep-alive Agent, in a fresh `--expose-gc` process (bench/concurrency-child.ts),
 * interleaved rounds. Throughput and p99 latency per round (medians shown), and the heap after a full GC
 * before and after each round (flat when nothing is retained per call).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ConcurrencyResult } from '../concurrency-child';
import { ROOT } from '../entries';
import { formatRatio, median, type Table } from '../harness';
import type { RowOptions } from './options';

const CHILD = fileURLToPath(new URL('../concurrency-child.ts', import.meta.url));

interface ChildOutput {
  inFlight: number;
  rounds: number;
  results: Array<ConcurrencyResult & { medianThroughput: number; medianP99Ms: number }>;
}

function runChild(inFlight: number, rounds: number): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, String(inFlight), String(rounds)],
      { stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`concurrency child exited ${code}: ${err.trim().slice(-500)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildOutput);
    });
  });
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await concurrencyRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function concurrencyRows(table: Table, options: RowOptions): Promise<void> {
  const inFlight = options.quick ? 50 : 1000;
  const rounds = options.quick ? 2 : 5;
  const output = await runChild(inFlight, rounds);
  const SECTION = `Concurrency (${inFlight.toLocaleString('en')} in flight)`;
  const [mine, raw] = output.results;
  if (!mine || !raw) throw new Error('concurrency child reported no results');
  const ratio = median(mine.throughput.map((t, i) => t / raw.throughput[i]!));
  table.value(
    SECTION,
    'thaipay getBalance vs raw node:http (throughput)',
    ratio,
    `${formatRatio(ratio)}x`,
    `${mine.medianThroughput.toFixed(0)} vs ${raw.medianThroughput.toFixed(0)} calls/s; p99 ${mine.medianP99Ms.toFixed(0)} vs ${raw.medianP99Ms.toFixed(0)} ms`,
  );
  for (const r of [mine, raw]) {
    const growth = median(r.heapAfter.map((after, i) => after - r.heapBefore[i]!)) / 1024;
    table.value(
      SECTION,
      `${r.label} heap after GC`,
      growth,
      `${growth >= 0 ? '+' : ''}${growth.toFixed(0)} KB`,
      `median growth per round of ${inFlight}; ${mb(r.heapBefore[0]!)} MB before the first round, ${mb(r.heapAfter.at(-1)!)} MB after the last`,
    );
  }
}
