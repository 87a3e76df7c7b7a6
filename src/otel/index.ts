/**
 * `thaipay/otel`: OpenTelemetry spans for every client call (attempts as events) and every webhook
 * delivery, on `@opentelemetry/api` (an optional peer dependency) with the HTTP semantic-convention
 * attribute names plus `thaipay.*`. Secrets never become attributes.
 *
 * @example
 * ```ts
 * import { createThaipayTracing } from 'thaipay/otel';
 *
 * const tracing = createThaipayTracing();
 * const client = tracing.traceClient(new ThbCollectClient({ ...options, hooks: tracing.hooks }));
 * ```
 *
 * @packageDocumentation
 */
export * from '../core/errors';
export { ATTR as THAIPAY_SPAN_ATTRIBUTES } from './attributes';
export {
  createThaipayTracing,
  type ThaipayTracing,
  type ThaipayTracingOptions,
  type TracedProvider,
  type WebhookOutcome,
} from './tracing';
