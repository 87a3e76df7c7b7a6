/**
 * The matrix's entry in a child runtime (Node, Bun, Deno). `child.ts` bundles this file with the checks
 * into one plain `.mjs`, so every runtime runs the same JavaScript and loads the package the way users do:
 * the built `dist/` ESM root entry, by file URL, with its real dependencies from node_modules.
 *
 * Arguments: `<serverUrl> <distIndexUrl> <mode> [expectedProvider]`, where mode is
 * - `default`: whatever the runtime gives;
 * - `force-web`: `setDefaultCryptoProvider(createWebCryptoProvider())` before any check;
 * - `hide-node`: `process.getBuiltinModule` removed, and `Buffer` while the package loads, as on a runtime
 *   that has neither (the package must then pick WebCrypto and its pure encoding path by itself).
 *
 * Prints one line, `RESULT_MARKER` followed by JSON `{ runtime, results }`, and nothing else on stdout.
 */
import { runChecks, type ThaipayApi } from './checks';
import { RESULT_MARKER, type RuntimeReport } from './report';
import type { RuntimeVectors } from './vectors';

interface RuntimeGlobals {
  Deno?: { args: string[]; version: { deno: string } };
  Bun?: { version: string };
  process?: { argv: string[]; versions?: { node?: string }; getBuiltinModule?: unknown };
  Buffer?: unknown;
}

const runtime = globalThis as unknown as RuntimeGlobals;

function argumentsOfRun(): string[] {
  if (runtime.Deno) return runtime.Deno.args;
  return runtime.process?.argv.slice(2) ?? [];
}

function runtimeName(): string {
  if (runtime.Deno) return `deno ${runtime.Deno.version.deno}`;
  if (runtime.Bun) return `bun ${runtime.Bun.version}`;
  return `node ${runtime.process?.versions?.node ?? '?'}`;
}

/**
 * Take away what marks a Node-like runtime, before the package loads (it detects once, at load or first
 * use): `process.getBuiltinModule` for the whole run, `Buffer` only while the package loads, since Node's
 * own fetch, Request and Response need it later. Returns the function that gives `Buffer` back.
 */
function hideNode(): () => void {
  const proc = runtime.process;
  if (proc) {
    delete proc.getBuiltinModule;
    if (proc.getBuiltinModule !== undefined) proc.getBuiltinModule = undefined;
  }
  const buffer = runtime.Buffer;
  delete runtime.Buffer;
  if (runtime.Buffer !== undefined) runtime.Buffer = undefined;
  return () => {
    runtime.Buffer = buffer;
  };
}

async function main(): Promise<void> {
  const [serverUrl, distIndexUrl, mode = 'default', expected] = argumentsOfRun();
  if (!serverUrl || !distIndexUrl)
    throw new Error('usage: run-child <serverUrl> <distIndexUrl> [mode] [provider]');
  // Fetched first: Node loads its fetch (undici) on first use, and undici needs the global Buffer.
  const vectors = (await (await fetch(`${serverUrl}/vectors.json`)).json()) as RuntimeVectors;
  const restoreBuffer = mode === 'hide-node' ? hideNode() : undefined;
  const bufferAtLoad = typeof runtime.Buffer;
  const api = (await import(distIndexUrl)) as ThaipayApi;
  restoreBuffer?.();
  if (mode === 'force-web') api.setDefaultCryptoProvider(api.createWebCryptoProvider());
  const results = await runChecks(api, vectors, serverUrl, {
    ...(expected ? { expectProvider: expected as 'node' | 'web' | 'forge' } : {}),
  });
  if (mode === 'hide-node') {
    results.push({
      name: 'Node markers hidden during the run',
      ok: runtime.process?.getBuiltinModule === undefined && bufferAtLoad === 'undefined',
      detail: `getBuiltinModule ${typeof runtime.process?.getBuiltinModule}, Buffer at load ${bufferAtLoad}`,
    });
  }
  const report: RuntimeReport = { runtime: runtimeName(), results };
  console.log(RESULT_MARKER + JSON.stringify(report));
}

await main();
