/**
 * What every provider entry exports besides its own API: the error classes, the per-call options, the
 * webhook plumbing and the shared types. One list, so the entries cannot drift apart.
 */

export type { PaymentStatus } from '../status';
export type { CryptoProvider, HmacSha256, RsaSha256Verifier } from './crypto/types';
export * from './errors';
export type { RequestOptions } from './request-options';
export type { TransportHooks } from './transport';
export {
  createMemoryDedupeStore,
  type DedupeClaim,
  type NodeHandlerOptions,
  type NodeLikeRequest,
  type NodeLikeResponse,
  type TransactionalWebhookInbox,
  toNodeHandler,
  type WebhookBody,
  type WebhookDedupeStore,
  type WebhookEventContext,
} from './webhooks';
