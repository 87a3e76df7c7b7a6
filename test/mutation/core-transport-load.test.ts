/**
 * The node carrier is loaded by `import()` on the first send (so browser bundles leave it out). When that
 * import fails, nothing was sent: the send fails with a ConnectionError that says so, is not retried, and
 * the next send tries the import again. (A mutant test of src/core/transport.ts, MUTATION.md.)
 */
import { describe, expect, it, vi } from 'vitest';
import { ConnectionError } from '../../src/core/errors';
import { Transport } from '../../src/core/transport';

const counter = vi.hoisted(() => ({ loads: 0 }));
vi.mock('../../src/core/http/node-carrier', () => {
  counter.loads += 1;
  throw new Error('the chunk failed to load');
});

describe('Transport: the node carrier fails to load', () => {
  it('a ConnectionError saying nothing left, not retried; the next send tries again', async () => {
    const transport = new Transport({ baseUrl: 'http://127.0.0.1:9/api' });
    expect(transport.carrier).toBe('node');
    const errors: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      errors.push(await transport.send({ method: 'GET', path: 'x', retry: true }).catch((error) => error));
    }
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).requestSent).toBe(false);
      // vitest reports the factory's throw in its own words; what matters is that this import failure
      // (not some later TypeError) is what the message names, once, for attempt 1 of 3.
      expect((error as Error).message).toMatch(
        /^GET http:\/\/127\.0\.0\.1:9\/api\/x failed: \[vitest\] There was an error when mocking a module\. [^()]*#vi-mock \(attempt 1 of 3\)\. The request never left: nothing reached the provider\.$/,
      );
    }
    expect(counter.loads).toBe(2);
  });
});
