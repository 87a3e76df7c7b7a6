/**
 * Consumers of the packed tarball: a project with thaipay installed from the `.tgz` (as from the
 * registry), one ESM file that `import`s every entry and one CommonJS file that `require`s every entry.
 * Both compile with TypeScript against the shipped declarations under `moduleResolution` node16 (ESM
 * and CJS conditions) and bundler, with `skipLibCheck: false`; the node16 output then runs in Node and
 * checks a little of each entry.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, REPO_ROOT } from '../runtimes/dist';
import { CJS_CONSUMER, ESM_CONSUMER, TSCONFIG_BUNDLER, TSCONFIG_NODE16 } from './consumer-sources';
import { type Consumer, createConsumer, packPackage } from './pack';

const run = promisify(execFile);
const TSC = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const VECTORS = join(REPO_ROOT, 'test', 'runtimes', 'vectors.json');

let consumer: Consumer;

beforeAll(async () => {
  await ensureDist();
  consumer = await createConsumer((await packPackage()).tarball);
  const write = (name: string, text: string) => writeFileSync(join(consumer.dir, name), text);
  write('esm.mts', ESM_CONSUMER);
  write('cjs.cts', CJS_CONSUMER);
  write('tsconfig.node16.json', JSON.stringify(TSCONFIG_NODE16, null, 2));
  write('tsconfig.bundler.json', JSON.stringify(TSCONFIG_BUNDLER, null, 2));
}, 180_000);

/** Run tsc with a config; resolve to its diagnostics (empty when it compiled). */
async function tsc(config: string): Promise<string> {
  try {
    await run(process.execPath, [TSC, '-p', config, '--pretty', 'false'], { cwd: consumer.dir });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    return `${stdout ?? ''}${stderr ?? ''}` || String(error);
  }
}

async function runConsumer(file: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [join('out', file)], {
    cwd: consumer.dir,
    env: { ...process.env, THAIPAY_VECTORS: VECTORS },
  });
  return JSON.parse(stdout.trim()) as Record<string, unknown>;
}

const EVERY_CHECK_TRUE = {
  hs256: true,
  oneErrorClass: true,
  signString: true,
  bank: true,
  promptPay: true,
  status: true,
  client: true,
  sandbox: true,
  redis: true,
  postgres: true,
};

describe('consumers of the packed tarball', () => {
  it('installs the tarball (npm --offline, or by hand when the cache cannot answer)', () => {
    const installed = JSON.parse(
      readFileSync(join(consumer.dir, 'node_modules', 'thaipay', 'package.json'), 'utf8'),
    ) as { name: string; version: string };
    const own = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(installed).toMatchObject({ name: 'thaipay', version: own.version });
    expect(['npm install --offline', 'unpacked by hand']).toContain(consumer.install);
  });

  it('compiles the ESM and CJS consumers with moduleResolution node16', async () => {
    expect(await tsc('tsconfig.node16.json')).toBe('');
  });

  it('compiles the ESM and CJS consumers with moduleResolution bundler', async () => {
    expect(await tsc('tsconfig.bundler.json')).toBe('');
  });

  it('runs the ESM consumer (import of every entry)', async () => {
    expect(await runConsumer('esm.mjs')).toEqual(EVERY_CHECK_TRUE);
  });

  it('runs the CJS consumer (require of every entry)', async () => {
    expect(await runConsumer('cjs.cjs')).toEqual(EVERY_CHECK_TRUE);
  });
});
