/**
 * `npm run demo` as a user runs it: a child process, `node --import tsx examples/demo.ts`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function runDemo(
  extraImports: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', ...extraImports.flatMap((i) => ['--import', i]), 'examples/demo.ts'],
      { cwd: root, env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo', () => {
  it('tells the story of both providers and exits 0', async () => {
    const { code, stdout, stderr } = await runDemo();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = [
      // JWT gateway
      /^ 1\. Deposit order-\w+ created: 250\.00 THB by PromptPay QR$/m,
      /✓ assertQrAmount: the QR asks for exactly 250\.00 THB, CRC intact/,
      /onEvent got: deposit order-\w+ completed → succeeded, 250\.00 THB, credited 248\.75 THB/,
      /✓ acknowledged: HTTP 200 \{"code":200,"message":"Success"\}/,
      /Query order-\w+: succeeded \(gateway says "completed"\)/,
      /Withdrawal payout-\w+: 1,500\.00 THB to SCB/,
      /✓ callback verified: withdrawal payout-\w+ completed → succeeded/,
      /Balance: 48,748\.75 THB/,
      // THB collect
      /Collection M\w+ created: 300\.00 THB by PromptPay QR/,
      /✓ assertQrAmount: the QR asks for exactly 300\.00 THB, CRC intact/,
      /onEvent got: collection M\w+ status 2 → succeeded, 300\.00 THB, fee 3\.00 THB/,
      /✓ acknowledged: HTTP 200 SUCCESS/,
      /Query M\w+: succeeded \(status 2\)/,
      /✓ notification verified: payout P\w+ status 2 → succeeded/,
      /✓ Done/,
    ];
    for (const line of lines) expect(stdout).toMatch(line);
    // The QR codes are drawn in the terminal (half-block characters).
    expect(stdout).toMatch(/[▀▄█]{20,}/);
    // Steps are numbered 1 to 12, in order.
    const steps = [...stdout.matchAll(/^\s*(\d+)\. /gm)].map((m) => Number(m[1]));
    expect(steps).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('exits non-zero with the reason on stderr when a step fails', async () => {
    // A preload that hides node:http (so the transport sends with fetch, as off Node) and breaks every
    // fetch: the first request of the demo fails.
    const brokenFetch = `data:text/javascript,${encodeURIComponent(
      "const g=process.getBuiltinModule;process.getBuiltinModule=(id)=>/^node:https?$/.test(id)?undefined:g(id);globalThis.fetch=()=>Promise.reject(new TypeError('fetch failed'))",
    )}`;
    const { code, stdout, stderr } = await runDemo([brokenFetch]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/✗ demo failed: OrderStatusUnknownError: .*fetch failed/);
    expect(stdout).not.toContain('✓ Done');
  });
});
