/**
 * A webhook dedupe store on Redis, so several app instances behind a load balancer handle each
 * provider callback once: a claim is `SET key token NX EX ttl`, a release deletes the key only while
 * it still holds this store's token.
 */
import { InvalidRequestError } from '../core/errors';
import type { WebhookDedupeStore } from '../core/webhooks';
import { type RedisClientKind, type RedisLikeClient, redisCommands } from './clients';

/** The key prefix used when none is given. */
export const DEFAULT_REDIS_DEDUPE_PREFIX = 'thaipay:webhook:';

/**
 * Deletes KEYS[1] only when it still holds ARGV[1] (the claimant's token), atomically: a release can
 * never delete a claim that expired and was taken by another instance in the meantime.
 */
export const RELEASE_IF_OWNED_SCRIPT =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Options of {@link createRedisDedupeStore}. */
export interface RedisDedupeStoreOptions {
  /** Put before every key, to share a Redis with other data or keep environments apart. Default `thaipay:webhook:`. */
  prefix?: string;
  /** Which library the client comes from; detected from its shape when left out. */
  kind?: RedisClientKind;
  /**
   * How many claims this process remembers the token of, so it can release them. The oldest is
   * forgotten first; a forgotten claim is no longer released early and simply expires with its TTL.
   * Default 10,000.
   */
  maxTrackedClaims?: number;
}

/**
 * Create a {@link WebhookDedupeStore} on Redis, shared by every app instance that uses the same Redis
 * and prefix. Works with node-redis v4/v5 and ioredis clients (and their cluster clients); neither is
 * imported, bring your own connected client.
 *
 * - `claim(key, ttl)` runs `SET <prefix><key> <random token> NX EX <ttl>` (ttl rounded up to whole
 *   seconds) and is true only for the caller that created the key.
 * - `release(key)` deletes the key through {@link RELEASE_IF_OWNED_SCRIPT} (EVAL) only while it holds
 *   the token this store put there. A release for a key this store never claimed, or whose token it no
 *   longer remembers (see `maxTrackedClaims`), does nothing: the claim stays until its TTL ends.
 * - Redis errors are thrown as the client raised them; the webhook handlers answer 503 on a failed
 *   claim, so the provider retries later. When a claim fails, the store also tries, without waiting, to
 *   delete its own key, in case the SET reached Redis before the connection broke.
 *
 * Set your client's own command timeout (ioredis `commandTimeout`, for example) if a hung Redis should
 * fail a callback rather than hold it.
 *
 * @throws InvalidRequestError for a client that is neither library, or bad options
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createJwtGatewayWebhookHandler } from 'thaipay/jwt-gateway';
 * import { createRedisDedupeStore } from 'thaipay/redis';
 *
 * const redis = await createClient({ url: process.env.REDIS_URL }).connect();
 * export const POST = createJwtGatewayWebhookHandler({
 *   apiKey: process.env.GATEWAY_API_KEY!,
 *   store: createRedisDedupeStore(redis), // or new Redis(process.env.REDIS_URL) with ioredis
 *   onEvent: async (callback) => orders.settle(callback.agentOrderNo, callback.status),
 * });
 * ```
 */
export function createRedisDedupeStore(
  client: RedisLikeClient,
  options: RedisDedupeStoreOptions = {},
): WebhookDedupeStore {
  const prefix = options.prefix ?? DEFAULT_REDIS_DEDUPE_PREFIX;
  if (typeof prefix !== 'string') throw InvalidRequestError.field('prefix', 'must be a string');
  const maxTracked = options.maxTrackedClaims ?? 10_000;
  if (!Number.isSafeInteger(maxTracked) || maxTracked < 1) {
    throw InvalidRequestError.field('maxTrackedClaims', 'must be a positive integer');
  }
  const commands = redisCommands(client, options.kind);
  // Full key -> the token of our live claim. A Map iterates in insertion order: the first is the oldest.
  const tokens = new Map<string, string>();

  const remember = (fullKey: string, token: string) => {
    tokens.delete(fullKey);
    tokens.set(fullKey, token);
    while (tokens.size > maxTracked) {
      const oldest = tokens.keys().next().value;
      if (oldest === undefined) break;
      tokens.delete(oldest);
    }
  };

  return {
    async claim(key, ttlSeconds) {
      const fullKey = prefix + checkKey(key);
      const ttl = checkTtl(ttlSeconds);
      const token = newToken();
      let claimed: boolean;
      try {
        claimed = await commands.setIfAbsent(fullKey, token, ttl);
      } catch (error) {
        // The SET may have been applied before the reply was lost. Left alone, that key would make every
        // retry of this callback look handled until the TTL ends, so undo it if it is ours. Not awaited:
        // with a broken connection it could wait for a reconnect, and the caller needs its answer now.
        void commands.evalOneKey(RELEASE_IF_OWNED_SCRIPT, fullKey, token).catch(() => undefined);
        throw error;
      }
      if (claimed) remember(fullKey, token);
      return claimed;
    },
    async release(key) {
      const fullKey = prefix + checkKey(key);
      const token = tokens.get(fullKey);
      if (token === undefined) return;
      await commands.evalOneKey(RELEASE_IF_OWNED_SCRIPT, fullKey, token);
      // Forgotten only once Redis answered, so a release that failed can be tried again.
      if (tokens.get(fullKey) === token) tokens.delete(fullKey);
    },
  };
}

function checkKey(key: string): string {
  if (typeof key !== 'string' || key === '')
    throw InvalidRequestError.field('key', 'must be a non-empty string');
  return key;
}

/** Redis EX takes whole seconds; rounding up never makes a claim shorter than asked. */
function checkTtl(ttlSeconds: number): number {
  if (typeof ttlSeconds !== 'number' || !Number.isFinite(ttlSeconds) || ttlSeconds <= 0) {
    throw InvalidRequestError.field('ttlSeconds', 'must be a positive number of seconds');
  }
  return Math.ceil(ttlSeconds);
}

/** 128 random bits: no two claims, in any process, share a token. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}
