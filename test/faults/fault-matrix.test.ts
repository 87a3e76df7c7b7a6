/**
 * Every fault on every operation of both clients, against the sandbox. After each case:
 * - reads succeed when the fault fires fewer times than the attempts allowed, or fail typed;
 * - creates never make a second order, and never report failure for an order that exists;
 * - every error is a ThaiPayError subclass whose message says what happened;
 * - the call ended within the deadline (a bound with generous slack, not a speed figure);
 * - a tampered THB answer is never passed on: a read refuses it (ResponseVerificationError), a create
 *   looks the order up and returns only what the verified query answered.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  ConnectionError,
  OrderStatusUnknownError,
  ResponseVerificationError,
  ThaiPayError,
  TimeoutError,
} from '../../src/core/errors';
import type { SandboxFaultKind } from '../../src/testing';
import { type CaseRecord, DEADLINE_MS, faultsFor, OPERATIONS, runFaultMatrix, TIMEOUT_MS } from './matrix';

/** Slack over the deadline: event-loop stalls on a busy 2-core runner, the resend waits, a lookup. */
const DEADLINE_SLACK_MS = 2_500;

type ErrorClass = abstract new (...args: never[]) => ThaiPayError;

interface Expected {
  /** `ok`: returns; `reconciled`: returns, learned by query after a lost answer; else throws this class. */
  outcome: 'ok' | 'reconciled' | ErrorClass;
  /** Whether the order exists afterwards (creates only). */
  orderExists?: boolean;
  /** What the message must say. */
  message?: RegExp;
}

/** What a read's last failure looks like when the fault fires on every attempt. */
const READ_FAILURE: Record<SandboxFaultKind, Expected> = {
  timeout: {
    outcome: TimeoutError,
    message: new RegExp(`no answer within the per-attempt timeout of ${TIMEOUT_MS} ms`),
  },
  'lost-response': { outcome: ConnectionError, message: /failed: .*attempt 3 of 3/ },
  reset: { outcome: ConnectionError, message: /failed: .*attempt 3 of 3/ },
  '5xx': { outcome: ApiError, message: /HTTP 500/ },
  '429': { outcome: ApiError, message: /429|rate limit/i },
  html: { outcome: ApiError, message: /HTTP 502 with a body that is not JSON: ".*502 Bad Gateway/ },
  'malformed-json': { outcome: ApiError, message: /HTTP 200 with a body that is not JSON/ },
  'tampered-signature': { outcome: ResponseVerificationError, message: /does not verify/ },
  'duplicate-callback': { outcome: 'ok' },
  'out-of-order': { outcome: 'ok' },
  // 1004 "system is busy" in a status "0" envelope: an answer, so not retried by the transport.
  'provider-error': { outcome: ApiError, message: /error 1004\): system is busy/ },
};

/** The contract, case by case. */
function expected(record: CaseRecord): Expected {
  const { fault, times } = record;
  if (record.operation.kind === 'read') {
    // An answer that arrived and is wrong is not retried: a cut-short 200 body (transport policy) and a
    // tampered signature (never retried into acceptance).
    if (fault === 'malformed-json' || fault === 'tampered-signature' || fault === 'provider-error')
      return READ_FAILURE[fault];
    return times === 'once' ? { outcome: 'ok' } : READ_FAILURE[fault];
  }
  const created = new RegExp(`order(Id)?.{0,8}"${record.id}"`);
  switch (fault) {
    case 'tampered-signature':
      // The order was made; the answer about it is a forgery. It proves nothing, so the order is looked
      // up, and the query's own verified answer is what is returned (the create is not re-sent).
      return { outcome: 'reconciled', orderExists: true };
    case 'lost-response':
    case 'malformed-json':
      // Processed, answer lost: the re-send meets "already exists" and the query finds the order.
      return { outcome: 'reconciled', orderExists: true };
    default:
      // Not processed: once, the re-send makes the order; always, nothing exists and we cannot know more.
      return times === 'once'
        ? { outcome: 'ok', orderExists: true }
        : { outcome: OrderStatusUnknownError, orderExists: false, message: created };
  }
}

let records: CaseRecord[] = [];
beforeAll(async () => {
  ({ records } = await runFaultMatrix());
}, 60_000);

function label(record: CaseRecord): string {
  return `${record.operation.name} × ${record.fault} (${record.times})`;
}

describe('fault matrix', () => {
  it('ran every fault kind on every operation of both clients, once and on every attempt', () => {
    const expectedCount = OPERATIONS.reduce((n, operation) => n + faultsFor(operation).length * 2, 0);
    expect(records).toHaveLength(expectedCount);
    expect(expectedCount).toBe(7 * 7 * 2 + 4 * 9 * 2);
    console.log(
      `[faults] ${records.length} cases: ${OPERATIONS.length} operations × their fault kinds × (once, always)`,
    );
  });

  it.each(OPERATIONS.map((operation) => [operation.name, operation] as const))(
    '%s: every case meets its expected outcome and the invariants',
    (_name, operation) => {
      for (const record of records.filter((r) => r.operation === operation)) {
        const want = expected(record);
        const where = label(record);

        // The deadline holds for every call, whatever failed.
        expect(record.elapsedMs, where).toBeLessThan(DEADLINE_MS + DEADLINE_SLACK_MS);

        if (record.outcome.ok) {
          expect(want.outcome === 'ok' || want.outcome === 'reconciled', `${where} returned`).toBe(true);
        } else {
          const error = record.outcome.error;
          expect(typeof want.outcome, `${where} threw ${String(error)}`).toBe('function');
          // Typed, a real subclass, and a message that says something.
          expect(error, where).toBeInstanceOf(ThaiPayError);
          expect((error as object).constructor, where).not.toBe(ThaiPayError);
          expect(error, where).toBeInstanceOf(want.outcome as ErrorClass);
          const message = (error as Error).message;
          expect(message.length, where).toBeGreaterThanOrEqual(20);
          if (want.message) expect(message, where).toMatch(want.message);
        }

        if (operation.kind !== 'create') continue;
        // Never a second order for one merchant id.
        expect(record.orders.length, where).toBeLessThanOrEqual(1);
        const order = record.orders[0];
        expect(order !== undefined, `${where}: order exists`).toBe(want.orderExists);
        if (record.outcome.ok) {
          // A returned create names the order that exists, and says how it was learned.
          expect(order, where).toBeDefined();
          const value = record.outcome.value as { reconciled: boolean };
          expect(operation.orderNoOf?.(value), where).toBe(order?.orderNo);
          expect(value.reconciled, where).toBe(want.outcome === 'reconciled');
        } else if (order !== undefined) {
          // Failure reported for an order that exists: only "we cannot know" or "the answer was forged",
          // both telling the caller to query this id.
          const error = record.outcome.error;
          expect(
            error instanceof OrderStatusUnknownError || error instanceof ResponseVerificationError,
            `${where}: ${String(error)}`,
          ).toBe(true);
          expect((error as Error).message, where).toContain(record.id);
          expect((error as Error).message, where).toMatch(/query/i);
        }
      }
    },
  );

  it('an OrderStatusUnknownError carries the merchant order id and the last cause', () => {
    const unknown = records.filter(
      (r) => !r.outcome.ok && r.outcome.error instanceof OrderStatusUnknownError,
    );
    expect(unknown.length).toBeGreaterThan(0);
    for (const record of unknown) {
      const error = (record.outcome as { error: OrderStatusUnknownError }).error;
      expect(error.orderId).toBe(record.id);
      expect(error.cause).toBeInstanceOf(ThaiPayError);
      expect(error.message).toContain('Last error:');
    }
  });

  it('a tampered THB answer is never passed on: a read refuses it, a create is learned by a verified query', () => {
    const tampered = records.filter((r) => r.fault === 'tampered-signature');
    expect(tampered).toHaveLength(4 * 2);
    for (const record of tampered) {
      if (record.operation.kind === 'read') {
        expect(record.outcome.ok, label(record)).toBe(false);
        expect((record.outcome as { error: unknown }).error, label(record)).toBeInstanceOf(
          ResponseVerificationError,
        );
      } else {
        // Only the query's answer, which verified, made this result.
        expect(record.outcome.ok, label(record)).toBe(true);
        expect((record.outcome as { value: { reconciled: boolean } }).value.reconciled, label(record)).toBe(
          true,
        );
      }
    }
  });

  it('reads that met a fault once were retried into success (the retry budget was enough)', () => {
    const retried = records.filter(
      (r) =>
        r.operation.kind === 'read' &&
        r.times === 'once' &&
        !['malformed-json', 'tampered-signature', 'provider-error'].includes(r.fault),
    );
    expect(retried).toHaveLength(7 * 6);
    for (const record of retried) {
      expect(record.outcome.ok, label(record)).toBe(true);
      const attempts = record.hookCalls.filter((call) => call.hook === 'beforeRequest').length;
      // One retry after the fault; a third attempt only if the runner stalled past the attempt timeout.
      expect(attempts, label(record)).toBeGreaterThanOrEqual(2);
    }
  });
});
