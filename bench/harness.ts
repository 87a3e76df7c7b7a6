/**
 * The whole benchmark harness: interleaved rounds, medians, paired ratios and one result table.
 *
 * Why not a benchmark library: what the issue asks for is a ratio measured in one process, with the
 * candidates taking turns (A, B, A, B...) so that CPU frequency changes, GC pauses and noisy neighbours
 * hit every candidate alike. That is thirty lines, not a dependency.
 */

/** One implementation of the operation being compared. */
export interface Candidate {
  label: string;
  /** One operation. A returned Promise is awaited before the next call. */
  fn: () => unknown;
  /** Calls per round for this candidate, when it differs from the comparison's (a much slower peer). */
  batch?: number;
}

/** How long a comparison runs. */
export interface CompareOptions {
  /** Calls per round for each candidate (unless a candidate sets its own). */
  batch: number;
  /** Measured rounds; each round runs every candidate once. The median is taken over them. */
  rounds: number;
  /** Unmeasured rounds first, so that every candidate is compiled and its caches warm. Default 1. */
  warmupRounds?: number;
  /** The label every `ratioToReference` is against. Default: the first candidate. */
  reference?: string;
}

/** What one candidate measured. */
export interface CandidateResult {
  label: string;
  /** Median operations per second over the rounds. */
  opsPerSec: number;
  /** Operations per second of each round, in round order. */
  samples: number[];
  /** Median paired ratio of this candidate's ops/s to the reference's (1 for the reference itself). */
  ratioToReference: number;
}

/** The outcome of {@link compare}. */
export interface Comparison {
  name: string;
  results: CandidateResult[];
  /** Median over the rounds of `label`'s ops/s divided by `vs`'s ops/s in the same round. */
  ratio(label: string, vs: string): number;
  opsPerSec(label: string): number;
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Results are kept here so no engine could ever treat a call as dead code. */
let sink: unknown;

/** The last value any benchmarked function returned (read it to keep the optimiser honest). */
export function lastResult(): unknown {
  return sink;
}

async function runBatch(fn: () => unknown, count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const result = fn();
    sink = result instanceof Promise ? await result : result;
  }
  return performance.now() - started;
}

/**
 * Run every candidate `rounds` times in turns, a fixed batch each time, and report median ops/s and
 * paired ratios. The order flips every round (A B C, C B A, ...) so that no candidate always runs
 * right after the same neighbour.
 *
 * @example
 * ```ts
 * const result = await compare('hmac', [
 *   { label: 'thaipay', fn: () => signJwtGatewayParams(params, key) },
 *   { label: 'raw', fn: () => rawSign(params, key) },
 * ], { batch: 2000, rounds: 9 });
 * result.ratio('thaipay', 'raw'); // 0.8
 * ```
 */
export async function compare(
  name: string,
  candidates: readonly Candidate[],
  options: CompareOptions,
): Promise<Comparison> {
  const samples = new Map<string, number[]>(candidates.map((c) => [c.label, []]));
  const batchOf = (c: Candidate) => Math.max(1, c.batch ?? options.batch);
  const warmup = options.warmupRounds ?? 1;
  for (let round = 0; round < warmup + options.rounds; round++) {
    const order = round % 2 === 0 ? candidates : [...candidates].reverse();
    for (const candidate of order) {
      const count = batchOf(candidate);
      const ms = await runBatch(candidate.fn, count);
      if (round >= warmup) samples.get(candidate.label)!.push((count * 1000) / Math.max(ms, 1e-6));
    }
  }
  const samplesOf = (label: string): number[] => {
    const found = samples.get(label);
    if (!found) throw new Error(`${name}: no candidate "${label}"`);
    return found;
  };
  // Paired by round: both numbers of a pair ran back to back, under the same machine conditions.
  const ratio = (label: string, vs: string): number => {
    const b = samplesOf(vs);
    return median(samplesOf(label).map((value, i) => value / b[i]!));
  };
  const reference = options.reference ?? candidates[0]?.label ?? '';
  const results = candidates.map((c) => ({
    label: c.label,
    opsPerSec: median(samplesOf(c.label)),
    samples: samplesOf(c.label),
    ratioToReference: ratio(c.label, reference),
  }));
  return { name, results, opsPerSec: (label) => median(samplesOf(label)), ratio };
}

/** A target a measured number must meet. */
export interface Target {
  /** `min`: the value must be at least `value` (ratios); `max`: at most (bytes, KB). */
  kind: 'min' | 'max';
  value: number;
  /** How the target is written in the table, e.g. `≥ 0.5x`. */
  text: string;
}

/** At least `value` times the baseline. */
export const atLeast = (value: number): Target => ({ kind: 'min', value, text: `≥ ${value}x` });

/** At most `value`, written with `unit`. */
export const atMost = (value: number, unit: string): Target => ({
  kind: 'max',
  value,
  text: `≤ ${value} ${unit}`,
});

/** One line of the result table. */
export interface Row {
  section: string;
  /** What is measured, e.g. `thaipay vs jsonwebtoken`. */
  what: string;
  /** The measurement itself, formatted: `1.23x`, `4.5 KB`. */
  value: string;
  /** Extra detail: the ops/s behind a ratio, absolute ms behind a cold-start ratio. */
  detail: string;
  target: string;
  /** PASS, MISS or `info` (no target). */
  result: string;
}

/** Collects the rows of the one table `npm run bench` prints. */
export class Table {
  readonly rows: Row[] = [];

  /** A row holding a ratio `label / vs` of a comparison, checked against `target` when given. */
  ratio(section: string, comparison: Comparison, label: string, vs: string, target?: Target): void {
    const ratio = comparison.ratio(label, vs);
    this.rows.push({
      section,
      what: `${label} vs ${vs}`,
      value: `${formatRatio(ratio)}x`,
      detail: `${formatOps(comparison.opsPerSec(label))} vs ${formatOps(comparison.opsPerSec(vs))} ops/s`,
      target: target?.text ?? '—',
      result: judge(ratio, target),
    });
  }

  /** A row holding any other number (bytes, KB, ms), checked against `target` when given. */
  value(section: string, what: string, value: number, text: string, detail: string, target?: Target): void {
    this.rows.push({
      section,
      what,
      value: text,
      detail,
      target: target?.text ?? '—',
      result: judge(value, target),
    });
  }

  /** A row with no number to show (a yes/no check), with the reason in `detail`. */
  note(section: string, what: string, detail: string, result: string, target: string): void {
    this.rows.push({ section, what, value: '—', detail, target, result });
  }

  /** Rows whose target was missed. */
  misses(): Row[] {
    return this.rows.filter((r) => r.result === 'MISS');
  }

  /** The table as Markdown, ready to paste into BENCHMARKS.md. */
  toMarkdown(): string {
    const header: Row = {
      section: 'row',
      what: 'comparison',
      value: 'measured',
      detail: 'detail',
      target: 'target',
      result: 'result',
    };
    const keys = ['section', 'what', 'value', 'detail', 'target', 'result'] as const;
    const all = [header, ...this.rows];
    const widths = keys.map((k) => Math.max(...all.map((r) => r[k].length)));
    const line = (r: Row) => `| ${keys.map((k, i) => r[k].padEnd(widths[i]!)).join(' | ')} |`;
    const rule = `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`;
    return [line(header), rule, ...this.rows.map(line)].join('\n');
  }
}

function judge(value: number, target: Target | undefined): string {
  if (!target) return 'info';
  if (!Number.isFinite(value)) return 'MISS';
  const ok = target.kind === 'min' ? value >= target.value : value <= target.value;
  return ok ? 'PASS' : 'MISS';
}

/** Two significant decimals for small ratios, fewer for large ones. */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) return String(ratio);
  if (ratio >= 100) return ratio.toFixed(0);
  if (ratio >= 10) return ratio.toFixed(1);
  return ratio.toFixed(2);
}

/** Ops per second with a k/M suffix. */
export function formatOps(ops: number): string {
  if (ops >= 1e6) return `${(ops / 1e6).toFixed(2)}M`;
  if (ops >= 1e4) return `${(ops / 1e3).toFixed(0)}k`;
  if (ops >= 1e3) return `${(ops / 1e3).toFixed(1)}k`;
  if (ops >= 10) return ops.toFixed(0);
  return ops.toFixed(1);
}
