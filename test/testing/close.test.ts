import { describe, expect, it } from 'vitest';
import { createSandbox } from '../../src/testing';
import { SANDBOX_KEYS } from '../sandbox-keys';
import { depositParams, jwtPost, startReceiver } from './helpers';

function timers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

describe('close()', () => {
  it('stops the server, cancels pending retries and leaves no timer behind', async () => {
    const receiver = await startReceiver(() => ({ status: 500, body: 'no' }));
    const before = timers();
    const sandbox = await createSandbox({ retryIntervalsMs: [60_000, 60_000], thbCollect: SANDBOX_KEYS });
    const { body } = await jwtPost(
      sandbox,
      '/deposit',
      depositParams(sandbox, { callbackUrl: receiver.url }),
    );
    sandbox.injectFault('jwt:balance', 'timeout', { delayMs: 60_000 });
    const held = fetch(`${sandbox.jwtGateway.baseUrl}/balance`, { method: 'POST', body: '{}' }).catch(
      (error: unknown) => error,
    );
    sandbox.pay(body.data.referenceId);
    await receiver.waitFor(1);
    while (!sandbox.requests().some((entry) => entry.fault === 'timeout')) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    // A retry is waiting a minute and a request is held: close must end both.
    expect(timers()).toBeGreaterThan(before);
    await sandbox.close();
    expect(await held).toBeInstanceOf(TypeError);
    await sandbox.deliveriesSettled();
    expect(sandbox.deliveries()[0]!.state).toBe('cancelled');
    expect(timers()).toBeLessThanOrEqual(before);
    await expect(fetch(`${sandbox.url}/api/v1/health`)).rejects.toThrow();
    await sandbox.close(); // idempotent
    await receiver.close();
  });

  it('clears pending deposit expiry timers', async () => {
    const before = timers();
    const sandbox = await createSandbox({
      jwtGateway: { depositExpiryMs: 60_000 },
      thbCollect: SANDBOX_KEYS,
    });
    const { body } = await jwtPost(sandbox, '/deposit', depositParams(sandbox));
    const { body: second } = await jwtPost(sandbox, '/deposit', depositParams(sandbox));
    // Two deposits each wait a minute for their expiry: close must end both waits.
    expect(timers()).toBeGreaterThan(before);
    await sandbox.close();
    expect(timers()).toBeLessThanOrEqual(before);
    expect(sandbox.getOrder(body.data.referenceId)?.status).toBe('pending');
    expect(sandbox.getOrder(second.data.referenceId)?.status).toBe('pending');
  });

  it('works with await using', async () => {
    let url = '';
    {
      await using sandbox = await createSandbox({ thbCollect: SANDBOX_KEYS });
      url = sandbox.url;
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
    }
    await expect(fetch(`${url}/api/v1/health`)).rejects.toThrow();
  });
});
