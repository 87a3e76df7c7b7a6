/**
 * The log of requests on provider routes: method, path, route, status and fault — never headers or
 * bodies, so no API key, secret or signature can leak through it.
 */
import type { SandboxFaultKind, SandboxRequestLogEntry, SandboxRoute } from './types';

/** At most this many entries are kept (oldest dropped): a long-running sandbox must not grow forever. */
const MAX_ENTRIES = 10_000;

/**
 * The request log.
 *
 * @example
 * ```ts
 * const log = new RequestLog();
 * const entry = log.start('POST', '/api/v1/deposit', 'jwt:deposit', Date.now());
 * entry.status = 200;
 * ```
 */
export class RequestLog {
  #entries: SandboxRequestLogEntry[] = [];
  #sequence = 0;

  /**
   * Record a request as it arrives; the caller fills `status` in when it is answered.
   *
   * @example
   * ```ts
   * log.start('GET', '/api/v1/health', 'jwt:health', Date.now(), undefined);
   * ```
   */
  start(
    method: string,
    path: string,
    route: SandboxRoute | null,
    nowMs: number,
    fault?: SandboxFaultKind,
  ): SandboxRequestLogEntry {
    const entry: SandboxRequestLogEntry = {
      id: ++this.#sequence,
      time: new Date(nowMs).toISOString(),
      method,
      path,
      route,
      status: null,
      ...(fault ? { fault } : {}),
    };
    this.#entries.push(entry);
    if (this.#entries.length > MAX_ENTRIES) this.#entries.shift();
    return entry;
  }

  /**
   * Copies of the entries, oldest first.
   *
   * @example
   * ```ts
   * log.list().map((entry) => entry.status);
   * ```
   */
  list(): SandboxRequestLogEntry[] {
    return this.#entries.map((entry) => ({ ...entry }));
  }
}
