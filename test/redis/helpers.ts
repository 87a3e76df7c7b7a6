/** Clients for the Redis suite, connected to the server test/redis/setup.ts started. */
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, inject } from 'vitest';
import type { RedisClientKind, RedisLikeClient } from '../../src/redis';

/** A connected node-redis client (named, so tsc need not spell out its very long inferred type). */
export type NodeRedisClient = ReturnType<typeof createClient>;

export const KINDS: readonly RedisClientKind[] = ['node-redis', 'ioredis'];

const opened: Array<() => Promise<unknown>> = [];

afterAll(async () => {
  await Promise.all(opened.splice(0).map((close) => close()));
});

/** A new node-redis v5 client, connected; closed after the file's tests. */
export async function nodeRedisClient(): Promise<NodeRedisClient> {
  const client = createClient({ socket: { host: '127.0.0.1', port: inject('redisPort') } });
  await client.connect();
  opened.push(async () => {
    if (client.isOpen) await client.close();
  });
  return client;
}

/** A new ioredis client, connected; closed after the file's tests. */
export async function ioRedisClient(): Promise<Redis> {
  const client = new Redis({ host: '127.0.0.1', port: inject('redisPort'), lazyConnect: true });
  await client.connect();
  opened.push(async () => {
    if (client.status !== 'end') await client.quit();
  });
  return client;
}

/** A new connected client of either library. */
export async function clientOf(kind: RedisClientKind): Promise<RedisLikeClient> {
  return kind === 'node-redis' ? nodeRedisClient() : ioRedisClient();
}

/** A prefix no other test uses, so tests sharing the one server never see each other's keys. */
export function uniquePrefix(): string {
  return `test:${crypto.randomUUID()}:`;
}
