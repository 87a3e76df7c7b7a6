/**
 * A real OpenTelemetry SDK for the otel tests: a BasicTracerProvider exporting to the in-memory
 * exporter, and a context manager on AsyncLocalStorage (what NodeSDK registers), so spans nest as in
 * an app.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Context, type ContextManager, context, ROOT_CONTEXT } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';

/** The smallest AsyncLocalStorage context manager, as @opentelemetry/context-async-hooks implements it. */
class AlsContextManager implements ContextManager {
  readonly #storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.#storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.#storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const run = this.with.bind(this);
    return ((...args: unknown[]) =>
      run(ctx, target as (...a: unknown[]) => unknown, undefined, ...args)) as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.#storage.disable();
    return this;
  }
}

/** Install the SDK pieces; returns the exporter and a tracer, and an uninstall for afterAll. */
export function installSdk() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const manager = new AlsContextManager();
  context.setGlobalContextManager(manager);
  return {
    exporter,
    tracer: provider.getTracer('thaipay-test'),
    uninstall: async () => {
      context.disable();
      await provider.shutdown();
    },
  };
}

/** A span reduced to what the tests compare: times and ids left out, durations checked for type only. */
export function shape(span: ReadableSpan) {
  return {
    name: span.name,
    kind: span.kind,
    status: span.status.code,
    attributes: { ...span.attributes },
    events: span.events.map((event) => {
      const attributes = { ...event.attributes };
      if (typeof attributes['thaipay.duration_ms'] === 'number') attributes['thaipay.duration_ms'] = 'number';
      return { name: event.name, attributes };
    }),
  };
}
