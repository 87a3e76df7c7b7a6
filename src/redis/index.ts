/**
 * `thaipay/redis`: a webhook dedupe store on Redis, shared by every app instance, for node-redis or
 * ioredis (optional peer dependencies; bring your own client).
 *
 * @example
 * ```ts
 * import Redis from 'ioredis';
 * import { createRedisDedupeStore } from 'thaipay/redis';
 *
 * const store = createRedisDedupeStore(new Redis(process.env.REDIS_URL!));
 * ```
 *
 * @packageDocumentation
 */
export * from '../core/errors';
export type { DedupeClaim, WebhookDedupeStore } from '../core/webhooks';
export type {
  IoRedisLikeClient,
  NodeRedisLikeClient,
  RedisClientKind,
  RedisLikeClient,
} from './clients';
export {
  createRedisDedupeStore,
  DEFAULT_REDIS_DEDUPE_PREFIX,
  type RedisDedupeStoreOptions,
} from './store';
