import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const cryptoDir = fileURLToPath(new URL('../../../src/core/crypto/', import.meta.url));

/** Bundle `code` for the browser as a consumer's bundler would, splitting at dynamic imports. */
async function bundle(code: string) {
  const result = await build({
    stdin: { contents: code, resolveDir: cryptoDir, loader: 'ts' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    outdir: '/virtual-out',
    write: false,
    logLevel: 'silent',
  });
  const files = result.outputFiles.map((f) => ({ path: f.path, text: f.text }));
  const entry = files.find((f) => f.path.endsWith('stdin.js'));
  if (!entry) throw new Error('no entry chunk');
  return { entry, chunks: files.filter((f) => f !== entry) };
}

/** A message string from node-forge's own RSA code: only a bundle containing node-forge has it. */
const FORGE_MARKER = 'ASN.1 object does not contain an RSAPrivateKey.';

describe('bundling for the browser', () => {
  it('the default provider bundles without node built-ins and never loads node-forge', async () => {
    const { entry, chunks } = await bundle(
      "import { getDefaultCryptoProvider } from './index'; export const p = getDefaultCryptoProvider();",
    );
    for (const file of [entry, ...chunks]) {
      expect(file.text).not.toMatch(/from\s*["']node:|require\(["']node:/);
    }
    expect(entry.text).not.toContain(FORGE_MARKER);
    // esbuild may still emit the (tree-shaken, unreferenced) dynamic-import chunk; nothing imports it.
    expect(entry.text).not.toMatch(/import\(/);
  });

  it('node-forge enters a bundle only where the forge provider is imported, and then lazily', async () => {
    const { entry, chunks } = await bundle(
      "import { createForgeCryptoProvider } from './index'; export const p = createForgeCryptoProvider();",
    );
    expect(entry.text).not.toContain(FORGE_MARKER);
    expect(entry.text).toMatch(/import\(["']\.\/[^"']+\.js["']\)/);
    expect(chunks.some((c) => c.text.includes(FORGE_MARKER))).toBe(true);
  });

  it('a bundle using only the web provider contains no node-forge at all', async () => {
    const { entry, chunks } = await bundle(
      "import { createWebCryptoProvider } from './web'; export const p = createWebCryptoProvider();",
    );
    expect(chunks).toHaveLength(0);
    expect(entry.text).not.toContain(FORGE_MARKER);
    expect(entry.text).not.toContain('node-forge');
  });

  it('HMAC alone (what the JWT gateway uses) bundles without RSA key parsing', async () => {
    const { entry, chunks } = await bundle(
      "import { getDefaultHmac } from './default-hmac'; export const h = getDefaultHmac();",
    );
    expect(chunks).toHaveLength(0);
    // A message of keys.ts: only a bundle with the RSA key parser has it.
    expect(entry.text).not.toContain('RSASSA-PSS');
    expect(entry.text).not.toContain(FORGE_MARKER);
    expect(entry.text).toContain('HMAC');
  });
});
