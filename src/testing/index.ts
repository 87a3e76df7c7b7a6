/**
 * `thaipay/testing`: a local simulator of both providers for tests and development (Node only).
 *
 * It verifies requests with the providers' exact signature schemes (written on node:crypto, apart from
 * the SDK's own signing code), answers in their envelopes, sends signed callbacks and notifications with
 * retries, and injects the faults real integrations meet.
 *
 * @example
 * ```ts
 * import { createSandbox } from 'thaipay/testing';
 *
 * await using sandbox = await createSandbox();
 * console.log(sandbox.jwtGateway.baseUrl, sandbox.thbCollect.appId);
 * ```
 */

// Every entry exports the error classes (core/entry.ts lists them); the sandbox itself signs and verifies without them.
export * from '../core/errors';
export { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from './control-routes';
export { CALLBACK_ROUTES, HTTP_ROUTES } from './faults';
export { DEFAULT_JWT_GATEWAY_PATHS } from './jwt-gateway-routes';
export { SandboxError } from './orders';
export {
  createSandbox,
  DEFAULT_JWT_GATEWAY_RETRY_INTERVALS_MS,
  DEFAULT_THB_COLLECT_RETRY_INTERVALS_MS,
  type Sandbox,
} from './sandbox';
export { THB_ERRORS } from './thb-collect-routes';
export type * from './types';
