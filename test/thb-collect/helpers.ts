/**
 * Test material for THB collect: the committed TEST ONLY merchant key pair, a platform key pair and a
 * stranger's key pair (committed too: test/helpers/rsa-keys.ts), and a reference sign string + signer written independently of src/.
 */
import { type KeyObject, sign, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { testRsaKeyPair } from '../helpers/rsa-keys';

const fixtures = new URL('../fixtures/thb/', import.meta.url);

/** The committed 2048-bit TEST ONLY merchant key pair (PKCS#8 / SPKI PEM). */
export const MERCHANT_PRIVATE_PEM = readFileSync(new URL('test-only-private-key.pem', fixtures), 'utf8');
export const MERCHANT_PUBLIC_PEM = readFileSync(new URL('test-only-public-key.pem', fixtures), 'utf8');

/** Committed TEST ONLY pairs (test/helpers/rsa-keys.ts), not generated: a second of CPU saved per file. */
function pair(n: number): { privateKey: KeyObject; publicPem: string; privatePem: string } {
  const { privateKey, publicKey } = testRsaKeyPair(n);
  return {
    privateKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The platform's pair: it signs answers and notifications. */
export const PLATFORM = pair(4);
/** Someone else's pair, for "signed by the wrong key". */
export const STRANGER = pair(5);

export const SECRET_KEY = 'TEST-ONLY-secret-4c1d9e7f2a6b8035';

/** Written from the provider's guide, without looking at src/: non-empty, no sign/sign_type, sorted. */
export function referenceSignString(params: Record<string, unknown>, secretKey: string): string {
  const keys = Object.keys(params).filter(
    (k) =>
      k !== 'sign' && k !== 'sign_type' && params[k] !== '' && params[k] !== null && params[k] !== undefined,
  );
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Each pair followed by '&', then key=...: as a Java StringBuilder loop writes it (no params: "key=...").
  return `${keys.map((k) => `${k}=${String(params[k])}&`).join('')}key=${secretKey}`;
}

/** SHA256withRSA on node:crypto, standard Base64. */
export function referenceSign(
  params: Record<string, unknown>,
  privateKey: KeyObject | string = PLATFORM.privateKey,
  secretKey = SECRET_KEY,
): string {
  return sign('sha256', Buffer.from(referenceSignString(params, secretKey), 'utf8'), privateKey).toString(
    'base64',
  );
}

/** Verify on node:crypto. */
export function referenceVerify(
  params: Record<string, unknown>,
  signature: string,
  publicKey: string = MERCHANT_PUBLIC_PEM,
  secretKey = SECRET_KEY,
): boolean {
  return verify(
    'sha256',
    Buffer.from(referenceSignString(params, secretKey), 'utf8'),
    publicKey,
    Buffer.from(signature, 'base64'),
  );
}

/** `data` with the platform's `sign` added. */
export function platformSigned(
  data: Record<string, unknown>,
  privateKey: KeyObject | string = PLATFORM.privateKey,
  secretKey = SECRET_KEY,
): Record<string, unknown> {
  return { ...data, sign: referenceSign(data, privateKey, secretKey) };
}

/** Bare Base64 DER of a PEM (how provider dashboards often hand keys out). */
export function bareBase64(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

export interface Vector {
  name: string;
  params: Record<string, unknown>;
  secretKey: string;
  signString: string;
  signature: string;
}

export function loadVectors(file: 'node-vectors.json' | 'java-vectors.json'): Vector[] {
  return JSON.parse(readFileSync(new URL(file, fixtures), 'utf8')) as Vector[];
}
