/**
 * The lease contract every WebhookDedupeStore keeps (src/core/webhooks.ts), as one suite run against the
 * memory store (test/core/webhooks.test.ts) and the Redis store on a real server (test/redis/store.test.ts).
 */
import { expect, it } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import type { DedupeClaim, WebhookDedupeStore } from '../../src/core/webhooks';

/** A store under test, and how to make a key's lease or TTL run out without waiting for it. */
export interface ContractSubject {
  store: WebhookDedupeStore;
  /** Make whatever `key` holds expire now (advance a clock, or delete the key as its EX would). */
  expire(key: string): Promise<void> | void;
}

function token(claim: DedupeClaim): string {
  if (claim.state !== 'claimed') throw new Error(`expected a claim, got ${claim.state}`);
  expect(claim.token).toMatch(/^[0-9a-f]{32}$/);
  return claim.token;
}

/** Register the contract's tests; `make` gives a fresh store (fresh keys) per test. */
export function dedupeStoreContract(make: () => Promise<ContractSubject> | ContractSubject): void {
  it('contract: a claim is a lease: in_flight while held, done once completed', async () => {
    const { store } = await make();
    const t = token(await store.claim('E1', 60));
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'in_flight' });
    await store.complete('E1', t, 3600);
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'done' });
    expect(await store.claim('E2', 60)).toMatchObject({ state: 'claimed' });
  });

  it('contract: a released lease is claimed again, with a new token', async () => {
    const { store } = await make();
    const first = token(await store.claim('E1', 60));
    await store.release('E1', first);
    const second = token(await store.claim('E1', 60));
    expect(second).not.toBe(first);
  });

  it('contract: a token that does not own the lease can neither release nor complete it', async () => {
    const { store } = await make();
    const owner = token(await store.claim('E1', 60));
    await store.release('E1', 'f'.repeat(32));
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'in_flight' });
    await store.complete('E1', 'f'.repeat(32), 3600);
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'in_flight' });
    await store.complete('E1', owner, 3600);
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'done' });
  });

  it('contract: a crashed holder (lease expired) lets the next delivery claim; the stale owner then changes nothing', async () => {
    const { store, expire } = await make();
    const crashed = token(await store.claim('E1', 60));
    await expire('E1');
    const retry = token(await store.claim('E1', 60));
    await store.complete('E1', crashed, 3600);
    await store.release('E1', crashed);
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'in_flight' });
    await store.complete('E1', retry, 3600);
    await store.release('E1', retry);
    await store.release('E1', crashed);
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'done' });
  });

  it('contract: completing after the own lease expired, with nobody else on it, still records the event', async () => {
    const { store, expire } = await make();
    const slow = token(await store.claim('E1', 60));
    await expire('E1');
    await store.complete('E1', slow, 3600);
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'done' });
  });

  it('contract: a handled event is forgotten only when its TTL ends', async () => {
    const { store, expire } = await make();
    await store.complete('E1', token(await store.claim('E1', 60)), 3600);
    expect(await store.claim('E1', 60)).toStrictEqual({ state: 'done' });
    await expire('E1');
    expect(await store.claim('E1', 60)).toMatchObject({ state: 'claimed' });
  });

  it('contract: of 50 simultaneous claims exactly one gets the lease', async () => {
    const { store } = await make();
    const claims = await Promise.all(Array.from({ length: 50 }, () => store.claim('E1', 60)));
    expect(claims.filter((c) => c.state === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.state === 'in_flight')).toHaveLength(49);
  });

  it('contract: bad keys and durations are configuration errors naming the argument', async () => {
    const { store } = await make();
    const refusal = async (run: () => unknown) => {
      try {
        await run();
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidRequestError);
        return (error as InvalidRequestError).issues.map((i) => i.field);
      }
      throw new Error('accepted');
    };
    expect(await refusal(() => store.claim('', 60))).toStrictEqual(['key']);
    for (const bad of [Number.NaN, 0, -5, Number.POSITIVE_INFINITY]) {
      expect(await refusal(() => store.claim('E1', bad))).toStrictEqual(['leaseSeconds']);
    }
    const t = token(await store.claim('E1', 60));
    expect(await refusal(() => store.complete('E1', t, Number.NaN))).toStrictEqual(['ttlSeconds']);
  });
}
