/**
 * Sending status messages to merchants, with the providers' retry schedules, and the delivery log.
 *
 * Each message is POSTed until the merchant acknowledges it (JWT gateway: 2xx and a JSON body whose
 * `code` is 200; THB collect: 2xx and the plain body `SUCCESS`) or the schedule runs out. Messages are
 * sent with node:http without keep-alive, so nothing lingers once `close()` has run.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SandboxDelivery, SandboxProvider } from './types';

/** A message to deliver. */
export type OutgoingMessage = Omit<SandboxDelivery, 'id' | 'state' | 'attempts'>;

/** The schedules and limits of the queue. */
export interface DeliveryConfig {
  /** Waits between attempts per provider; attempts = length + 1. */
  retryIntervalsMs: Record<SandboxProvider, readonly number[]>;
  /** Limit of one attempt. */
  timeoutMs: number;
  now: () => number;
}

const EXCERPT_LENGTH = 200;
const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Whether a merchant's answer acknowledges the message, by the provider's rule.
 *
 * @example
 * ```ts
 * isAcknowledged('thb-collect', 200, 'SUCCESS'); // true
 * isAcknowledged('jwt-gateway', 200, '{"code":200,"message":"Success"}'); // true
 * ```
 */
export function isAcknowledged(provider: SandboxProvider, statusCode: number, body: string): boolean {
  if (statusCode < 200 || statusCode > 299) return false;
  if (provider === 'thb-collect') return body.trim() === 'SUCCESS';
  try {
    const parsed: unknown = JSON.parse(body);
    const code =
      typeof parsed === 'object' && parsed !== null ? (parsed as { code?: unknown }).code : undefined;
    return code === 200 || code === '200';
  } catch {
    return false;
  }
}

/**
 * The delivery queue: starts chains of attempts, keeps the log, and stops everything on `close()`.
 *
 * @example
 * ```ts
 * const queue = new DeliveryQueue(config);
 * queue.send([message]);
 * await queue.settled();
 * ```
 */
export class DeliveryQueue {
  readonly #config: DeliveryConfig;
  readonly #log: SandboxDelivery[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #inFlight = new Set<AbortController>();
  readonly #waiters = new Set<() => void>();
  #pending = 0;
  #closed = false;
  #sequence = 0;

  constructor(config: DeliveryConfig) {
    this.#config = config;
  }

  /**
   * Deliver messages in order: each one starts once the previous one's first attempt has finished (so a
   * duplicate or a stale status arrives after the message it follows). Retries then run independently.
   *
   * @example
   * ```ts
   * queue.send([completed, stalePending]);
   * ```
   */
  send(messages: OutgoingMessage[]): SandboxDelivery[] {
    if (this.#closed) return [];
    const deliveries = messages.map((message) => {
      const delivery: SandboxDelivery = {
        id: `dlv_${++this.#sequence}`,
        ...message,
        state: 'pending',
        attempts: [],
      };
      this.#log.push(delivery);
      this.#pending++;
      return delivery;
    });
    void this.#runInOrder(deliveries);
    return deliveries.map((delivery) => structuredClone(delivery));
  }

  /**
   * The log, oldest first, optionally for one order (by provider order number). Copies.
   *
   * @example
   * ```ts
   * queue.list('DP1640995200ABC123');
   * ```
   */
  list(orderNo?: string): SandboxDelivery[] {
    const entries = orderNo === undefined ? this.#log : this.#log.filter((d) => d.orderNo === orderNo);
    return entries.map((delivery) => structuredClone(delivery));
  }

  /**
   * Resolves once no delivery is pending (every one acknowledged, given up or cancelled).
   *
   * @example
   * ```ts
   * await queue.settled();
   * ```
   */
  settled(): Promise<void> {
    if (this.#pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.add(resolve));
  }

  /**
   * Stops every timer and aborts every request in flight; pending deliveries become `cancelled`.
   *
   * @example
   * ```ts
   * queue.close();
   * ```
   */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const controller of this.#inFlight) controller.abort();
    this.#inFlight.clear();
    for (const delivery of this.#log) {
      if (delivery.state === 'pending') this.#finish(delivery, 'cancelled');
    }
  }

  async #runInOrder(deliveries: SandboxDelivery[]): Promise<void> {
    for (const delivery of deliveries) {
      if (this.#closed) return;
      await this.#attempt(delivery);
    }
  }

  /** One attempt, then the next one scheduled if needed. Resolves when this attempt is over. */
  async #attempt(delivery: SandboxDelivery): Promise<void> {
    if (this.#closed || delivery.state !== 'pending') return;
    const attempt = delivery.attempts.length + 1;
    const time = new Date(this.#config.now()).toISOString();
    const outcome = await this.#post(delivery);
    if (this.#closed) return;
    const acknowledged =
      outcome.statusCode !== null && isAcknowledged(delivery.provider, outcome.statusCode, outcome.body);
    delivery.attempts.push({
      attempt,
      time,
      statusCode: outcome.statusCode,
      responseExcerpt: outcome.body.slice(0, EXCERPT_LENGTH),
      acknowledged,
      ...(outcome.error ? { error: outcome.error } : {}),
    });
    if (acknowledged) return this.#finish(delivery, 'acknowledged');
    const wait = this.#config.retryIntervalsMs[delivery.provider][attempt - 1];
    if (wait === undefined) return this.#finish(delivery, 'gave-up');
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#attempt(delivery);
    }, wait);
    this.#timers.add(timer);
  }

  #finish(delivery: SandboxDelivery, state: SandboxDelivery['state']): void {
    delivery.state = state;
    this.#pending--;
    if (this.#pending === 0) {
      for (const resolve of this.#waiters) resolve();
      this.#waiters.clear();
    }
  }

  #post(delivery: SandboxDelivery): Promise<{ statusCode: number | null; body: string; error?: string }> {
    const controller = new AbortController();
    this.#inFlight.add(controller);
    const timer = setTimeout(() => controller.abort(new Error('timed out')), this.#config.timeoutMs);
    return new Promise<{ statusCode: number | null; body: string; error?: string }>((resolve) => {
      let url: URL;
      try {
        url = new URL(delivery.url);
      } catch {
        resolve({ statusCode: null, body: '', error: 'invalid URL' });
        return;
      }
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(url, {
        method: 'POST',
        agent: false,
        signal: controller.signal,
        headers: {
          'content-type': `${delivery.contentType}; charset=utf-8`,
          'content-length': Buffer.byteLength(delivery.body),
          'user-agent': 'thaipay-sandbox',
          connection: 'close',
        },
      });
      req.on('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ statusCode: res.statusCode ?? null, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', (error) =>
          resolve({ statusCode: res.statusCode ?? null, body: '', error: error.message }),
        );
      });
      req.on('error', (error) => {
        const reason = controller.signal.aborted && !this.#closed ? 'timed out' : error.message;
        resolve({ statusCode: null, body: '', error: reason });
      });
      req.end(delivery.body);
    }).finally(() => {
      clearTimeout(timer);
      this.#inFlight.delete(controller);
    });
  }
}
