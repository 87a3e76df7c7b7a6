/**
 * Injected faults: a FIFO of faults per route, each firing a number of times, and the rules about which
 * fault makes sense on which route.
 */
import type {
  SandboxCallbackRoute,
  SandboxFault,
  SandboxFaultKind,
  SandboxFaultOptions,
  SandboxHttpRoute,
  SandboxRoute,
  ThbSandboxErrorCode,
} from './types';

/** Every provider HTTP route. */
export const HTTP_ROUTES: readonly SandboxHttpRoute[] = [
  'jwt:deposit',
  'jwt:withdraw',
  'jwt:balance',
  'jwt:order',
  'jwt:sign',
  'jwt:banks',
  'jwt:health',
  'thb:collect/apply',
  'thb:collect/query',
  'thb:pay/apply',
  'thb:pay/query',
  'thb:account/ledger',
  'thb:document/download',
  'thb:voucher',
];

/** THB collect's documented error codes, which `provider-error` may answer. */
const THB_PROVIDER_CODES: readonly ThbSandboxErrorCode[] = [
  '1001',
  '1002',
  '1003',
  '1004',
  '4005',
  '4011',
  '4012',
  '4013',
  '4014',
  '4015',
  '4016',
  '4031',
  '5012',
];

/** The outgoing message routes. */
export const CALLBACK_ROUTES: readonly SandboxCallbackRoute[] = ['jwt:callback', 'thb:notify'];

const HTTP_FAULTS: readonly SandboxFaultKind[] = [
  'timeout',
  'lost-response',
  '5xx',
  '429',
  'reset',
  'html',
  'malformed-json',
];
const CALLBACK_FAULTS: readonly SandboxFaultKind[] = [
  'duplicate-callback',
  'out-of-order',
  'tampered-signature',
];

/**
 * Whether `route` is a route name the sandbox knows.
 *
 * @example
 * ```ts
 * isSandboxRoute('thb:collect/apply'); // true
 * ```
 */
export function isSandboxRoute(route: unknown): route is SandboxRoute {
  return (
    (HTTP_ROUTES as readonly unknown[]).includes(route) ||
    (CALLBACK_ROUTES as readonly unknown[]).includes(route)
  );
}

function allowedFaults(route: SandboxRoute): readonly SandboxFaultKind[] {
  if ((CALLBACK_ROUTES as readonly string[]).includes(route)) return CALLBACK_FAULTS;
  // Only THB collect signs its responses, so only its routes can carry a tampered signature; only it has
  // a documented error table to answer from.
  return route.startsWith('thb:') ? [...HTTP_FAULTS, 'tampered-signature', 'provider-error'] : HTTP_FAULTS;
}

/**
 * The faults waiting to fire.
 *
 * @example
 * ```ts
 * const faults = new FaultRegistry();
 * faults.inject('jwt:deposit', 'lost-response');
 * faults.take('jwt:deposit'); // fires once
 * ```
 */
export class FaultRegistry {
  #queue: SandboxFault[] = [];

  /**
   * Queue a fault on a route. Throws a TypeError for an unknown route, a fault the route cannot have, or
   * a `times` that is not a positive integer (or Infinity).
   *
   * @example
   * ```ts
   * faults.inject('thb:pay/apply', '429', { times: 2, retryAfterSeconds: 3 });
   * faults.inject('thb:pay/apply', 'provider-error', { providerCode: '1003', recorded: true });
   * ```
   */
  inject(route: SandboxRoute, fault: SandboxFaultKind, options: SandboxFaultOptions = {}): SandboxFault {
    if (!isSandboxRoute(route)) {
      throw new TypeError(
        `Unknown route ${JSON.stringify(route)}; one of ${[...HTTP_ROUTES, ...CALLBACK_ROUTES].join(', ')}`,
      );
    }
    const allowed = allowedFaults(route);
    if (!allowed.includes(fault)) {
      throw new TypeError(
        `Fault ${JSON.stringify(fault)} does not apply to ${route}; one of ${allowed.join(', ')}`,
      );
    }
    const times = options.times ?? 1;
    if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) {
      throw new TypeError('times must be a positive integer or Infinity');
    }
    const entry: SandboxFault = { route, fault, remaining: times };
    if (fault === '5xx') entry.status = options.status ?? 500;
    if (fault === '429') entry.retryAfterSeconds = options.retryAfterSeconds ?? 1;
    if (fault === 'timeout') entry.delayMs = options.delayMs ?? 30_000;
    if (fault === 'provider-error') {
      const code = options.providerCode ?? '1004';
      if (!THB_PROVIDER_CODES.includes(code)) {
        throw new TypeError(
          `providerCode must be a documented THB collect code: ${THB_PROVIDER_CODES.join(', ')}`,
        );
      }
      if (options.recorded !== undefined && typeof options.recorded !== 'boolean') {
        throw new TypeError('recorded must be true or false');
      }
      entry.providerCode = code;
      entry.recorded = options.recorded ?? false;
    }
    this.#queue.push(entry);
    return { ...entry };
  }

  /**
   * The first fault queued on `route`, counted as fired; `undefined` when none.
   *
   * @example
   * ```ts
   * const fault = faults.take('jwt:callback');
   * ```
   */
  take(route: SandboxRoute): SandboxFault | undefined {
    const index = this.#queue.findIndex((entry) => entry.route === route);
    if (index < 0) return undefined;
    const entry = this.#queue[index]!;
    entry.remaining--;
    if (entry.remaining <= 0) this.#queue.splice(index, 1);
    return { ...entry };
  }

  /**
   * The faults still waiting, in firing order.
   *
   * @example
   * ```ts
   * faults.list();
   * ```
   */
  list(): SandboxFault[] {
    return this.#queue.map((entry) => ({ ...entry }));
  }

  /**
   * Remove every fault, or those of one route.
   *
   * @example
   * ```ts
   * faults.clear('jwt:deposit');
   * ```
   */
  clear(route?: SandboxRoute): void {
    this.#queue = route === undefined ? [] : this.#queue.filter((entry) => entry.route !== route);
  }
}
