// Tells other tabs of the same origin that a collection changed, and hears them.
export class TabChannel {
  private readonly channel: BroadcastChannel | null;
  private readonly listeners = new Set<(collection: string) => void>();
  private closed = false;

  constructor(databaseName: string) {
    this.channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`pagesense:${databaseName}`) : null;
    this.channel?.addEventListener('message', (e: MessageEvent<{ collection?: unknown }>) => {
      if (typeof e.data?.collection === 'string') for (const l of this.listeners) l(e.data.collection);
    });
  }

  announce(collection: string): void {
    if (!this.closed) this.channel?.postMessage({ collection });
  }

  /** Calls back with the collection another tab changed; returns an unsubscribe function. */
  listen(listener: (collection: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.channel?.close();
  }
}
