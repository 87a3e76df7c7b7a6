/**
 * The dedupe lease contract of the webhook handlers (issue 12, item 4), declared here until
 * src/core/webhooks.ts exports it; the shapes are identical, so the two are interchangeable.
 */

/** The answer to a claim: this caller holds the lease, another does, or the event was handled. */
export type DedupeClaim =
  | { readonly state: 'claimed'; readonly token: string }
  | { readonly state: 'in_flight' }
  | { readonly state: 'done' };

/** A dedupe store with lease semantics: claim for a short lease, complete for the long TTL, or release. */
export interface WebhookDedupeStore {
  claim(key: string, leaseSeconds: number): DedupeClaim | Promise<DedupeClaim>;
  complete(key: string, token: string, ttlSeconds: number): void | Promise<void>;
  release(key: string, token: string): void | Promise<void>;
}

/** An inbox that runs the merchant's code and records the event in one database transaction. */
export interface TransactionalWebhookInbox<Db> {
  handleOnce(
    key: string,
    run: (db: Db) => Promise<void>,
    options: { leaseSeconds: number; ttlSeconds: number },
  ): Promise<'handled' | 'duplicate' | 'in_flight'>;
}
