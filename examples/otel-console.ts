/**
 * OpenTelemetry traces of thaipay, printed to the console: a span per client call (each HTTP attempt
 * an event) and a span per webhook delivery, against the local sandbox, so it runs without credentials.
 *
 * In your app you will already have an SDK (for example `@opentelemetry/sdk-node`'s NodeSDK, which also
 * registers the context manager that lets a call's attempts find its span); `createThaipayTracing()`
 * then uses the global tracer, and only the three wrappers below change your code.
 *
 * Run it: `node --import tsx examples/otel-console.ts`
 */
import { pathToFileURL } from 'node:url';
import {
  BasicTracerProvider,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { createJwtGatewayWebhookHandler, JwtGatewayClient } from 'thaipay/jwt-gateway';
import { createThaipayTracing } from 'thaipay/otel';
import { createSandbox } from 'thaipay/testing';

/**
 * Create a deposit, read the balance (after one 503 the client retries), and receive the deposit's
 * callback, with every span sent to `exporter`.
 *
 * @example
 * ```ts
 * await runTracedDemo(new ConsoleSpanExporter());
 * ```
 */
export async function runTracedDemo(exporter: SpanExporter): Promise<void> {
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracing = createThaipayTracing({ tracer: provider.getTracer('shop') });
  const sandbox = await createSandbox({ retryIntervalsMs: [20] });
  try {
    // 1. The client: wrap it, and give it the hooks that turn attempts into span events.
    const gateway = tracing.traceClient(
      new JwtGatewayClient({ ...sandbox.jwtGateway, hooks: tracing.hooks }),
    );

    // 2. The webhook handler: wrap it, and wrap onEvent / onError so the span says what happened.
    const handler = tracing.traceWebhookHandler(
      createJwtGatewayWebhookHandler({
        apiKey: sandbox.jwtGateway.apiKey,
        onEvent: tracing.traceOnEvent((callback) => {
          console.log(`order ${callback.orderId} is ${callback.status}`);
        }),
        onError: tracing.traceOnError(),
      }),
      { provider: 'jwt-gateway' },
    );
    const { createServer } = await import('node:http');
    const { toNodeHandler } = await import('thaipay/jwt-gateway');
    const server = createServer(toNodeHandler(handler)).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;

    const deposit = await gateway.createDeposit({
      transactionId: `order-${Date.now()}`,
      amount: '250.00',
      bankAccountNumber: '1234567890',
      bankName: 'KBANK',
      name: 'Somchai Jaidee',
      type: 'QR',
      callbackUrl: `http://127.0.0.1:${port}/callbacks/gateway`,
    });
    sandbox.injectFault('jwt:balance', '5xx', { status: 503, times: 1 });
    await gateway.getBalance();
    sandbox.pay(deposit.orderNo);
    await sandbox.deliveriesSettled();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  } finally {
    await sandbox.close();
    await provider.forceFlush();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await runTracedDemo(new ConsoleSpanExporter());
}
