/**
 * The two Redis clients the store speaks to, described by the little of their shape it uses, so
 * neither package is imported at runtime (both are optional peer dependencies).
 */
import { InvalidRequestError } from '../core/errors';

/** The part of a node-redis v4/v5 client (or cluster) the store uses. */
export interface NodeRedisLikeClient {
  /** `SET key value NX EX seconds`; node-redis answers `'OK'` when set, `null` when the key existed. */
  set(key: string, value: string, options: { NX: true; EX: number }): Promise<unknown>;
  /** `EVAL script numkeys key... arg...` in node-redis's options form (the store's only command). */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/** The part of an ioredis client (or cluster) the store uses. */
export interface IoRedisLikeClient {
  /** `SET key value EX seconds NX`; ioredis answers `'OK'` when set, `null` when the key existed. */
  set(key: string, value: string, ex: 'EX', seconds: number, nx: 'NX'): Promise<unknown>;
  /** `EVAL script numkeys key... arg...` in ioredis's positional form. */
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
}

/** Either client. */
export type RedisLikeClient = NodeRedisLikeClient | IoRedisLikeClient;

/** Which client library a client comes from. */
export type RedisClientKind = 'node-redis' | 'ioredis';

/** The commands the store sends, the same for both clients; they fail by rejecting, never by throwing synchronously. */
export interface RedisCommands {
  /** SET NX EX; true when this call created the key. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** EVAL with one key and its arguments. */
  evalOneKey(script: string, key: string, ...args: string[]): Promise<unknown>;
}

/** The fields that tell the two libraries apart; read without trusting any of them to exist. */
interface ClientShape {
  defineCommand?: unknown;
  status?: unknown;
  isOpen?: unknown;
  SET?: unknown;
}

/**
 * Tell node-redis from ioredis by shape: ioredis clients have `defineCommand` and a `status` string;
 * node-redis clients have `isOpen` and upper-case command aliases such as `SET`.
 *
 * @example
 * ```ts
 * detectRedisClientKind(new Redis()); // 'ioredis'
 * ```
 */
export function detectRedisClientKind(client: RedisLikeClient): RedisClientKind | undefined {
  const shape = client as ClientShape;
  if (typeof shape.defineCommand === 'function' && typeof shape.status === 'string') return 'ioredis';
  if ('isOpen' in shape || typeof shape.SET === 'function') return 'node-redis';
  return undefined;
}

/**
 * Wrap a client in the two commands the store needs, whatever its library.
 *
 * @throws InvalidRequestError when the client is neither library and no `kind` was given
 * @example
 * ```ts
 * const commands = redisCommands(createClient());
 * await commands.setIfAbsent('k', 'v', 60); // true
 * ```
 */
export function redisCommands(client: RedisLikeClient, kind?: RedisClientKind): RedisCommands {
  if (client === null || typeof client !== 'object') {
    throw InvalidRequestError.field('client', 'must be a node-redis or ioredis client');
  }
  if (typeof client.set !== 'function' || typeof client.eval !== 'function') {
    throw InvalidRequestError.field('client', 'must have set() and eval() methods (node-redis or ioredis)');
  }
  const resolved = kind ?? detectRedisClientKind(client);
  if (resolved === 'node-redis') {
    const c = client as NodeRedisLikeClient;
    return {
      // The { NX, EX } form is understood by node-redis v4 and v5 alike (v5 also has `condition`).
      setIfAbsent: async (key, value, ttl) => isOk(await c.set(key, value, { NX: true, EX: ttl })),
      evalOneKey: async (script, key, ...args) => c.eval(script, { keys: [key], arguments: args }),
    };
  }
  if (resolved === 'ioredis') {
    const c = client as IoRedisLikeClient;
    return {
      setIfAbsent: async (key, value, ttl) => isOk(await c.set(key, value, 'EX', ttl, 'NX')),
      evalOneKey: async (script, key, ...args) => c.eval(script, 1, key, ...args),
    };
  }
  throw InvalidRequestError.field(
    'kind',
    kind === undefined
      ? "could not tell the client's library from its shape; pass { kind: 'node-redis' } or { kind: 'ioredis' }"
      : "must be 'node-redis' or 'ioredis'",
  );
}

/** SET answers OK (a string, or bytes under a type mapping) when it set the key and null when NX refused. */
function isOk(reply: unknown): boolean {
  if (reply === null || reply === undefined) return false;
  if (reply instanceof Uint8Array) return new TextDecoder().decode(reply) === 'OK';
  return reply === 'OK';
}
