/**
 * The answers of the faults that answer (`5xx`, `429`, `html`), dressed as each provider's stack would
 * send them: the JWT gateway's `{code, message}` JSON, and for THB collect the Spring Boot error JSON
 * its Java backend produces when a request never reaches the API code.
 */
import { jsonReply, type Reply } from './http';
import type { SandboxFault, SandboxHttpRoute } from './types';

const REASONS: Record<number, string> = {
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The page nginx answers when the upstream is down: what `html` sends. */
export const NGINX_502_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

function errorBody(route: SandboxHttpRoute, status: number, path: string, nowMs: number): unknown {
  const reason = REASONS[status] ?? 'Error';
  if (route.startsWith('jwt:')) {
    return { code: status, message: status === 500 ? 'Internal server error' : reason };
  }
  return { timestamp: new Date(nowMs).toISOString(), status, error: reason, path };
}

/**
 * The reply of an answering fault, or `undefined` for faults that do not answer before processing.
 *
 * @example
 * ```ts
 * faultReply({ route: 'jwt:deposit', fault: '429', remaining: 0, retryAfterSeconds: 2 }, '/api/v1/deposit', Date.now());
 * ```
 */
export function faultReply(fault: SandboxFault, path: string, nowMs: number): Reply | undefined {
  const route = fault.route as SandboxHttpRoute;
  switch (fault.fault) {
    case '5xx': {
      const status = fault.status ?? 500;
      return jsonReply(status, errorBody(route, status, path, nowMs));
    }
    case '429':
      return jsonReply(429, errorBody(route, 429, path, nowMs), {
        'retry-after': String(fault.retryAfterSeconds ?? 1),
      });
    case 'html':
      return { status: 502, headers: { 'content-type': 'text/html' }, body: NGINX_502_PAGE };
    default:
      return undefined;
  }
}

/**
 * A reply cut in half, as a proxy dropping the connection mid-body would leave it (`malformed-json`).
 *
 * @example
 * ```ts
 * truncateReply(jsonReply(200, { code: 200 })); // body '{"code'
 * ```
 */
export function truncateReply(reply: Reply): Reply {
  return { ...reply, body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) };
}
