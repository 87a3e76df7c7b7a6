import { describe, expect, it, vi } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import type { DedupeClaim } from '../../src/core/webhooks';
import {
  createRedisDedupeStore,
  DEFAULT_REDIS_DEDUPE_PREFIX,
  type IoRedisLikeClient,
  type NodeRedisLikeClient,
  type RedisLikeClient,
} from '../../src/redis';
import { detectRedisClientKind } from '../../src/redis/clients';
import { dedupeStoreContract } from '../core/dedupe-contract';
import { clientOf, ioRedisClient, KINDS, nodeRedisClient, uniquePrefix } from './helpers';

describe('client detection', () => {
  it('tells node-redis from ioredis by shape', async () => {
    expect(detectRedisClientKind(await nodeRedisClient())).toBe('node-redis');
    expect(detectRedisClientKind(await ioRedisClient())).toBe('ioredis');
  });

  it('refuses a client of unknown shape unless a kind is given, naming the option', () => {
    const bare: RedisLikeClient = { set: async () => 'OK', eval: async () => 0 };
    const error = (() => {
      try {
        createRedisDedupeStore(bare);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).issues[0]?.field).toBe('kind');
    expect(() => createRedisDedupeStore(bare, { kind: 'ioredis' })).not.toThrow();
  });

  it('refuses something that is not a client at all', () => {
    expect(() => createRedisDedupeStore({} as RedisLikeClient)).toThrow(InvalidRequestError);
    expect(() => createRedisDedupeStore(null as unknown as RedisLikeClient)).toThrow(/client/);
  });

  it('refuses bad options', async () => {
    const client = await ioRedisClient();
    expect(() => createRedisDedupeStore(client, { maxTrackedClaims: 0 })).toThrow(/maxTrackedClaims/);
    expect(() => createRedisDedupeStore(client, { prefix: 5 as unknown as string })).toThrow(/prefix/);
  });

  it('uses an explicit kind for a wrapped client whose shape says nothing (real server)', async () => {
    const io = await ioRedisClient();
    const node = await nodeRedisClient();
    const wrappedIo: IoRedisLikeClient = {
      set: (key, value, ex, seconds, nx) => io.set(key, value, ex, seconds, nx),
      eval: (script, numKeys, ...rest) => io.eval(script, numKeys, ...rest),
    };
    const wrappedNode: NodeRedisLikeClient = {
      set: (key, value, options) => node.set(key, value, options),
      eval: (script, options) => node.eval(script, options),
    };
    for (const [client, kind] of [
      [wrappedIo, 'ioredis'],
      [wrappedNode, 'node-redis'],
    ] as const) {
      const store = createRedisDedupeStore(client, { kind, prefix: uniquePrefix() });
      const claim = await store.claim('E1', 60);
      expect(claim.state).toBe('claimed');
      expect(await store.claim('E1', 60)).toStrictEqual({ state: 'in_flight' });
      if (claim.state === 'claimed') await store.release('E1', claim.token);
      expect((await store.claim('E1', 60)).state).toBe('claimed');
    }
  });
});

describe.each(KINDS)('the lease contract with %s', (kind) => {
  dedupeStoreContract(async () => {
    const prefix = uniquePrefix();
    const redis = await ioRedisClient();
    return {
      store: createRedisDedupeStore(await clientOf(kind), { prefix }),
      // What EX does when the time is up, without waiting for it.
      expire: async (key: string) => {
        await redis.del(`${prefix}${key}`);
      },
    };
  });
});

/** The token of a claim, failing the test when it is not one. */
function tokenOf(claim: DedupeClaim): string {
  if (claim.state !== 'claimed') throw new Error(`expected a claim, got ${claim.state}`);
  return claim.token;
}

describe.each(KINDS)('createRedisDedupeStore with %s', (kind) => {
  const admin = () => ioRedisClient();

  it('a claim is lease:<token> under the prefix for the lease; complete makes it done for the TTL', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    const token = tokenOf(await store.claim('DP1:completed', 60));
    const redis = await admin();
    const key = `${prefix}DP1:completed`;
    // A random token, not a fixed marker: that is what makes complete and release safe.
    expect(await redis.get(key)).toBe(`lease:${token}`);
    const lease = await redis.pttl(key);
    expect(lease).toBeGreaterThan(0);
    expect(lease).toBeLessThanOrEqual(60_000);
    await store.complete('DP1:completed', token, 604_800);
    expect(await redis.get(key)).toBe('done');
    expect(await redis.pttl(key)).toBeGreaterThan(60_000);
  });

  it('a key written by the previous store version (a bare token) reads as done, not in flight', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    await (await admin()).set(`${prefix}old`, 'a'.repeat(32), 'EX', 600);
    expect(await store.claim('old', 60)).toStrictEqual({ state: 'done' });
  });

  it('uses thaipay:webhook: as the default prefix', async () => {
    const store = createRedisDedupeStore(await clientOf(kind));
    const key = `default-prefix:${crypto.randomUUID()}`;
    expect(DEFAULT_REDIS_DEDUPE_PREFIX).toBe('thaipay:webhook:');
    expect((await store.claim(key, 60)).state).toBe('claimed');
    expect(await (await admin()).exists(`thaipay:webhook:${key}`)).toBe(1);
  });

  it('rounds a fractional lease up to whole seconds', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    expect((await store.claim('K', 1.2)).state).toBe('claimed');
    const ttl = await (await admin()).pttl(`${prefix}K`);
    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(2000);
  });

  it('refuses a lease that is not a positive number, naming leaseSeconds, before talking to Redis', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '60' as unknown as number]) {
      await expect(store.claim('K', bad)).rejects.toThrow(InvalidRequestError);
      await expect(store.claim('K', bad)).rejects.toThrow(/leaseSeconds/);
    }
    await expect(store.claim('', 60)).rejects.toThrow(/key/);
    await expect(store.release('K', '')).rejects.toThrow(/token/);
    expect(await (await admin()).exists(`${prefix}K`)).toBe(0);
  });

  it('lets a lease be taken again once it has run out (a crashed holder), for real', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    expect((await store.claim('short', 1)).state).toBe('claimed');
    expect(await store.claim('short', 1)).toStrictEqual({ state: 'in_flight' });
    await new Promise((r) => setTimeout(r, 1100));
    await vi.waitFor(async () => expect((await store.claim('short', 60)).state).toBe('claimed'), {
      timeout: 3000,
    });
  });

  it('release by the owner lets another instance claim; a late release after a retake deletes nothing', async () => {
    const prefix = uniquePrefix();
    const a = createRedisDedupeStore(await clientOf(kind), { prefix });
    const b = createRedisDedupeStore(await clientOf(kind), { prefix });
    const redis = await admin();
    const aToken = tokenOf(await a.claim('E', 60));
    expect(await b.claim('E', 60)).toStrictEqual({ state: 'in_flight' });
    await a.release('E', aToken);
    expect(await redis.exists(`${prefix}E`)).toBe(0);
    const bToken = tokenOf(await b.claim('E', 60));
    await a.release('E', aToken); // A fails late and gives back what it thinks is its lease
    expect(await redis.get(`${prefix}E`)).toBe(`lease:${bToken}`);
    await b.complete('E', bToken, 600);
    await a.release('E', aToken);
    expect(await a.claim('E', 60)).toStrictEqual({ state: 'done' });
  });

  it('prefixes isolate stores from each other', async () => {
    const one = createRedisDedupeStore(await clientOf(kind), { prefix: uniquePrefix() });
    const two = createRedisDedupeStore(await clientOf(kind), { prefix: uniquePrefix() });
    expect((await one.claim('same-key', 60)).state).toBe('claimed');
    expect((await two.claim('same-key', 60)).state).toBe('claimed');
    expect((await one.claim('same-key', 60)).state).toBe('in_flight');
    expect((await two.claim('same-key', 60)).state).toBe('in_flight');
  });

  it('gives a key to exactly one of 100 concurrent claimants across two instances', async () => {
    const prefix = uniquePrefix();
    const a = createRedisDedupeStore(await clientOf(kind), { prefix });
    const b = createRedisDedupeStore(await clientOf(kind), { prefix });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).claim('hot', 60)),
    );
    expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
  });

  it('still accepts the deprecated maxTrackedClaims, checked', async () => {
    const client = await clientOf(kind);
    expect(() => createRedisDedupeStore(client, { maxTrackedClaims: 2 })).not.toThrow();
    expect(() => createRedisDedupeStore(client, { maxTrackedClaims: 0 })).toThrow(/maxTrackedClaims/);
  });

  it('lets Redis errors through (a closed client)', async () => {
    const client = await clientOf(kind);
    const store = createRedisDedupeStore(client, { prefix: uniquePrefix() });
    if ('quit' in client && typeof client.quit === 'function') await client.quit();
    else if ('close' in client && typeof client.close === 'function') await client.close();
    await expect(store.claim('E', 60)).rejects.toThrow();
  });
});

describe('a claim whose reply is lost', () => {
  it('is undone by the store, so the provider retry can be handled', async () => {
    const io = await ioRedisClient();
    const prefix = uniquePrefix();
    let lose = true;
    // The claim script runs on Redis, but the caller sees an error (a connection dropped before the reply).
    const lossy: IoRedisLikeClient = {
      set: (key, value, ex, seconds, nx) => io.set(key, value, ex, seconds, nx),
      eval: async (script, numKeys, ...rest) => {
        const reply = await io.eval(script, numKeys, ...rest);
        if (lose) {
          lose = false;
          throw new Error('connection reset');
        }
        return reply;
      },
    };
    const failing = createRedisDedupeStore(lossy, { kind: 'ioredis', prefix });
    await expect(failing.claim('E', 60)).rejects.toThrow('connection reset');
    const healthy = createRedisDedupeStore(io, { prefix });
    await vi.waitFor(async () => expect((await healthy.claim('E', 60)).state).toBe('claimed'));
  });
});
