/**
 * Fixed THB collect keys for the sandboxes tests start (test/fixtures/keys, TEST ONLY): generating two
 * 2048-bit RSA key pairs per sandbox costs about 0.3 s of CPU, and the suite starts dozens of sandboxes.
 */
import { readFileSync } from 'node:fs';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/keys/${name}`, import.meta.url), 'utf8');

/** `thbCollect` options for `createSandbox`: the merchant's and the platform's private keys (PKCS#8 PEM). */
export const SANDBOX_KEYS = {
  merchantPrivateKey: fixture('sandbox-merchant-private.pem'),
  platformPrivateKey: fixture('sandbox-platform-private.pem'),
} as const;
