/**
 * How a matrix run reports back: the results of one runtime, and (for child processes) the one stdout
 * line that carries them.
 */
import type { CheckResult } from './checks';

/** Prefix of the one stdout line of a child run that carries its {@link RuntimeReport} as JSON. */
export const RESULT_MARKER = 'THAIPAY_MATRIX_RESULTS ';

/** What one runtime reports: which runtime it was, and every check's result. */
export interface RuntimeReport {
  runtime: string;
  results: CheckResult[];
}

/**
 * The failed checks, one line each, for an assertion message that says what went wrong where.
 *
 * @example
 * ```ts
 * expect(failures(report)).toEqual([]);
 * ```
 */
export function failures(report: RuntimeReport): string[] {
  return report.results.filter((r) => !r.ok).map((r) => `[${report.runtime}] ${r.name}: ${r.detail}`);
}
