/**
 * A webhook dedupe store on Redis, so several app instances behind a load balancer handle each
 * provider callback once. It implements the lease contract of {@link WebhookDedupeStore} with three
 * Lua scripts (atomic on the server): a claim writes `lease:<token>` for the lease, `complete` replaces
 * the caller's own lease by `done` for the long TTL, `release` deletes the caller's own lease.
 */
import { InvalidRequestError, ThaiPayError } from '../core/errors';
import {
  checkStoreKey,
  checkStoreSeconds,
  type DedupeClaim,
  newLeaseToken,
  type WebhookDedupeStore,
} from '../core/webhooks';
import { type RedisClientKind, type RedisLikeClient, redisCommands } from './clients';

/** The key prefix used when none is given. */
export const DEFAULT_REDIS_DEDUPE_PREFIX = 'thaipay:webhook:';

/**
 * Takes the lease on KEYS[1] for ARGV[2] seconds with token ARGV[1] when the key is free; answers
 * `claimed`, `in_flight` (a lease is held) or `done`. Any value that is not a lease counts as done, so
 * keys written by earlier versions of this store (a bare token held for the whole TTL) stay handled.
 */
export const CLAIM_LEASE_SCRIPT = [
  "local v = redis.call('get', KEYS[1])",
  "if not v then redis.call('set', KEYS[1], 'lease:' .. ARGV[1], 'EX', ARGV[2]) return 'claimed' end",
  "if string.sub(v, 1, 6) == 'lease:' then return 'in_flight' end",
  "return 'done'",
].join('\n');

/**
 * Marks KEYS[1] handled (`done`) for ARGV[2] seconds when it still holds the lease of token ARGV[1], or
 * when that lease expired and nobody took the key since; never over another delivery's live lease.
 */
export const COMPLETE_IF_OWNED_SCRIPT = [
  "local v = redis.call('get', KEYS[1])",
  "if (not v) or v == 'lease:' .. ARGV[1] then redis.call('set', KEYS[1], 'done', 'EX', ARGV[2]) return 1 end",
  'return 0',
].join('\n');

/**
 * Deletes KEYS[1] only while it holds the lease of token ARGV[1], atomically: a release can never delete
 * a lease that expired and was taken by another instance, nor an event marked handled.
 */
export const RELEASE_IF_OWNED_SCRIPT =
  "if redis.call('get', KEYS[1]) == 'lease:' .. ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Options of {@link createRedisDedupeStore}. */
export interface RedisDedupeStoreOptions {
  /** Put before every key, to share a Redis with other data or keep environments apart. Default `thaipay:webhook:`. */
  prefix?: string;
  /** Which library the client comes from; detected from its shape when left out. */
  kind?: RedisClientKind;
  /**
   * @deprecated No longer used: the lease token now travels with the claim, so the store remembers
   * nothing. Still checked (a positive integer) so an old configuration keeps working.
   */
  maxTrackedClaims?: number;
}

/**
 * Create a {@link WebhookDedupeStore} on Redis, shared by every app instance that uses the same Redis
 * and prefix. Works with node-redis v4/v5 and ioredis clients (and their cluster clients); neither is
 * imported, bring your own connected client.
 *
 * - `claim(key, lease)` runs a Lua script (`CLAIM_LEASE_SCRIPT` in redis/store.ts): `claimed` with a fresh random token when the key
 *   was free (the lease is rounded up to whole seconds), else `in_flight` or `done`.
 * - `complete(key, token, ttl)` runs a Lua script (`COMPLETE_IF_OWNED_SCRIPT` in redis/store.ts); `release(key, token)` runs
 *   a Lua script (`RELEASE_IF_OWNED_SCRIPT` in redis/store.ts). Neither touches a lease another delivery holds.
 * - Redis errors are thrown as the client raised them; the webhook handlers answer 503 on a failed
 *   claim, so the provider retries later. When a claim fails, the store also tries, without waiting, to
 *   release the lease it may have taken, in case the script ran before the connection broke.
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
 *   onEvent: async (callback) => orders.settle(callback.orderId, callback.status),
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

  return {
    async claim(key, leaseSeconds): Promise<DedupeClaim> {
      const fullKey = prefix + checkStoreKey(key);
      const lease = wholeSeconds('leaseSeconds', leaseSeconds);
      const token = newLeaseToken();
      let reply: string;
      try {
        reply = text(await commands.evalOneKey(CLAIM_LEASE_SCRIPT, fullKey, token, lease));
      } catch (error) {
        // The script may have run before the reply was lost. Left alone, that lease would make every
        // retry of this callback wait for it to expire, so undo it if it is ours. Not awaited: with a
        // broken connection it could wait for a reconnect, and the caller needs its answer now.
        void commands.evalOneKey(RELEASE_IF_OWNED_SCRIPT, fullKey, token).catch(() => undefined);
        throw error;
      }
      if (reply === 'claimed') return { state: 'claimed', token };
      if (reply === 'in_flight') return { state: 'in_flight' };
      if (reply === 'done') return { state: 'done' };
      throw new ThaiPayError('Redis answered the claim script with an unexpected reply.', {
        code: 'dedupe_store_error',
      });
    },
    async complete(key, token, ttlSeconds) {
      const fullKey = prefix + checkStoreKey(key);
      const ttl = wholeSeconds('ttlSeconds', ttlSeconds);
      await commands.evalOneKey(COMPLETE_IF_OWNED_SCRIPT, fullKey, checkToken(token), ttl);
    },
    async release(key, token) {
      const fullKey = prefix + checkStoreKey(key);
      await commands.evalOneKey(RELEASE_IF_OWNED_SCRIPT, fullKey, checkToken(token));
    },
  };
}

function checkToken(token: unknown): string {
  if (typeof token !== 'string' || token === '')
    throw InvalidRequestError.field('token', 'must be the token of a claim');
  return token;
}

/** Redis EX takes whole seconds; rounding up never makes a lease or TTL shorter than asked. */
function wholeSeconds(name: string, seconds: number): string {
  return String(Math.ceil(checkStoreSeconds(name, seconds)));
}

/** A script's status or bulk reply as text (clients may hand bytes under a type mapping). */
function text(reply: unknown): string {
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply);
  return typeof reply === 'string' ? reply : String(reply);
}
