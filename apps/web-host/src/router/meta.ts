// What a route's meta may say, for the guard and the layout.
export {};

declare module 'vue-router' {
  interface RouteMeta {
    /** Reachable without a session (the sign-in page). */
    public?: boolean;
    /** The URL belongs to the qiankun sub-app; the layout shows its container. */
    subApp?: boolean;
  }
}
