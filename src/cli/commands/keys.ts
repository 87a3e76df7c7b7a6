/**
 * `thaipay keys generate`: a 2048-bit RSA key pair in the forms THB collect deals in. The public key
 * (bare Base64 X.509 SPKI) is what the merchant uploads; the private key (PKCS#8) never leaves the
 * merchant, so it is written owner-only and printed only on request. It is never lost: without
 * `--out` the command refuses to run unless `--print-private` asks for both keys on stdout.
 */
import { generateKeyPair } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { flag, noMorePositionals, parseCommandArgs, stringOption } from '../args';
import { CliError, type CliIo, writeLines } from '../io';

/** The files `--out` writes, and who may read them. */
export const KEY_FILES = Object.freeze({
  privatePem: { name: 'merchant_private_key.pem', mode: 0o600 },
  privateBase64: { name: 'merchant_private_key.txt', mode: 0o600 },
  publicPem: { name: 'merchant_public_key.pem', mode: 0o644 },
  publicBase64: { name: 'merchant_public_key.txt', mode: 0o644 },
});

interface KeyTexts {
  privatePem: string;
  privateBase64: string;
  publicPem: string;
  publicBase64: string;
}

function generate(): Promise<KeyTexts> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      { modulusLength: 2048, publicExponent: 0x10001 },
      (error, publicKey, privateKey) => {
        if (error) {
          reject(error);
          return;
        }
        resolve({
          privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
          privateBase64: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
          publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
          publicBase64: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        });
      },
    );
  });
}

function fileError(error: unknown, path: string): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return new CliError(`${path} already exists; pass --force to overwrite it`);
  if (code === 'EACCES') return new CliError(`cannot write ${path}: permission denied`);
  return new CliError(`cannot write ${path}: ${(error as Error).message}`);
}

/** Write one file with its mode; without `force`, fail rather than replace an existing file. */
async function writeKeyFile(path: string, text: string, mode: number, force: boolean): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, force ? 'w' : 'wx', mode);
  } catch (error) {
    throw fileError(error, path);
  }
  try {
    // The mode given to open applies only to a new file (and the umask narrows it): set it outright,
    // before writing, so an overwritten world-readable file never holds the key.
    await handle.chmod(mode);
    await handle.writeFile(text.endsWith('\n') ? text : `${text}\n`);
  } finally {
    await handle.close();
  }
}

async function writeAll(dir: string, keys: KeyTexts, force: boolean): Promise<string[]> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw fileError(error, dir);
  }
  const entries = Object.entries(KEY_FILES) as Array<[keyof KeyTexts, { name: string; mode: number }]>;
  if (!force) {
    // Check all four first, so a refusal leaves nothing half written.
    for (const [, file] of entries) {
      const path = join(dir, file.name);
      try {
        const existing = await open(path, 'r');
        await existing.close();
        throw new CliError(`${path} already exists; pass --force to overwrite it`);
      } catch (error) {
        if (error instanceof CliError) throw error;
      }
    }
  }
  const written: string[] = [];
  for (const [field, file] of entries) {
    const path = join(dir, file.name);
    await writeKeyFile(path, keys[field], file.mode, force);
    written.push(`  ${path}  (${file.mode.toString(8).padStart(4, '0')})`);
  }
  return written;
}

/**
 * Run `thaipay keys generate`; resolves to the exit code.
 *
 * @example
 * ```ts
 * await runKeys(['generate', '--out', './keys'], io); // 0, four files written
 * ```
 */
export async function runKeys(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('keys', argv, {
    out: { type: 'string' },
    force: { type: 'boolean' },
    'print-private': { type: 'boolean' },
  });
  const action = args.positionals[0];
  if (action !== 'generate') {
    throw new CliError(
      action === undefined ? 'keys needs an action: generate' : 'unknown keys action: expected generate',
      {
        usageOf: 'keys',
      },
    );
  }
  noMorePositionals('keys', args.positionals, 1);
  const out = stringOption(args, 'out');
  if (out === '') throw new CliError('--out is empty; give a directory', { usageOf: 'keys' });
  if (flag(args, 'force') && out === undefined) {
    throw new CliError('--force only applies with --out', { usageOf: 'keys' });
  }
  const printPrivate = flag(args, 'print-private');
  if (out === undefined && !printPrivate) {
    // Printing only the public key would have the merchant upload a key whose private half is gone.
    throw new CliError(
      'without --out the private key would be lost: pass --out DIR to write both keys to files, or --print-private to print both',
      { usageOf: 'keys' },
    );
  }
  const keys = await generate();
  const lines: string[] = [];
  if (out !== undefined) {
    const written = await writeAll(out, keys, flag(args, 'force'));
    lines.push('Wrote a 2048-bit RSA key pair:', ...written, '');
  } else {
    lines.push('Generated a 2048-bit RSA key pair.', '');
  }
  lines.push(
    'Public key to upload to the provider (bare Base64 X.509 SubjectPublicKeyInfo):',
    keys.publicBase64,
  );
  if (printPrivate) {
    lines.push(
      '',
      'Private key (PKCS#8 PEM) — keep it secret, never upload it:',
      keys.privatePem.trimEnd(),
      '',
      'Private key (bare Base64 PKCS#8, for THB_PRIVATE_KEY or privateKey):',
      keys.privateBase64,
    );
  }
  writeLines(io.stdout, lines);
  if (printPrivate) {
    writeLines(io.stderr, [
      'Warning: the private key was printed: keep it secret, store it owner-only (mode 0600), and clear it from terminal scrollback and logs.',
    ]);
  }
  return 0;
}
