/**
 * Running the CLI in-process with captured streams, and what the tests sign with: jsonwebtoken for the
 * JWT gateway and node:crypto for THB collect, independent of the SDK's signers.
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { main } from '../../src/cli';
import { nextTestRsaKeyPair } from '../helpers/rsa-keys';

/** A stream that collects what is written to it. */
export class Collector {
  text = '';
  private waiters: Array<{ pattern: RegExp; resolve: (match: RegExpMatchArray) => void }> = [];

  write(chunk: string): boolean {
    this.text += chunk;
    this.waiters = this.waiters.filter((waiter) => {
      const match = this.text.match(waiter.pattern);
      if (match) waiter.resolve(match);
      return !match;
    });
    return true;
  }

  /** Resolves once the collected text matches `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    const match = this.text.match(pattern);
    if (match) return Promise.resolve(match);
    return new Promise((resolve) => this.waiters.push({ pattern, resolve }));
  }
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `thaipay ...argv` in-process. */
export async function run(
  argv: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<RunResult> {
  const stdout = new Collector();
  const stderr = new Collector();
  const code = await main(argv, { stdin: options.stdin ?? '', stdout, stderr, env: options.env ?? {} });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A fresh temporary directory and a way to write files into it. */
export async function tempDir(): Promise<{
  dir: string;
  file(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), 'thaipay-cli-'));
  return {
    dir,
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** The gateway's documented recipe: keys sorted into a fresh object, jsonwebtoken HS256 without iat. */
export function providerJwt(params: Record<string, unknown>, apiKey: string | Buffer): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(params).sort()) sorted[key] = params[key];
  return jwt.sign(sorted, apiKey, { algorithm: 'HS256', noTimestamp: true });
}

/** jsonwebtoken over a payload given as text, with the gateway's header. */
export function providerJwtOfText(payload: string, apiKey: string): string {
  return jwt.sign(payload, apiKey, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'JWT' } });
}

/** SHA256withRSA (or another hash) over a sign string written out by hand, standard Base64. */
export function rsaSign(signString: string, privateKey: KeyObject, hash = 'sha256'): string {
  return sign(hash, Buffer.from(signString, 'utf8'), privateKey).toString('base64');
}

export interface RsaPair {
  privateKey: KeyObject;
  /** Bare Base64 PKCS#8 */
  privateBase64: string;
  privatePem: string;
  /** PEM PKCS#1 (BEGIN RSA PRIVATE KEY) */
  privatePkcs1Pem: string;
  /** Bare Base64 SPKI */
  publicBase64: string;
  publicPem: string;
  /** PEM PKCS#1 (BEGIN RSA PUBLIC KEY) */
  publicPkcs1Pem: string;
}

/**
 * A 2048-bit pair in every form the tests need: a committed TEST ONLY one, a different one each call
 * (test/helpers/rsa-keys.ts), since generating costs 0.15 to 0.3 s of CPU.
 */
export function rsaPair(): RsaPair {
  const { privateKey, publicKey } = nextTestRsaKeyPair();
  return {
    privateKey: createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' })),
    privateBase64: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    privatePkcs1Pem: privateKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
    publicBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicPkcs1Pem: publicKey.export({ format: 'pem', type: 'pkcs1' }).toString(),
  };
}
