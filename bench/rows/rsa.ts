/**
 * RSA-SHA256 (RSASSA-PKCS1-v1_5, 2048-bit) sign and verify over a THB collect sign string of about
 * 350 bytes (a collection request's): thaipay's node and web providers (and `signThbParams`, which also builds the sign string)
 * against node:crypto with a prepared KeyObject (the limit), crypto.subtle with a prepared CryptoKey, and
 * node-forge (pure JavaScript, what thaipay signs with only when an app opts in with
 * `setDefaultCryptoProvider(createForgeCryptoProvider())`).
 */
import forge from 'node-forge';
import { createNodeCryptoProvider } from '../../src/core/crypto/node';
import { createWebCryptoProvider } from '../../src/core/crypto/web';
import { signThbParams } from '../../src/thb-collect/signing';
import {
  makeRsaFixture,
  type RsaFixture,
  rawRsaSign,
  rawRsaVerify,
  rawThbSignString,
  THB_COLLECTION_PARAMS,
  THB_SECRET_KEY,
  THB_SIGN_STRING,
} from '../fixtures';
import { atLeast, type Candidate, compare, type Table } from '../harness';
import type { RowOptions } from './options';

const SIZE = `2048-bit, ${new TextEncoder().encode(THB_SIGN_STRING).length} B`;
const SIGN = `RSA-SHA256 sign (${SIZE})`;
const VERIFY = `RSA-SHA256 verify (${SIZE})`;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

function forgeSha256(data: string): forge.md.MessageDigest {
  return forge.md.sha256.create().update(data, 'utf8');
}

/**
 * Measure this row group and add its lines to `table`.
 *
 * @example
 * ```ts
 * await rsaRows(table, rowOptions(process.argv.includes('--quick')));
 * ```
 */
export async function rsaRows(table: Table, options: RowOptions, keys: RsaFixture = makeRsaFixture()) {
  const data = THB_SIGN_STRING;
  const bytes = new TextEncoder().encode(data);
  const node = createNodeCryptoProvider();
  const web = createWebCryptoProvider();
  const subtlePrivate = await crypto.subtle.importKey(
    'pkcs8',
    Buffer.from(keys.privateBase64, 'base64'),
    RSA,
    false,
    ['sign'],
  );
  const subtlePublic = await crypto.subtle.importKey(
    'spki',
    Buffer.from(keys.publicBase64, 'base64'),
    RSA,
    false,
    ['verify'],
  );
  const forgePrivate = forge.pki.privateKeyFromPem(keys.privatePem) as forge.pki.rsa.PrivateKey;
  const forgePublic = forge.pki.publicKeyFromPem(keys.publicPem) as forge.pki.rsa.PublicKey;

  // Sign: the merchant's private key as the app holds it, a PEM string; thaipay caches the import.
  const signers: Candidate[] = [
    { label: 'thaipay node', fn: () => node.rsaSha256Sign(keys.privatePem, data) },
    { label: 'raw node:crypto', fn: () => rawRsaSign(data, keys.privateKey) },
    {
      label: 'raw crypto.subtle',
      fn: async () => Buffer.from(await crypto.subtle.sign(RSA, subtlePrivate, bytes)).toString('base64'),
    },
    { label: 'thaipay web', fn: () => web.rsaSha256Sign(keys.privatePem, data) },
    {
      label: 'node-forge',
      fn: () => forge.util.encode64(forgePrivate.sign(forgeSha256(data))),
      batch: options.scale(2),
    },
    {
      label: 'thaipay signThbParams',
      fn: () =>
        signThbParams(THB_COLLECTION_PARAMS, { secretKey: THB_SECRET_KEY, privateKey: keys.privatePem }),
    },
    {
      label: 'raw string + crypto.sign',
      fn: () => rawRsaSign(rawThbSignString(THB_COLLECTION_PARAMS, THB_SECRET_KEY), keys.privateKey),
    },
  ];
  const expected = rawRsaSign(data, keys.privateKey);
  for (const signer of signers) {
    if ((await signer.fn()) !== expected)
      throw new Error(`${SIGN}: ${signer.label} made a different signature`);
  }
  const signed = await compare(SIGN, signers, { batch: options.scale(200), rounds: options.rounds + 2 });
  table.ratio(SIGN, signed, 'thaipay node', 'raw node:crypto', atLeast(0.85));
  table.ratio(SIGN, signed, 'thaipay signThbParams', 'raw string + crypto.sign', atLeast(0.85));
  table.ratio(SIGN, signed, 'thaipay web', 'raw crypto.subtle', atLeast(0.8));
  table.ratio(SIGN, signed, 'thaipay node', 'node-forge');

  const signature = expected;
  const verifiers: Candidate[] = [
    { label: 'thaipay node', fn: () => node.rsaSha256Verify(keys.publicPem, data, signature) },
    { label: 'raw node:crypto', fn: () => rawRsaVerify(data, keys.publicKey, signature) },
    {
      label: 'raw crypto.subtle',
      fn: () => crypto.subtle.verify(RSA, subtlePublic, Buffer.from(signature, 'base64'), bytes),
    },
    { label: 'thaipay web', fn: () => web.rsaSha256Verify(keys.publicPem, data, signature) },
    {
      label: 'node-forge',
      fn: () => forgePublic.verify(forgeSha256(data).digest().bytes(), forge.util.decode64(signature)),
      batch: options.scale(60),
    },
  ];
  for (const verifier of verifiers) {
    if ((await verifier.fn()) !== true)
      throw new Error(`${VERIFY}: ${verifier.label} refused a good signature`);
  }
  const verified = await compare(VERIFY, verifiers, { batch: options.scale(3_000), rounds: options.rounds });
  table.ratio(VERIFY, verified, 'thaipay node', 'raw node:crypto', atLeast(0.5));
  table.ratio(VERIFY, verified, 'thaipay web', 'raw crypto.subtle', atLeast(0.8));
  table.ratio(VERIFY, verified, 'thaipay node', 'node-forge');
}
