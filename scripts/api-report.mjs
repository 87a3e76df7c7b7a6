/**
 * Rewrite API.md, the API report, from the code: runs the typedoc test with THAIPAY_WRITE_API_REPORT=1
 * (test/docs/api-docs.test.ts builds the report from the same conversion it validates).
 *
 * Usage: `npm run api-report`, then review the diff of API.md and say it in CHANGELOG.md.
 */
import { spawnSync } from 'node:child_process';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const result = spawnSync(npx, ['vitest', 'run', 'test/docs/api-docs.test.ts', '--reporter=dot'], {
  stdio: 'inherit',
  env: { ...process.env, THAIPAY_WRITE_API_REPORT: '1' },
  shell: process.platform === 'win32',
});
process.exit(result.status ?? 1);
