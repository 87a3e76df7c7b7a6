/**
 * The small HTTP vocabulary the route modules share: what a handler gets, what it returns, and how a
 * route is found. Handlers never touch node:http, which keeps them plain functions easy to read.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { SandboxFault, SandboxHttpRoute } from './types';

/** A request as a handler sees it, body already read. */
export interface IncomingCall {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  /** The client's IP, IPv4-mapped IPv6 shortened (`::ffff:127.0.0.1` → `127.0.0.1`). */
  remoteAddress: string;
  body: string;
}

/** What a handler answers. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** A route found for a request. */
export interface ResolvedRoute {
  /** The provider route name (faults, request log); absent for the sandbox's own pages and controls. */
  route?: SandboxHttpRoute;
  handle(call: IncomingCall, fault: SandboxFault | undefined): Reply | Promise<Reply>;
}

/** Finds the route of a method and path, or `undefined` when the module does not serve the path. */
export type RouteResolver = (method: string, pathname: string) => ResolvedRoute | undefined;

/**
 * A JSON reply.
 *
 * @example
 * ```ts
 * jsonReply(200, { code: 200, message: 'Success' });
 * ```
 */
export function jsonReply(status: number, value: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

/**
 * An HTML reply.
 *
 * @example
 * ```ts
 * htmlReply(200, '<!doctype html><title>x</title>');
 * ```
 */
export function htmlReply(status: number, html: string): Reply {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
}

/**
 * The value of a header as one string (the first, when repeated).
 *
 * @example
 * ```ts
 * headerValue(call.headers, 'x-api-key');
 * ```
 */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Whether a string is an absolute http(s) URL.
 *
 * @example
 * ```ts
 * isHttpUrl('https://shop.example/callback'); // true
 * ```
 */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * `value` as a plain object, or `undefined` (arrays and null are not).
 *
 * @example
 * ```ts
 * asRecord(JSON.parse(body));
 * ```
 */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
