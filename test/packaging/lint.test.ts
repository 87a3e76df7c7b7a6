/**
 * The packed tarball passes publint (every level, warnings as errors) and Are The Types Wrong
 * (`attw --profile node16`: node16 from CJS, node16 from ESM and bundler resolution must all find the
 * right types for every entry). No rule is ignored.
 *
 * The node16 profile leaves out node10 (`moduleResolution: node`), which predates `exports` and cannot see
 * subpath entries such as `thaipay/jwt-gateway` in any package; the root entry resolves there too.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureDist, packageEntries, REPO_ROOT } from '../runtimes/dist';
import { type PackedPackage, packPackage } from './pack';

const run = promisify(execFile);

let packed: PackedPackage;

beforeAll(async () => {
  await ensureDist();
  packed = await packPackage();
}, 180_000);

interface AttwProblem {
  kind: string;
  entrypoint: string;
  resolutionKind?: string;
}

describe('the packed tarball', () => {
  it('ships every export target and no test or source files', () => {
    for (const { target } of packageEntries()) {
      for (const file of [
        target.import.types,
        target.import.default,
        target.require.types,
        target.require.default,
      ]) {
        expect(packed.files).toContain(file.replace(/^\.\//, ''));
      }
    }
    expect(packed.files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE']));
    expect(
      packed.files.filter((f) => !f.startsWith('dist/') && !/^[A-Z]+\.md$|^LICENSE$|^package\.json$/.test(f)),
    ).toEqual([]);
  });

  it('is clean under publint (suggestions included, warnings as errors)', async () => {
    const bytes = readFileSync(packed.tarball);
    const tarball = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const { messages, pkg } = await publint({ pack: { tarball }, level: 'suggestion', strict: true });
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, pkg, { color: false }) ?? m.code}`)).toEqual(
      [],
    );
  });

  it('is clean under attw --profile node16 (node16 CJS and ESM, bundler)', async () => {
    const attw = join(REPO_ROOT, 'node_modules', '.bin', 'attw');
    // --no-definitely-typed: never ask the registry for @types/thaipay.
    const args = [packed.tarball, '--profile', 'node16', '--no-definitely-typed', '--format', 'json'];
    let stdout: string;
    try {
      ({ stdout } = await run(attw, args, { maxBuffer: 64 * 1024 * 1024 }));
    } catch (error) {
      // attw exits non-zero when it finds a problem; the JSON still says which.
      stdout = (error as { stdout?: string }).stdout ?? '';
      if (!stdout) throw error;
    }
    const report = JSON.parse(stdout) as { analysis: { problems?: AttwProblem[]; entrypoints: object } };
    const problems = (report.analysis.problems ?? []).filter((p) => p.resolutionKind !== 'node10');
    expect(problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual(
      packageEntries()
        .map((e) => e.subpath)
        .concat('./package.json')
        .sort(),
    );
  });
});
