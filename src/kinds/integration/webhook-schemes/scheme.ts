import type { WebhookScheme } from '../catalog/schema.js';

/** What a scheme's verify body is given: the catalog facts, and the header names as string literals. */
export interface SchemeContext {
  scheme: WebhookScheme;
  /** The signature header's name, as a JSON string literal. */
  sig: string;
  /** The timestamp header's name, as a JSON string literal (`""` when there is none). */
  ts: string;
  /** Lines refusing a delivery that lacks a header the official SDK insists on (Shopify). */
  required: string;
}

/**
 * One webhook signature scheme, as the generated handler's code: one file per scheme in this
 * folder, registered in `registry.ts`. Each mirrors what the official SDK's verify function
 * accepts (SERVICES.md says where each was read); the test suite compares them against the SDKs.
 */
export interface SchemeTemplate {
  /** The node:crypto names the verify body uses. */
  cryptoImports: string[];
  /** Module-level declarations the verify body needs, beyond `header`, `safeJson` and `safeEqual`. */
  helpers?: string;
  /** Statements run after verification and before parsing events: a handshake that needs its own reply. */
  challenge?: string;
  /** The body of the generated `async verify(request): Promise<boolean>` method. */
  verifyBody(context: SchemeContext): string;
}
