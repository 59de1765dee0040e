// Mount-scoped resources: sockets and disposers that must not outlive the mount.

export interface Tracker {
  openSocket(url: string): WebSocket;
  track(dispose: () => void): () => void;
  /** Closes every socket and runs every disposer. */
  closeAll(): void;
  readonly openSockets: number;
}

export function createTracker(): Tracker {
  const sockets = new Set<WebSocket>();
  const disposers = new Set<() => void>();
  return {
    openSocket(url) {
      const socket = new WebSocket(url);
      sockets.add(socket);
      socket.addEventListener('close', () => sockets.delete(socket));
      return socket;
    },
    track(dispose) {
      disposers.add(dispose);
      return () => {
        if (disposers.delete(dispose)) dispose();
      };
    },
    closeAll() {
      for (const dispose of disposers) dispose();
      disposers.clear();
      for (const socket of sockets) socket.close(1000);
      sockets.clear();
    },
    get openSockets() {
      return sockets.size;
    },
  };
}
