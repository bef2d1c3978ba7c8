import { createHash } from 'node:crypto';

/**
 * Lets the first request with a given cacheable prefix (model, tools, system) go alone, and
 * holds back the others that share it until it has answered, so they read the cache it wrote
 * instead of each writing their own. Requests whose prefix was already sent go straight through.
 */
export class PrefixGate {
  private readonly first = new Map<string, Promise<void>>();

  /** Runs `send`, after the first request with the same prefix has answered when one is in flight. */
  async pass<T>(prefix: unknown, send: () => Promise<T>): Promise<T> {
    const key = createHash('sha256').update(JSON.stringify(prefix)).digest('hex');
    const inFlight = this.first.get(key);
    if (inFlight) {
      await inFlight;
      return send();
    }
    let open!: () => void;
    this.first.set(key, new Promise<void>((resolve) => (open = resolve)));
    try {
      return await send();
    } finally {
      open();
    }
  }
}
