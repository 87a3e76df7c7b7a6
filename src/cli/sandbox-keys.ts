/**
 * The credentials file of `thaipay sandbox --keys FILE`: the sandbox's made-up credentials saved on
 * the first run and given back on the next ones, so the variables a developer exported keep working
 * after a restart. It holds private keys (of a simulator, but keys all the same): written owner-only,
 * and no message ever quotes its content.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Sandbox, SandboxOptions } from '../testing';
import { readPrivateKey } from '../testing/keys';
import { CliError, readTextFile } from './io';

/** What the file holds, as JSON. The two keys are bare Base64 PKCS#8 (PEM is read too). */
export interface SandboxKeys {
  /** JWT gateway merchant id. */
  merchantId: string;
  /** JWT gateway API key. */
  apiKey: string;
  /** THB collect business id (digits). */
  appId: string;
  /** THB collect merchant secret key. */
  secretKey: string;
  /** THB collect merchant private key. */
  merchantPrivateKey: string;
  /** The simulated THB collect platform's private key (sandbox-only test material). */
  platformPrivateKey: string;
}

/** The mode the file is written with: owner read/write only. */
export const SANDBOX_KEYS_FILE_MODE = 0o600;

const TEXT_FIELDS = ['merchantId', 'apiKey', 'secretKey'] as const;
const KEY_FIELDS = ['merchantPrivateKey', 'platformPrivateKey'] as const;

function invalid(path: string, reason: string): CliError {
  return new CliError(`cannot use the keys file "${path}": ${reason}; fix it, or delete it to start afresh`);
}

/** Printed as `export NAME=value`: no whitespace or control characters. */
function isPlainToken(value: unknown): value is string {
  return typeof value === 'string' && /^[\x21-\x7e]+$/.test(value);
}

function isRsaPrivateKey(text: string): boolean {
  try {
    return readPrivateKey(text).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/**
 * Check parsed JSON as a keys file; throws a {@link CliError} (exit 2) naming the first bad field,
 * never its value.
 *
 * @example
 * ```ts
 * const keys = parseSandboxKeys(JSON.parse(text), 'sandbox-keys.json');
 * ```
 */
export function parseSandboxKeys(data: unknown, path: string): SandboxKeys {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw invalid(path, 'it is not a JSON object');
  }
  const record = data as Record<string, unknown>;
  for (const field of TEXT_FIELDS) {
    if (!isPlainToken(record[field])) {
      throw invalid(path, `${field} must be a non-empty string without spaces`);
    }
  }
  const appId = typeof record.appId === 'number' ? String(record.appId) : record.appId;
  if (typeof appId !== 'string' || !/^\d{1,18}$/.test(appId)) {
    throw invalid(path, 'appId must be digits');
  }
  for (const field of KEY_FIELDS) {
    const value = record[field];
    if (typeof value !== 'string' || !isRsaPrivateKey(value)) {
      throw invalid(path, `${field} must be an RSA private key (bare Base64 PKCS#8)`);
    }
  }
  return {
    merchantId: record.merchantId as string,
    apiKey: record.apiKey as string,
    appId,
    secretKey: record.secretKey as string,
    merchantPrivateKey: record.merchantPrivateKey as string,
    platformPrivateKey: record.platformPrivateKey as string,
  };
}

/**
 * The keys saved in `path`, or `undefined` when there is no such file yet. A directory, an unreadable
 * file or a malformed one is a {@link CliError} (exit 2).
 *
 * @example
 * ```ts
 * const saved = await readSandboxKeys('.thaipay/sandbox-keys.json'); // undefined on the first run
 * ```
 */
export async function readSandboxKeys(path: string): Promise<SandboxKeys | undefined> {
  try {
    if ((await stat(path)).isDirectory()) throw invalid(path, 'it is a directory');
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTDIR') throw invalid(path, 'a part of its path is not a directory');
    if (code === 'EACCES') throw invalid(path, 'permission denied');
    throw invalid(path, 'it cannot be read');
  }
  const text = await readTextFile(path, 'keys');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // The parser's message quotes the text around the error: a key could end up in a terminal log.
    throw invalid(path, 'it is not valid JSON');
  }
  return parseSandboxKeys(data, path);
}

/**
 * The options that make `createSandbox` use saved keys.
 *
 * @example
 * ```ts
 * const sandbox = await createSandbox({ port, ...sandboxOptionsFromKeys(saved) });
 * ```
 */
export function sandboxOptionsFromKeys(keys: SandboxKeys): Pick<SandboxOptions, 'jwtGateway' | 'thbCollect'> {
  return {
    jwtGateway: { merchantId: keys.merchantId, apiKey: keys.apiKey },
    thbCollect: {
      appId: keys.appId,
      secretKey: keys.secretKey,
      merchantPrivateKey: keys.merchantPrivateKey,
      platformPrivateKey: keys.platformPrivateKey,
    },
  };
}

/**
 * The keys a running sandbox uses, to save. Throws when it has no merchant private key (only a
 * merchant public key was given), which `thaipay sandbox` never does.
 *
 * @example
 * ```ts
 * await writeSandboxKeys(path, sandboxKeysOf(sandbox));
 * ```
 */
export function sandboxKeysOf(sandbox: Sandbox): SandboxKeys {
  const merchantPrivateKey = sandbox.thbCollect.merchantPrivateKey;
  if (merchantPrivateKey === undefined) {
    throw new CliError('the sandbox has no merchant private key to save', { exitCode: 1 });
  }
  return {
    merchantId: sandbox.jwtGateway.merchantId,
    apiKey: sandbox.jwtGateway.apiKey,
    appId: sandbox.thbCollect.appId,
    secretKey: sandbox.thbCollect.secretKey,
    merchantPrivateKey,
    platformPrivateKey: sandbox.thbPlatformPrivateKey,
  };
}

function writeError(error: unknown, path: string): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') {
    return new CliError(
      `cannot write ${path}: something is already there (a file made meanwhile, or a link); left as it is`,
    );
  }
  if (code === 'EACCES') return new CliError(`cannot write ${path}: permission denied`);
  if (code === 'ENOTDIR') return new CliError(`cannot write ${path}: a part of its path is not a directory`);
  return new CliError(`cannot write ${path}: ${(error as Error).message}`);
}

async function makeDirectory(dir: string, path: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // mkdir answers EEXIST when the directory's own name is taken by a file.
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new CliError(`cannot write ${path}: a part of its path is not a directory`);
    }
    throw writeError(error, path);
  }
}

/**
 * Write `keys` to a new file `path` with mode 0600, creating its directory (0700) if needed. Never
 * replaces an existing file.
 *
 * @example
 * ```ts
 * await writeSandboxKeys('.thaipay/sandbox-keys.json', sandboxKeysOf(sandbox));
 * ```
 */
export async function writeSandboxKeys(path: string, keys: SandboxKeys): Promise<void> {
  await makeDirectory(dirname(path), path);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'wx', SANDBOX_KEYS_FILE_MODE);
  } catch (error) {
    throw writeError(error, path);
  }
  try {
    // open's mode is narrowed by the umask (and only applies to a new file): set it outright.
    await handle.chmod(SANDBOX_KEYS_FILE_MODE);
    await handle.writeFile(`${JSON.stringify(keys, null, 2)}\n`);
  } finally {
    await handle.close();
  }
}
