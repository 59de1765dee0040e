export * from './connection.ts';
export * from './errors.ts';
export * from './resource.ts';
export * from './types.ts';
export * from './client.ts';
export {
  Transport,
  tlsOptions,
  type RawResponse,
  type RequestOptions,
  type TransportOptions,
} from './transport/transport.ts';
export {
  checkedLookup,
  type AddressPolicy,
  type AddressTarget,
} from './transport/address-check.ts';
export * from './watch/watch.ts';
export * from './watch/informer.ts';
export * from './config/index.ts';
export * from './streams/index.ts';
export * from './discovery/index.ts';
