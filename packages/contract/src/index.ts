export * from './resources.ts';
export * from './live.ts';
export * from './streams.ts';
export * from './mount.ts';
export * from './auth.ts';
export * from './http.ts';
export * from './clusters.ts';
export { decodeMessage } from './decode.ts';
