/** The public entries the cold-start and bundle rows measure, and where their builds go. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Entry name (as in tsup.config.ts and dist/) → source file. */
export const ENTRIES: Record<string, string> = {
  'jwt-gateway/index': 'src/jwt-gateway/index.ts',
  'thb-collect/index': 'src/thb-collect/index.ts',
  index: 'src/index.ts',
  'qr/index': 'src/qr/index.ts',
  'banks/index': 'src/banks/index.ts',
};

/** Scratch space for builds made by the bench (inside node_modules so bare imports still resolve). */
export const CACHE_DIR = `${ROOT}node_modules/.cache/thaipay-bench`;

/** Entries whose source file exists, and the missing ones. */
export function presentEntries(): { present: Array<[string, string]>; missing: Array<[string, string]> } {
  const all = Object.entries(ENTRIES);
  return {
    present: all.filter(([, source]) => existsSync(`${ROOT}${source}`)),
    missing: all.filter(([, source]) => !existsSync(`${ROOT}${source}`)),
  };
}
