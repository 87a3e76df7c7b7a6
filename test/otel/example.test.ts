/** examples/otel-console.ts, with the in-memory exporter in place of the console. */
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { runTracedDemo } from '../../examples/otel-console';
import { installSdk } from './helpers';

let sdk: ReturnType<typeof installSdk>;
beforeAll(() => {
  // The context manager an app's SDK registers; the example brings its own provider.
  sdk = installSdk();
});
afterAll(async () => {
  vi.restoreAllMocks();
  await sdk?.uninstall();
});

it('traces the deposit, the retried balance read and the callback delivery', async () => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const exporter = new InMemorySpanExporter();
  await runTracedDemo(exporter);
  const spans = exporter.getFinishedSpans();
  expect(spans.map((s) => s.name).sort()).toStrictEqual([
    'jwt-gateway.createDeposit',
    'jwt-gateway.getBalance',
    'jwt-gateway.webhook',
  ]);
  const balance = spans.find((s) => s.name === 'jwt-gateway.getBalance');
  expect(balance?.events.map((e) => e.attributes?.['http.response.status_code'])).toStrictEqual([503, 200]);
  const delivery = spans.find((s) => s.name === 'jwt-gateway.webhook');
  expect(delivery?.attributes['thaipay.webhook.outcome']).toBe('handled');
  expect(delivery?.attributes['thaipay.status']).toBe('succeeded');
  expect(log).toHaveBeenCalledWith(expect.stringMatching(/^order order-\d+ is succeeded$/));
});
