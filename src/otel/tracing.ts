/**
 * Spans for thaipay: one per client call (its HTTP attempts as span events) and one per webhook
 * delivery, on `@opentelemetry/api` alone. The transport's hooks are per attempt, so a call's span comes
 * from wrapping the client, and the hooks, which run inside that call's context, add each attempt to it.
 */
import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ThaiPayError } from '../core/errors';
import type { AfterResponseInfo, AttemptErrorInfo, TransportHooks } from '../core/transport';
import { ATTR, errorAttributes, orderAttributes, urlAttributes } from './attributes';

/** The two providers, as span names and `thaipay.provider` spell them. */
export type TracedProvider = 'jwt-gateway' | 'thb-collect';

/** Options of {@link createThaipayTracing}. */
export interface ThaipayTracingOptions {
  /** The tracer to use. Default: `trace.getTracer('thaipay')` from the global tracer provider. */
  tracer?: Tracer;
}

/** What a webhook delivery span ended as. */
export type WebhookOutcome = 'handled' | 'duplicate' | 'refused' | 'in_flight' | 'failed' | 'unavailable';

/** Tracing for thaipay's clients and webhook handlers. */
export interface ThaipayTracing {
  /**
   * Transport hooks for a client's `hooks` option: each HTTP attempt becomes a `thaipay.attempt` event on
   * the call's span (or, outside a traced call, a span of its own).
   */
  readonly hooks: TransportHooks;
  /** The same client, each async method call in a span of its own. Pass `hooks` to the client too. */
  traceClient<Client extends object>(client: Client, options?: { provider?: TracedProvider }): Client;
  /** The same webhook handler, each delivery in a server span whose outcome says what happened. */
  traceWebhookHandler(
    handler: (request: Request) => Promise<Response>,
    options: { provider: TracedProvider },
  ): (request: Request) => Promise<Response>;
  /**
   * Your `onEvent`, marking the delivery's span as handled and naming the event's order and status.
   *
   * @typeParam OnEvent - your function's own type, kept so the handler's options still type its parameters
   */
  traceOnEvent<OnEvent extends (...args: never[]) => unknown>(onEvent: OnEvent): OnEvent;
  /** Your `onError` (or none), recording why a delivery was refused or failed on its span. */
  traceOnError(onError?: (error: unknown) => void): (error: unknown) => void;
}

interface DeliveryState {
  handled: boolean;
  /** Set by traceOnError: the cause, more telling than the status code it led to. */
  errorType?: string;
}

/**
 * Create thaipay's tracing on a tracer. Spans link up through the active OpenTelemetry context, so
 * register a context manager as every Node setup does (`NodeSDK`, or `NodeTracerProvider#register()`);
 * without one, each attempt still gets a span of its own.
 *
 * What is recorded: the call's provider, operation, order ids and statuses (`thaipay.*`), whether a
 * create was reconciled, each attempt's method, scrubbed URL (no user info, query values redacted),
 * status code, duration and retry decision, and the error's code. Never a key, a signature, a body,
 * an account number or a header.
 *
 * @example
 * ```ts
 * import { createThaipayTracing } from 'thaipay/otel';
 *
 * const tracing = createThaipayTracing();
 * const gateway = tracing.traceClient(new JwtGatewayClient({ ...options, hooks: tracing.hooks }));
 * const handler = tracing.traceWebhookHandler(
 *   createJwtGatewayWebhookHandler({
 *     apiKey,
 *     onEvent: tracing.traceOnEvent(async (callback) => orders.settle(callback)),
 *     onError: tracing.traceOnError((error) => log.warn(error)),
 *   }),
 *   { provider: 'jwt-gateway' },
 * );
 * ```
 */
export function createThaipayTracing(options: ThaipayTracingOptions = {}): ThaipayTracing {
  const tracer = options.tracer ?? trace.getTracer('thaipay');
  // Spans this instance opened for calls and deliveries, so hooks and wrappers annotate only those.
  const calls = new WeakSet<Span>();
  const deliveries = new WeakMap<Span, DeliveryState>();
  const lastAttempts = new WeakMap<Span, Attributes>();

  const activeCall = (): Span | undefined => {
    const span = trace.getSpan(context.active());
    return span !== undefined && calls.has(span) ? span : undefined;
  };
  const activeDelivery = (): [Span, DeliveryState] | undefined => {
    const span = trace.getSpan(context.active());
    const state = span === undefined ? undefined : deliveries.get(span);
    return span !== undefined && state !== undefined ? [span, state] : undefined;
  };

  /** One attempt, once it ended: an event on the call's span, or a span of its own after the fact. */
  const attempt = (info: AfterResponseInfo | AttemptErrorInfo, outcome: Attributes) => {
    const common: Attributes = {
      [ATTR.httpMethod]: info.method,
      ...urlAttributes(info.url),
      [ATTR.resendCount]: info.attempt - 1,
    };
    const span = activeCall();
    if (span) {
      span.addEvent('thaipay.attempt', {
        [ATTR.attempt]: info.attempt,
        [ATTR.durationMs]: info.durationMs,
        ...common,
        ...outcome,
      });
      // The span gets the last attempt's request and answer when it ends, as an HTTP client span would
      // carry them; not now, since an attempt's error.type must not stay on a call that then succeeded.
      const {
        [ATTR.errorType]: _error,
        [ATTR.errorCode]: _code,
        [ATTR.willRetry]: _retry,
        ...last
      } = {
        ...common,
        ...outcome,
      };
      lastAttempts.set(span, last);
      return;
    }
    const end = Date.now();
    const alone = tracer.startSpan(info.method, {
      kind: SpanKind.CLIENT,
      startTime: end - info.durationMs,
      attributes: { ...common, ...outcome, [ATTR.attempt]: info.attempt },
    });
    if (outcome[ATTR.errorType] !== undefined) alone.setStatus({ code: SpanStatusCode.ERROR });
    alone.end(end);
  };

  const hooks: TransportHooks = {
    afterResponse(info) {
      attempt(info, {
        [ATTR.httpStatus]: info.status,
        // An HTTP error status is the error type, as the semantic conventions define it for clients.
        ...(info.status >= 400 ? { [ATTR.errorType]: String(info.status) } : {}),
      });
    },
    onError(info) {
      attempt(info, { ...errorAttributes(info.error), [ATTR.willRetry]: info.willRetry });
    },
  };

  const traceCall = <T>(provider: TracedProvider, method: string, args: unknown[], call: () => T): T => {
    const span = tracer.startSpan(`${provider}.${method}`, {
      kind: SpanKind.CLIENT,
      attributes: { [ATTR.provider]: provider, [ATTR.operation]: method, ...orderAttributes(args[0]) },
    });
    calls.add(span);
    const finish = (attributes: Attributes) => {
      span.setAttributes({ ...lastAttempts.get(span), ...attributes });
    };
    const fail = (error: unknown) => {
      finish(errorAttributes(error));
      // Only thaipay's own errors are known to be scrubbed of secrets; others give their type alone.
      if (error instanceof ThaiPayError) span.recordException({ name: error.name, message: error.message });
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: errorAttributes(error)[ATTR.errorType] as string,
      });
      span.end();
    };
    let result: T;
    try {
      result = context.with(trace.setSpan(context.active(), span), call);
    } catch (error) {
      fail(error);
      throw error;
    }
    if (!isThenable(result)) {
      finish({});
      span.end();
      return result;
    }
    return result.then(
      (value) => {
        finish(orderAttributes(value));
        span.end();
        return value;
      },
      (error: unknown) => {
        fail(error);
        throw error;
      },
    ) as T;
  };

  return {
    hooks,

    traceClient(client, { provider } = {}) {
      const resolved = provider ?? providerOf(client);
      return new Proxy(client, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (typeof property !== 'string' || typeof value !== 'function' || !isAsyncFunction(value)) {
            return value;
          }
          // Called on the client itself: its private fields are not reachable through the proxy.
          return (...args: unknown[]) =>
            traceCall(resolved, property, args, () =>
              (value as (...a: unknown[]) => unknown).apply(target, args),
            );
        },
      });
    },

    traceWebhookHandler(handler, { provider }) {
      return async (request) => {
        const url = new URL(request.url);
        const span = tracer.startSpan(`${provider}.webhook`, {
          kind: SpanKind.SERVER,
          attributes: {
            [ATTR.provider]: provider,
            [ATTR.httpMethod]: request.method,
            [ATTR.urlPath]: url.pathname,
            [ATTR.urlScheme]: url.protocol.replace(/:$/, ''),
          },
        });
        const state: DeliveryState = { handled: false };
        deliveries.set(span, state);
        let response: Response;
        try {
          response = await context.with(trace.setSpan(context.active(), span), () => handler(request));
        } catch (error) {
          span.setAttributes({ ...errorAttributes(error), [ATTR.webhookOutcome]: 'failed' });
          span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
          throw error;
        }
        const outcome = webhookOutcome(response, state);
        span.setAttributes({ [ATTR.httpStatus]: response.status, [ATTR.webhookOutcome]: outcome });
        if (response.status >= 500) {
          if (state.errorType === undefined) span.setAttribute(ATTR.errorType, String(response.status));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
        return response;
      };
    },

    traceOnEvent<OnEvent extends (...args: never[]) => unknown>(onEvent: OnEvent): OnEvent {
      // Typed as the function it wraps, so the handler's options still type `onEvent`'s parameters.
      const traced = (...args: Parameters<OnEvent>) => {
        const found = activeDelivery();
        if (found) found[0].setAttributes(orderAttributes(args[0], { event: true }));
        const result = onEvent(...args);
        if (!found) return result;
        const done = () => {
          found[1].handled = true;
        };
        if (isThenable(result)) {
          return result.then((value) => {
            done();
            return value;
          });
        }
        done();
        return result;
      };
      return traced as unknown as OnEvent;
    },

    traceOnError(onError) {
      return (error) => {
        const found = activeDelivery();
        if (found) {
          const attributes = errorAttributes(error);
          found[0].setAttributes(attributes);
          found[1].errorType = attributes[ATTR.errorType] as string;
          if (error instanceof ThaiPayError)
            found[0].recordException({ name: error.name, message: error.message });
        }
        onError?.(error);
      };
    },
  };
}

/** What a delivery came to, from the handler's answer and whether `onEvent` completed. */
function webhookOutcome(response: Response, state: DeliveryState): WebhookOutcome {
  if (response.status >= 200 && response.status < 300) return state.handled ? 'handled' : 'duplicate';
  if (response.status === 503) return response.headers.has('retry-after') ? 'in_flight' : 'unavailable';
  if (response.status >= 500) return 'failed';
  return 'refused';
}

/** Which provider a client is, by the methods only it has (class names do not survive minifiers). */
function providerOf(client: object): TracedProvider {
  if ('createDeposit' in client) return 'jwt-gateway';
  if ('createCollection' in client) return 'thb-collect';
  throw new TypeError('traceClient: not a thaipay client; pass { provider }.');
}

function isThenable(value: unknown): value is PromiseLike<unknown> & Promise<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

const AsyncFunction = (async () => undefined).constructor;

/** The clients' calls are async methods; their plain helpers (and `toJSON`, `inspect`) are not traced. */
function isAsyncFunction(value: unknown): boolean {
  return value instanceof AsyncFunction;
}
