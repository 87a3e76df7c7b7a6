/**
 * The carrier for runtimes without `node:http` (browsers, edge workers, Bun, Deno) and for a `fetch`
 * given by the user: `fetch(url, init)` with `redirect: 'manual'`, one timer for the whole attempt, and a
 * body read chunk by chunk so that an answer over the size limit is cut off, never buffered.
 */

import {
  type Carrier,
  CarrierFailure,
  type CarrierRequest,
  type CarrierResponse,
  isNetworkError,
  isRedirect,
  provesNotSent,
} from './carrier';

const decoder = new TextDecoder();

/**
 * A carrier on `custom`, or on the global `fetch` looked up at each call (so a test double or an
 * interceptor installed later is honoured).
 *
 * @example
 * ```ts
 * const carrier = createFetchCarrier();
 * const answer = await carrier.send(request);
 * ```
 */
export function createFetchCarrier(custom?: typeof fetch): Carrier {
  return {
    name: 'fetch',
    send: (request) => sendWithFetch(custom ?? globalThis.fetch, request),
    // fetch's connection pool belongs to the runtime: nothing of ours to close.
    close: async () => {},
  };
}

function sendWithFetch(doFetch: typeof fetch, request: CarrierRequest): Promise<CarrierResponse> {
  return new Promise<CarrierResponse>((resolve, reject) => {
    const controller = new AbortController();
    const { signal } = request;
    let settled = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;

    const finish = (): void => {
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (failure: CarrierFailure): void => {
      if (settled) return;
      finish();
      controller.abort();
      // A fetch that ignores its signal (a custom one, a hand-made Response) still has its body cancelled.
      reader?.cancel().catch(() => {});
      reject(failure);
    };
    // One timer bounds the headers AND the body: a server stalling mid-body cannot hold the call.
    const timer = setTimeout(
      () => fail(new CarrierFailure('timeout', { requestSent: true })),
      request.timeoutMs,
    );
    const onAbort = (): void => fail(new CarrierFailure('aborted', { requestSent: true }));
    // A listener, not AbortSignal.any: one object fewer per call, and none when no signal is given.
    signal?.addEventListener('abort', onAbort, { once: true });

    const init: RequestInit = {
      method: request.method,
      headers: request.headers,
      signal: controller.signal,
      // Never follow: a redirect would carry the API key (and a signed body) to whatever host it names.
      redirect: 'manual',
    };
    if (request.body !== undefined) init.body = request.body;

    let pending: Promise<Response>;
    try {
      pending = doFetch(request.url, init);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending
      .then(async (response) => {
        if (settled) {
          response.body?.cancel().catch(() => {});
          return;
        }
        // A browser gives an opaque redirect (status 0); Node's fetch the 3xx itself; a custom fetch that
        // followed anyway says so in `redirected`.
        if (response.type === 'opaqueredirect' || isRedirect(response.status) || response.redirected) {
          response.body?.cancel().catch(() => {});
          const location = response.redirected ? response.url : response.headers.get('location');
          fail(
            new CarrierFailure('redirect', {
              requestSent: true,
              retryable: false,
              status: response.status,
              ...(location ? { location } : {}),
            }),
          );
          return;
        }
        const { status } = response;
        const tooLarge = () =>
          new CarrierFailure('too_large', { requestSent: true, retryable: false, status });
        const declared = response.headers.get('content-length');
        if (declared !== null && Number(declared) > request.maxResponseBytes) {
          response.body?.cancel().catch(() => {});
          fail(tooLarge());
          return;
        }
        let text = '';
        // A declared length within the limit bounds an uncompressed body (fetch reads no further), so the
        // runtime reads it whole, faster than a reader loop. A compressed one can decode far past its
        // declared length, and a body of unknown length can be anything: both are counted chunk by chunk.
        const encoding = response.headers.get('content-encoding');
        if (declared !== null && (encoding === null || encoding === 'identity')) {
          text = await response.text();
        } else if (response.body) {
          reader = response.body.getReader();
          const chunks: Uint8Array[] = [];
          let total = 0;
          for (;;) {
            const { done, value } = await reader.read();
            if (settled) return;
            if (done) break;
            total += value.byteLength;
            if (total > request.maxResponseBytes) {
              fail(tooLarge());
              return;
            }
            chunks.push(value);
          }
          text = decoder.decode(chunks.length === 1 ? chunks[0] : concat(chunks, total));
        }
        if (settled) return;
        finish();
        const { headers } = response;
        resolve({
          status,
          header: (name) => headers.get(name) ?? undefined,
          headers: () => headers,
          text,
        });
      })
      .catch((error: unknown) => {
        fail(
          new CarrierFailure('network', {
            requestSent: !provesNotSent(error),
            retryable: isNetworkError(error),
            cause: error,
          }),
        );
      });
  });
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
