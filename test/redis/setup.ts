/**
 * Global setup of the Redis suite: start a throwaway redis-server on a free loopback port, with no
 * persistence, hand its port to the tests (`inject('redisPort')`), and stop it at the end.
 * A missing redis-server fails the run loudly: CI installs it, and a silently skipped suite proves nothing.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisPort: number;
  }
}

const HOST = '127.0.0.1';

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

/** One PING over a raw socket: true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

interface Started {
  child: ChildProcess;
  port: number;
}

async function startRedis(port: number): Promise<Started> {
  const child = spawn(
    'redis-server',
    ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', HOST],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString('utf8');
  });
  let failure: Error | undefined;
  child.on('error', (error: NodeJS.ErrnoException) => {
    failure =
      error.code === 'ENOENT'
        ? new Error(
            'redis-server is not on PATH. The Redis suite needs a real server: install it ' +
              '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run again.',
          )
        : error;
  });
  child.on('exit', (code) => {
    failure ??= new Error(`redis-server exited with code ${code} before answering PING:\n${output}`);
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (failure) throw failure;
    if (await ping(port)) return { child, port };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not answer PING on ${HOST}:${port} within 10 s:\n${output}`);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let started: Started | undefined;
  let lastError: unknown;
  // The free port can be taken between probing and binding; a few tries make that race harmless.
  for (let attempt = 0; attempt < 3 && !started; attempt++) {
    try {
      started = await startRedis(await freePort());
    } catch (error) {
      lastError = error;
      if (error instanceof Error && error.message.includes('not on PATH')) break;
    }
  }
  if (!started) throw lastError;
  const { child, port } = started;
  project.provide('redisPort', port);
  return () => stop(child);
}
