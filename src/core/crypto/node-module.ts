/**
 * Reaching `node:crypto` without importing it: shared code must not import Node built-ins, so the module
 * comes from `process.getBuiltinModule` (Node 20.16+, Bun, Deno) at run time; only its types are imported.
 */

import type * as NodeCrypto from 'node:crypto';

/** The parts of `node:crypto` the provider uses; tests may pass a wrapped module. */
export type NodeCryptoModule = Pick<
  typeof NodeCrypto,
  'createHmac' | 'createSecretKey' | 'createPrivateKey' | 'createPublicKey' | 'sign' | 'verify'
>;

/**
 * `node:crypto` when the runtime offers it without a static import, else `undefined`.
 *
 * @example
 * ```ts
 * const provider = loadNodeCrypto() ? createNodeCryptoProvider() : createWebCryptoProvider();
 * ```
 */
export function loadNodeCrypto(): NodeCryptoModule | undefined {
  const runtime = globalThis as unknown as { process?: { getBuiltinModule?: (id: string) => unknown } };
  try {
    return runtime.process?.getBuiltinModule?.('node:crypto') as NodeCryptoModule | undefined;
  } catch {
    // Some edge runtimes expose a `process` shim whose getBuiltinModule throws for unknown modules.
    return undefined;
  }
}
