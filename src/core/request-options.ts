/**
 * Per-call options, the same last argument of every client method of both providers.
 */
import { type FieldIssue, InvalidRequestError } from './errors';

/** The longest per-call `timeoutMs`, the same bound as the clients' own `timeoutMs`. */
const MAX_CALL_TIMEOUT_MS = 10 * 60_000;

/**
 * Options of one call, taken as the optional last argument of every client method.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const order = await gateway.getOrder({ agentOrderNo: 'order-1001' }, { signal: controller.signal, timeoutMs: 5_000 });
 * ```
 */
export interface RequestOptions {
  /** Aborts the call (and any wait between attempts); it then rejects with code `aborted`. */
  signal?: AbortSignal;
  /** This call's per-attempt time limit in milliseconds, instead of the client's `timeoutMs`. */
  timeoutMs?: number;
}

function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as AbortSignal).aborted === 'boolean' &&
    typeof (value as AbortSignal).addEventListener === 'function'
  );
}

/**
 * Check per-call options before anything is sent, naming every broken one at once.
 *
 * @internal Used by the clients.
 */
export function checkRequestOptions(options: RequestOptions | undefined): RequestOptions {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object') {
    throw InvalidRequestError.field('options', 'must be an object with signal and/or timeoutMs');
  }
  const issues: FieldIssue[] = [];
  const { signal, timeoutMs } = options;
  if (signal !== undefined && !isAbortSignal(signal)) {
    issues.push({ field: 'signal', rule: 'must be an AbortSignal' });
  }
  if (
    timeoutMs !== undefined &&
    (typeof timeoutMs !== 'number' ||
      !Number.isFinite(timeoutMs) ||
      timeoutMs <= 0 ||
      timeoutMs > MAX_CALL_TIMEOUT_MS)
  ) {
    issues.push({
      field: 'timeoutMs',
      rule: `must be a finite number of milliseconds, more than 0 and at most ${MAX_CALL_TIMEOUT_MS}`,
    });
  }
  if (issues.length > 0) throw new InvalidRequestError(issues);
  return options;
}

/**
 * The transport's fields for these options: only those set, so `exactOptionalPropertyTypes` holds.
 *
 * @internal Used by the clients.
 */
export function sendOptionsOf(options: RequestOptions): RequestOptions {
  return {
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  };
}

/**
 * Run a method's input check and {@link checkRequestOptions} together, so one InvalidRequestError names
 * every broken field of both.
 *
 * @internal Used by the clients.
 */
export function checkCall<T>(checkInput: () => T, options: RequestOptions | undefined): [T, RequestOptions] {
  const issues: FieldIssue[] = [];
  const collect = <V>(run: () => V): V | undefined => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof InvalidRequestError)) throw error;
      issues.push(...error.issues);
      return undefined;
    }
  };
  const input = collect(checkInput);
  const checked = collect(() => checkRequestOptions(options));
  if (issues.length > 0) throw new InvalidRequestError(issues);
  return [input as T, sendOptionsOf(checked ?? {})];
}
