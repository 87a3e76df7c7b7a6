import { describe, expect, it, vi } from 'vitest';
import { InvalidRequestError } from '../../src/core/errors';
import {
  createRedisDedupeStore,
  DEFAULT_REDIS_DEDUPE_PREFIX,
  type IoRedisLikeClient,
  type NodeRedisLikeClient,
  type RedisLikeClient,
} from '../../src/redis';
import { detectRedisClientKind } from '../../src/redis/clients';
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
      expect(await store.claim('E1', 60)).toBe(true);
      expect(await store.claim('E1', 60)).toBe(false);
      await store.release('E1');
      expect(await store.claim('E1', 60)).toBe(true);
    }
  });
});

describe.each(KINDS)('createRedisDedupeStore with %s', (kind) => {
  const admin = () => ioRedisClient();

  it('claims once: true, then false, with the key set under the prefix with the TTL', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    expect(await store.claim('DP1:completed', 60)).toBe(true);
    expect(await store.claim('DP1:completed', 60)).toBe(false);
    const redis = await admin();
    const ttl = await redis.pttl(`${prefix}DP1:completed`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    // The value is a random token, not a fixed marker: that is what makes a release safe.
    expect(await redis.get(`${prefix}DP1:completed`)).toMatch(/^[0-9a-f]{32}$/);
  });

  it('uses thaipay:webhook: as the default prefix', async () => {
    const store = createRedisDedupeStore(await clientOf(kind));
    const key = `default-prefix:${crypto.randomUUID()}`;
    expect(DEFAULT_REDIS_DEDUPE_PREFIX).toBe('thaipay:webhook:');
    expect(await store.claim(key, 60)).toBe(true);
    expect(await (await admin()).exists(`thaipay:webhook:${key}`)).toBe(1);
  });

  it('rounds a fractional TTL up to whole seconds', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    expect(await store.claim('K', 1.2)).toBe(true);
    const ttl = await (await admin()).pttl(`${prefix}K`);
    expect(ttl).toBeGreaterThan(1000);
    expect(ttl).toBeLessThanOrEqual(2000);
  });

  it('refuses a TTL that is not a positive number, naming ttlSeconds, before talking to Redis', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '60' as unknown as number]) {
      await expect(store.claim('K', bad)).rejects.toThrow(InvalidRequestError);
      await expect(store.claim('K', bad)).rejects.toThrow(/ttlSeconds/);
    }
    await expect(store.claim('', 60)).rejects.toThrow(/key/);
    expect(await (await admin()).exists(`${prefix}K`)).toBe(0);
  });

  it('lets a claim be taken again once its TTL has run out', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix });
    expect(await store.claim('short', 1)).toBe(true);
    expect(await store.claim('short', 1)).toBe(false);
    await new Promise((r) => setTimeout(r, 1100));
    await vi.waitFor(async () => expect(await store.claim('short', 60)).toBe(true), { timeout: 3000 });
  });

  it('release lets the key be claimed again, by this instance or another', async () => {
    const prefix = uniquePrefix();
    const a = createRedisDedupeStore(await clientOf(kind), { prefix });
    const b = createRedisDedupeStore(await clientOf(kind), { prefix });
    expect(await a.claim('E', 60)).toBe(true);
    expect(await b.claim('E', 60)).toBe(false);
    await a.release('E');
    expect(await (await admin()).exists(`${prefix}E`)).toBe(0);
    expect(await b.claim('E', 60)).toBe(true);
    expect(await a.claim('E', 60)).toBe(false);
  });

  it('a release by an instance that does not own the claim deletes nothing', async () => {
    const prefix = uniquePrefix();
    const a = createRedisDedupeStore(await clientOf(kind), { prefix });
    const b = createRedisDedupeStore(await clientOf(kind), { prefix });
    expect(await a.claim('E', 60)).toBe(true);
    await b.release('E');
    expect(await b.claim('E', 60)).toBe(false);
    expect(await (await admin()).exists(`${prefix}E`)).toBe(1);
  });

  it("a late release after the claim expired and was retaken does not delete the new owner's claim", async () => {
    const prefix = uniquePrefix();
    const a = createRedisDedupeStore(await clientOf(kind), { prefix });
    const b = createRedisDedupeStore(await clientOf(kind), { prefix });
    const redis = await admin();
    expect(await a.claim('E', 60)).toBe(true);
    await redis.del(`${prefix}E`); // the claim's TTL ran out while A was still busy
    expect(await b.claim('E', 60)).toBe(true);
    const bToken = await redis.get(`${prefix}E`);
    await a.release('E'); // A fails late and gives back what it thinks is its claim
    expect(await redis.get(`${prefix}E`)).toBe(bToken);
    expect(await a.claim('E', 60)).toBe(false);
  });

  it('prefixes isolate stores from each other', async () => {
    const one = createRedisDedupeStore(await clientOf(kind), { prefix: uniquePrefix() });
    const two = createRedisDedupeStore(await clientOf(kind), { prefix: uniquePrefix() });
    expect(await one.claim('same-key', 60)).toBe(true);
    expect(await two.claim('same-key', 60)).toBe(true);
    expect(await one.claim('same-key', 60)).toBe(false);
    expect(await two.claim('same-key', 60)).toBe(false);
  });

  it('gives a key to exactly one of 100 concurrent claimants across two instances', async () => {
    const prefix = uniquePrefix();
    const a = createRedisDedupeStore(await clientOf(kind), { prefix });
    const b = createRedisDedupeStore(await clientOf(kind), { prefix });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? a : b).claim('hot', 60)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('remembers a bounded number of claims; a forgotten one is left to its TTL', async () => {
    const prefix = uniquePrefix();
    const store = createRedisDedupeStore(await clientOf(kind), { prefix, maxTrackedClaims: 2 });
    for (const key of ['k1', 'k2', 'k3']) expect(await store.claim(key, 60)).toBe(true);
    await store.release('k1'); // forgotten: k1 stays claimed
    await store.release('k3');
    const redis = await admin();
    expect(await redis.exists(`${prefix}k1`)).toBe(1);
    expect(await redis.exists(`${prefix}k3`)).toBe(0);
    expect(await redis.pttl(`${prefix}k1`)).toBeGreaterThan(0);
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
    // The SET reaches Redis, but the caller sees an error (a connection dropped before the reply).
    const lossy: IoRedisLikeClient = {
      set: async (key, value, ex, seconds, nx) => {
        await io.set(key, value, ex, seconds, nx);
        throw new Error('connection reset');
      },
      eval: (script, numKeys, ...rest) => io.eval(script, numKeys, ...rest),
    };
    const failing = createRedisDedupeStore(lossy, { kind: 'ioredis', prefix });
    await expect(failing.claim('E', 60)).rejects.toThrow('connection reset');
    const healthy = createRedisDedupeStore(io, { prefix });
    await vi.waitFor(async () => expect(await healthy.claim('E', 60)).toBe(true));
  });
});
