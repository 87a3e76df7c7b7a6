/**
 * Safe creates for both providers: a create whose answer was lost is re-sent with the SAME merchant
 * order id (so the provider refuses a second order), a "that id already exists" answer to the re-send
 * is reconciled by querying the order, and an outcome that still cannot be learned becomes an
 * OrderStatusUnknownError carrying the order id. Never two orders, never a false "failed".
 */
import {
  ApiError,
  ConnectionError,
  DuplicateOrderError,
  OrderStatusUnknownError,
  ResponseVerificationError,
  ThaiPayError,
  TimeoutError,
} from './errors';

/**
 * `code` of an ApiError whose provider said it is busy or failed inside (THB collect 1003/1004): its error
 * table says the order may already be recorded, so a create answered so has an unknown outcome.
 */
export const PROVIDER_BUSY_CODE = 'provider_busy';

/**
 * `code` of an ApiError for a create answer that neither proves the order nor its refusal (a 2xx body that
 * is not the provider's envelope, a success without data, an answer about another order id).
 */
export const AMBIGUOUS_RESPONSE_CODE = 'ambiguous_response';

/**
 * The ApiError codes that leave a create's outcome unknown whatever the HTTP status: safe-create re-sends
 * with the same order id and reconciles by querying, never reports them as a failure.
 *
 * @example
 * ```ts
 * OUTCOME_UNKNOWN_CODES.has(error.code); // true for "provider_busy"
 * ```
 */
export const OUTCOME_UNKNOWN_CODES: ReadonlySet<string> = new Set([
  PROVIDER_BUSY_CODE,
  AMBIGUOUS_RESPONSE_CODE,
]);

/**
 * Whether an error leaves a create's outcome unknown (the provider may or may not have made the order).
 *
 * @example
 * ```ts
 * if (isOutcomeUnknown(error)) await queue.checkLater(orderId); // query, never create under a new id
 * ```
 */
export function isOutcomeUnknown(error: unknown): boolean {
  // A connection refused, a host unknown or TLS failing before the request was written proves nothing
  // left: the provider cannot have made the order.
  if (error instanceof ConnectionError && !error.requestSent) return false;
  if (error instanceof TimeoutError || error instanceof ConnectionError) return error.code !== 'aborted';
  // An answer whose signature does not verify proves nothing either way (a wrong platform key, a
  // tampered answer): the order may exist, so it is looked up, never reported as refused.
  if (error instanceof ResponseVerificationError) return true;
  if (error instanceof ApiError && OUTCOME_UNKNOWN_CODES.has(error.code)) return true;
  // 5xx (an answer that may come after the order was written) and 429 (not processed; safe to re-send).
  if (error instanceof ApiError && error.status !== undefined)
    return error.status >= 500 || error.status === 429 || isUnreadableSuccess(error);
  return false;
}

/**
 * A 2xx answer whose body the transport could not read as JSON (it builds these with `raw: { excerpt }`):
 * a body cut short mid-way, typically. The provider answered, so it most likely made the order, but what
 * it said is lost; reporting it as a refusal would be a false "failed" for an order that exists.
 */
function isUnreadableSuccess(error: ApiError): boolean {
  const raw = error.raw as { excerpt?: unknown } | undefined;
  return (
    error.code === 'invalid_response' &&
    error.status !== undefined &&
    error.status >= 200 &&
    error.status < 300 &&
    typeof raw?.excerpt === 'string'
  );
}

/** How a provider plugs its create and query into {@link safeCreate}. */
export interface SafeCreateSpec<T, R = T> {
  /** The merchant order id, the same on every send. */
  orderId: string;
  /** One send of the create (signed afresh each time). */
  send(): Promise<T>;
  /**
   * Query the order by its merchant id; `undefined` when the provider says it does not exist. Its result
   * may be another type than the create's: a query does not return everything a create answer does.
   */
  lookup(): Promise<R | undefined>;
  /** Re-sends after the first attempt when the outcome is unknown. Default 2. */
  maxResends?: number;
  /** Wait before re-send number `n` (1-based). */
  wait?(n: number): Promise<void>;
}

/** A create's result: `reconciled` is true when it was learned by querying after a lost answer. */
export type Created<T> = T & {
  /**
   * `false`: the provider's create answer itself. `true`: that answer was lost and the order was found
   * by querying it, so only the fields the query returns are present.
   */
  reconciled: boolean;
};

/**
 * A create's result when the create and the query answer differently: the create's own answer
 * (`reconciled: false`), or the query's (`reconciled: true`), so a type says which fields are missing.
 */
export type SafeCreated<T, R = T> = (T & { reconciled: false }) | (R & { reconciled: true });

/**
 * Run a create safely.
 *
 * @example
 * ```ts
 * const order = await safeCreate({ orderId: 'T-1', send: () => post(body), lookup: () => query('T-1') });
 * ```
 */
export async function safeCreate<T extends object, R extends object = T>(
  spec: SafeCreateSpec<T, R>,
): Promise<SafeCreated<T, R>> {
  const maxResends = spec.maxResends ?? 2;
  let lastError: unknown;
  try {
    // A duplicate on the first attempt is a real duplicate: the caller reused an id. It propagates.
    return { ...(await spec.send()), reconciled: false as const };
  } catch (error) {
    if (!isOutcomeUnknown(error)) throw error;
    // The provider answered, but the answer cannot be trusted: ask it again by query rather than
    // re-sending a create it has already received.
    if (error instanceof ResponseVerificationError) return reconcile(spec, error);
    lastError = error;
  }
  for (let n = 1; n <= maxResends; n++) {
    await spec.wait?.(n);
    try {
      return { ...(await spec.send()), reconciled: false as const };
    } catch (error) {
      // "Already exists" after a lost answer means our first send made the order: fetch it.
      if (error instanceof DuplicateOrderError || error instanceof ResponseVerificationError)
        return reconcile(spec, error);
      if (!isOutcomeUnknown(error)) return reconcile(spec, error);
      lastError = error;
    }
  }
  return reconcile(spec, lastError);
}

async function reconcile<T extends object, R extends object>(
  spec: SafeCreateSpec<T, R>,
  cause: unknown,
): Promise<SafeCreated<T, R>> {
  let found: R | undefined;
  try {
    found = await spec.lookup();
  } catch (error) {
    throw unknown(spec.orderId, error);
  }
  if (found !== undefined) return { ...found, reconciled: true as const };
  // The provider says no such order, yet it refused or lost our sends: report the refusal as it is
  // when it is definite, otherwise say we cannot know.
  if (cause instanceof ThaiPayError && !isOutcomeUnknown(cause) && !(cause instanceof DuplicateOrderError))
    throw cause;
  throw unknown(spec.orderId, cause);
}

function unknown(orderId: string, cause: unknown): OrderStatusUnknownError {
  const why = cause instanceof Error ? ` Last error: ${cause.message}` : '';
  return new OrderStatusUnknownError(
    `The outcome of creating order "${orderId}" could not be learned; query it by this id before retrying.${why}`,
    { orderId, cause },
  );
}
