/**
 * `npm run bench`: every row of issues 8 and 13 in one process, one table at the end.
 * `--quick` runs every row with tiny batches: a smoke test that the bench still runs, no speed claims.
 * `--only=<name,...>` runs some rows only (jwt-sign, jwt-verify, rsa, client, thb, concurrency, memory, cold-start, bundle).
 */
import { cpus } from 'node:os';
import { Table } from './harness';
import { bundleRows } from './rows/bundle';
import { clientCallRows } from './rows/client-call';
import { coldStartRows } from './rows/cold-start';
import { concurrencyRows } from './rows/concurrency';
import { jwtSignRows } from './rows/jwt-sign';
import { jwtVerifyRows } from './rows/jwt-verify';
import { memoryRows } from './rows/memory';
import { type RowOptions, rowOptions } from './rows/options';
import { rsaRows } from './rows/rsa';
import { thbCallRows } from './rows/thb-call';

type RowGroup = (table: Table, options: RowOptions) => Promise<void>;

const groups: Record<string, RowGroup> = {
  'jwt-sign': jwtSignRows,
  'jwt-verify': jwtVerifyRows,
  rsa: (table, options) => rsaRows(table, options),
  client: clientCallRows,
  thb: thbCallRows,
  concurrency: concurrencyRows,
  memory: memoryRows,
  'cold-start': coldStartRows,
  bundle: bundleRows,
};

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const only = process.argv
    .find((a) => a.startsWith('--only='))
    ?.slice('--only='.length)
    .split(',');
  const options = rowOptions(quick);
  const table = new Table();
  const started = performance.now();
  for (const [name, run] of Object.entries(groups)) {
    if (only && !only.includes(name)) continue;
    const t0 = performance.now();
    await run(table, options);
    process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `thaipay bench${quick ? ' --quick (smoke test: batches too small to mean anything)' : ''} — node ${process.version}, ` +
      `${cpus().length} cores, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${options.rounds} interleaved rounds, medians; ${seconds} s\n`,
  );
  console.log(table.toMarkdown());
  const misses = table.misses();
  if (misses.length > 0 && !quick) {
    console.log(
      `\n${misses.length} target(s) missed: ${misses.map((m) => `${m.section} / ${m.what}`).join('; ')}`,
    );
  }
}

await main();
