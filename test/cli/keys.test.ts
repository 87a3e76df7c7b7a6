/**
 * `thaipay keys generate`: a 2048-bit pair in the provider's forms, private files owner-only, no
 * overwriting without --force, and nothing secret on stdout unless asked.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRsaKey } from '../../src/core/crypto';
import { run, tempDir } from './helpers';

const NAMES = [
  'merchant_private_key.pem',
  'merchant_private_key.txt',
  'merchant_public_key.pem',
  'merchant_public_key.txt',
];

let files: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => {
  files = await tempDir();
});
afterEach(() => files.remove());

async function readKeys(dir: string): Promise<Record<string, string>> {
  const entries = await Promise.all(
    NAMES.map(async (name) => [name, await readFile(join(dir, name), 'utf8')]),
  );
  return Object.fromEntries(entries);
}

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('thaipay keys generate --out', () => {
  it('writes the four forms, private files 0600, and prints only the public key', async () => {
    const out = join(files.dir, 'keys');
    const result = await run(['keys', 'generate', '--out', out]);
    expect(result.code).toBe(0);
    const keys = await readKeys(out);

    expect(await modeOf(join(out, 'merchant_private_key.pem'))).toBe(0o600);
    expect(await modeOf(join(out, 'merchant_private_key.txt'))).toBe(0o600);
    expect(await modeOf(join(out, 'merchant_public_key.pem'))).toBe(0o644);
    expect(await modeOf(join(out, 'merchant_public_key.txt'))).toBe(0o644);

    expect(keys['merchant_private_key.pem']).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(keys['merchant_public_key.pem']).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const privateBase64 = keys['merchant_private_key.txt']!.trim();
    const publicBase64 = keys['merchant_public_key.txt']!.trim();
    expect(privateBase64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(publicBase64).toMatch(/^[A-Za-z0-9+/]+=*$/);

    // Bare Base64 PKCS#8 and SPKI of the same 2048-bit pair as the PEM files.
    const privateKey = createPrivateKey({
      key: Buffer.from(privateBase64, 'base64'),
      format: 'der',
      type: 'pkcs8',
    });
    const publicKey = createPublicKey({
      key: Buffer.from(publicBase64, 'base64'),
      format: 'der',
      type: 'spki',
    });
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(
      createPrivateKey(keys['merchant_private_key.pem']!)
        .export({ format: 'der', type: 'pkcs8' })
        .toString('base64'),
    ).toBe(privateBase64);
    const signature = sign('sha256', Buffer.from('x'), privateKey);
    expect(verify('sha256', Buffer.from('x'), publicKey, signature)).toBe(true);
    expect(parseRsaKey(privateBase64, 'private', 'privateKey')).toMatchObject({
      format: 'pkcs8',
      modulusBits: 2048,
    });
    expect(parseRsaKey(publicBase64, 'public', 'publicKey')).toMatchObject({
      format: 'spki',
      modulusBits: 2048,
    });

    expect(result.stdout).toContain(publicBase64);
    expect(result.stdout).toContain('(0600)');
    expect(result.stdout).not.toContain(privateBase64.slice(100, 160));
    expect(result.stdout).not.toContain('PRIVATE KEY-----');
  });

  it('refuses to overwrite existing files without --force, leaving them untouched', async () => {
    const out = files.dir;
    await run(['keys', 'generate', '--out', out]);
    const before = await readKeys(out);
    const again = await run(['keys', 'generate', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('merchant_private_key.pem already exists; pass --force to overwrite it');
    expect(await readKeys(out)).toEqual(before);
  });

  it('refuses when only one of the files exists, writing none', async () => {
    await files.file('merchant_public_key.txt', 'keep me');
    const result = await run(['keys', 'generate', '--out', files.dir]);
    expect(result.code).toBe(2);
    await expect(stat(join(files.dir, 'merchant_private_key.pem'))).rejects.toThrow();
    expect(await readFile(join(files.dir, 'merchant_public_key.txt'), 'utf8')).toBe('keep me');
  });

  it('overwrites with --force, and makes a widened private file owner-only again', async () => {
    const out = files.dir;
    await run(['keys', 'generate', '--out', out]);
    const before = await readKeys(out);
    await chmod(join(out, 'merchant_private_key.pem'), 0o644);
    const result = await run(['keys', 'generate', '--out', out, '--force']);
    expect(result.code).toBe(0);
    const after = await readKeys(out);
    expect(after['merchant_private_key.pem']).not.toBe(before['merchant_private_key.pem']);
    expect(await modeOf(join(out, 'merchant_private_key.pem'))).toBe(0o600);
  });
});

describe('thaipay keys generate without --out', () => {
  it('refuses without --print-private: printing only the public key would lose the private one', async () => {
    const result = await run(['keys', 'generate']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe(
      'thaipay keys: without --out the private key would be lost: pass --out DIR to write both keys to files, or --print-private to print both',
    );
  });

  it('prints both keys with --print-private, and a warning on stderr', async () => {
    const result = await run(['keys', 'generate', '--print-private']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-----BEGIN PRIVATE KEY-----');
    const base64 = result.stdout.trim().split('\n').at(-1)!;
    const privateKey = createPrivateKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'pkcs8' });
    expect(privateKey.type).toBe('private');
    const publicBase64 = /SubjectPublicKeyInfo\):\n(\S+)\n/.exec(result.stdout)![1]!;
    expect(createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64')).toBe(
      publicBase64,
    );
    expect(result.stderr).toBe(
      'Warning: the private key was printed: keep it secret, store it owner-only (mode 0600), and clear it from terminal scrollback and logs.\n',
    );
  });

  it('usage errors: no action, an unknown action, --force without --out', async () => {
    expect((await run(['keys'])).stderr).toContain('keys needs an action: generate');
    expect((await run(['keys', 'rotate'])).code).toBe(2);
    const force = await run(['keys', 'generate', '--force']);
    expect(force.code).toBe(2);
    expect(force.stderr).toContain('--force only applies with --out');
  });
});
