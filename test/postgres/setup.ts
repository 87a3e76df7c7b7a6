/**
 * Global setup of the PostgreSQL suite: initdb a throwaway cluster in a temporary directory, start it on
 * a free loopback port (trust authentication, no fsync: nothing here must survive), hand the port to the
 * tests (`inject('postgresPort')`), and stop it and delete the directory at the end.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user (Debian's
 * `postgresql` package creates it). A missing server fails the run loudly: a skipped suite proves nothing.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresPort: number;
  }
}

const HOST = '127.0.0.1';
const run = promisify(execFile);

/** Where initdb and pg_ctl are: $PG_BIN, else the newest /usr/lib/postgresql/<version>/bin (Debian). */
function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      'PostgreSQL is not installed. The PostgreSQL suite needs a real server: install it ' +
        '(Debian/Ubuntu: apt-get install postgresql) or set PG_BIN to the directory holding initdb and pg_ctl.',
    );
  }
  return join(root, versions[0] as string, 'bin');
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

const asRoot = process.getuid?.() === 0;

/** Run a PostgreSQL program, as the `postgres` user when we are root. */
function pg(bin: string, program: string, args: string[]) {
  const file = join(bin, program);
  return asRoot ? run('runuser', ['-u', 'postgres', '--', file, ...args]) : run(file, args);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'thaipay-pg-'));
  if (asRoot) chownSync(dir, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), -1);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  await pg(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  let port = 0;
  let lastError: unknown;
  // The free port can be taken between probing and binding; a few tries make that race harmless.
  for (let attempt = 0; attempt < 3 && port === 0; attempt++) {
    const candidate = await freePort();
    const options = [
      `-p ${candidate}`,
      `-c listen_addresses=${HOST}`,
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    try {
      await pg(bin, 'pg_ctl', ['-D', data, '-o', options, '-l', log, '-w', '-t', '30', 'start']);
      port = candidate;
    } catch (error) {
      lastError = new Error(`PostgreSQL did not start:\n${readLog(log)}`, { cause: error });
    }
  }
  if (port === 0) {
    rmSync(dir, { recursive: true, force: true });
    throw lastError;
  }
  project.provide('postgresPort', port);
  return async () => {
    await pg(bin, 'pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '(no server log)';
  }
}
