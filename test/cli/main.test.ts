/**
 * Dispatch, help, version, exit codes and error reporting of the `thaipay` command, in-process; and
 * once as a real child process to prove the entry file runs.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import packageJson from '../../package.json' with { type: 'json' };
import { main } from '../../src/cli';
import { Collector, run } from './helpers';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const COMMANDS = ['sandbox', 'sign', 'verify', 'explain', 'keys'];

describe('thaipay --help and --version', () => {
  it('prints the tool help on stdout with every command, exit 0', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const result = await run(argv);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain('Usage: thaipay <command> [options]');
      for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command}`);
      expect(result.stdout).toContain('GATEWAY_API_KEY');
      expect(result.stdout).toContain('Exit codes:');
      expect(result.stdout).toContain('Examples:');
    }
  });

  it.each(COMMANDS)('prints the help of %s with its usage and examples', async (command) => {
    for (const argv of [
      [command, '--help'],
      ['help', command],
      [command, 'jwt', '-h'],
    ]) {
      const result = await run(argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: thaipay ${command}`));
      expect(result.stdout).toContain('Examples:');
      expect(result.stdout).toContain(`thaipay ${command}`);
    }
  });

  it('prints the version from package.json', async () => {
    for (const argv of [['--version'], ['-v']]) {
      const result = await run(argv);
      expect(result).toEqual({ code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
    }
  });

  it('a --help after "--" is not a request for help', async () => {
    const result = await run(['sign', 'jwt', '--', '--help']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });
});

describe('thaipay usage errors', () => {
  it('no command: usage on stderr, exit 2', async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: thaipay <command>');
  });

  it('an unknown command: its name and the usage on stderr, exit 2', async () => {
    const result = await run(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^thaipay: unknown command "frobnicate"/);
    expect(result.stderr).toContain('Usage: thaipay <command>');
  });

  it('never echoes something that may be a secret pasted as the command', async () => {
    const secret = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC+/secret==';
    const result = await run([secret]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain(secret);
    expect(result.stderr).toContain('unknown command');
  });

  it('an unknown option: one line naming it, then the command usage, no stack, exit 2', async () => {
    const result = await run(['sign', 'jwt', '--nope']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('thaipay sign: unknown option --nope');
    expect(result.stderr).toContain('Usage: thaipay sign jwt');
    expect(result.stderr).toContain('Run "thaipay sign --help" for more.');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('a missing provider or an unknown one', async () => {
    expect((await run(['verify'])).stderr).toContain('verify needs a provider: jwt or thb');
    const unknown = await run(['explain', 'paypal', '--params', 'x.json']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown provider: expected jwt or thb');
  });

  it('a missing file: one line, no stack, exit 2', async () => {
    const result = await run(['sign', 'jwt', '/nonexistent/params.json'], { env: { GATEWAY_API_KEY: 'k' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('thaipay sign: cannot read the parameters file: no such file\n');
  });

  it('too many arguments are refused without echoing them', async () => {
    const result = await run(['sign', 'jwt', 'a.json', 'my-api-key-by-mistake']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('my-api-key-by-mistake');
    expect(result.stderr).toContain('too many arguments');
  });

  it('refuses to wait on a terminal for piped input', async () => {
    const stdout = new Collector();
    const stderr = new Collector();
    const terminal = Object.assign((async function* () {})(), { isTTY: true });
    const code = await main(['sign', 'jwt'], {
      stdin: terminal,
      stdout,
      stderr,
      env: { GATEWAY_API_KEY: 'k' },
    });
    expect(code).toBe(2);
    expect(stderr.text).toContain('no parameters given: pass a file, or pipe it into stdin');
  });
});

describe('the entry file', () => {
  it('starts with the node shebang', () => {
    const first = readFileSync(new URL('../../src/cli/index.ts', import.meta.url), 'utf8').split('\n')[0];
    expect(first).toBe('#!/usr/bin/env node');
  });

  it('runs as a real process: node --import tsx src/cli/index.ts --help', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', '--help'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    expect(child.stdout).toContain('Usage: thaipay <command> [options]');
  });
});
