/** How big a run is: full (`npm run bench`) or a smoke test (`--quick`). */
export interface RowOptions {
  quick: boolean;
  /** Measured rounds per comparison. */
  rounds: number;
  /** A full-run batch size scaled down for `--quick` (never below 1). */
  scale(batch: number): number;
}

/**
 * Options for a full run or a quick one: the quick run keeps every code path but shrinks batches
 * about a thousandfold and uses three rounds, so it proves the bench runs without measuring anything.
 *
 * @example
 * ```ts
 * const options = rowOptions(process.argv.includes('--quick'));
 * ```
 */
export function rowOptions(quick: boolean): RowOptions {
  return {
    quick,
    rounds: quick ? 3 : 9,
    scale: (batch) => (quick ? Math.max(1, Math.ceil(batch / 1000)) : batch),
  };
}
