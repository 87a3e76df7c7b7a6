/**
 * Memory per 10,000 client calls: each call kind in its own fresh process started with `--expose-gc`
 * (so no other row's garbage is counted), heap after a full GC before and after the calls.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ROOT } from '../entries';
import type { Table } from '../harness';
import type { RowOptions } from './options';

const CHILD = fileURLToPath(new URL('../memory-child.ts', import.meta.url));

interface Measurement {
  beforeBytes: number;
  afterBytes: number;
  calls: number;
}

function runChild(call: string, count: number): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, call, String(count)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // `--import tsx` resolves from the working directory: the repo root, wherever the bench was started.
      cwd: ROOT,
    });
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
      if (code !== 0) reject(new Error(`memory child "${call}" exited ${code}: ${err.trim().slice(-500)}`));
      else resolve(JSON.parse(out.trim().split('\n').pop()!) as Measurement);
    });
  });
}

/** KB of heap growth over the calls made (10,000 in a full run; a few hundred with --quick). */
function growthKb(m: Measurement): number {
  return (m.afterBytes - m.beforeBytes) / 1024;
}

function describe(m: Measurement): string {
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
  return `heap after GC ${mb(m.beforeBytes)} → ${mb(m.afterBytes)} MB over ${m.calls} calls`;
}

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await memoryRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function memoryRows(table: Table, options: RowOptions): Promise<void> {
  const count = options.quick ? 200 : 10_000;
  const SECTION = `Memory per ${count.toLocaleString('en')} calls`;
  const pairs: Array<[string, string, string]> = [
    ['thaipay', 'hand', 'getBalance'],
    ['thb', 'thb-hand', 'getCollection'],
  ];
  for (const [sdk, hand, name] of pairs) {
    const mine = await runChild(sdk, count);
    const theirs = await runChild(hand, count);
    const kb = growthKb(mine);
    table.value(
      SECTION,
      `thaipay ${name}`,
      kb,
      `${kb >= 0 ? '+' : ''}${kb.toFixed(0)} KB`,
      `${describe(mine)}; hand-written fetch ${growthKb(theirs) >= 0 ? '+' : ''}${growthKb(theirs).toFixed(0)} KB`,
    );
  }
}
