/**
 * `thaipay/otel` and `thaipay/postgres` cost nothing to users who do not import them: in the built
 * package, no file reachable from any other entry (ESM or CJS) is one of theirs, contains their code, or
 * loads `@opentelemetry/api` or `pg`. A bundler can only ship what an import reaches, so this holds for
 * every bundler, tree-shaking or not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIST_DIR, ensureDist } from '../runtimes/dist';

beforeAll(() => ensureDist(), 180_000);

const OTHER_ENTRIES = [
  'index',
  'jwt-gateway/index',
  'thb-collect/index',
  'banks/index',
  'qr/index',
  'testing/index',
  'redis/index',
];
/** Strings only their code contains: an attribute name, a statement, the packages they load. */
const MARKERS = ['thaipay.webhook.outcome', 'FOR UPDATE SKIP LOCKED', '@opentelemetry/api', "'pg'", '"pg"'];

/** Every file of dist/ an entry file loads, following relative import/export/require specifiers. */
function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  const specifier = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const match of readFileSync(file, 'utf8').matchAll(specifier)) {
      pending.push(resolve(dirname(file), match[1] as string));
    }
  }
  return seen;
}

describe.each(['js', 'cjs'])('the built %s files', (extension) => {
  it('exist for both entries (run npm run build after adding them)', () => {
    for (const entry of ['otel/index', 'postgres/index']) {
      expect(existsSync(join(DIST_DIR, `${entry}.${extension}`)), `${entry}.${extension}`).toBe(true);
    }
  });

  it.each(OTHER_ENTRIES)(
    '%s reaches no file, code or package of thaipay/otel or thaipay/postgres',
    (entry) => {
      const files = [...reachable(join(DIST_DIR, `${entry}.${extension}`))];
      expect(files.length).toBeGreaterThan(0);
      const own = files.filter((f) => /^(otel|postgres)[\\/]/.test(relative(DIST_DIR, f)));
      expect(own).toStrictEqual([]);
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        for (const marker of MARKERS)
          expect(text.includes(marker), `${relative(DIST_DIR, file)} has ${marker}`).toBe(false);
      }
    },
  );

  it('the check finds the markers where they are: in the two entries themselves', () => {
    const text = (entry: string) =>
      [...reachable(join(DIST_DIR, `${entry}.${extension}`))].map((f) => readFileSync(f, 'utf8')).join('\n');
    expect(text('otel/index')).toContain('@opentelemetry/api');
    expect(text('otel/index')).toContain('thaipay.webhook.outcome');
    expect(text('postgres/index')).toContain('FOR UPDATE SKIP LOCKED');
  });
});
