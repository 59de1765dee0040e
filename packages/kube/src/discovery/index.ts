// Discovery: which resources the cluster serves, how to name them, and their OpenAPI schemas.
export { discover, type DiscoverOptions } from './discovery.ts';
export { groupRank, ResourceIndex, toResourceType } from './lookup.ts';
export {
  openApiDocument,
  openApiPaths,
  schemaFor,
  type OpenApiDocument,
  type OpenApiPaths,
  type OpenApiSchema,
} from './openapi.ts';
export type { DiscoveredResource, DiscoveryResult, FailedGroup } from './types.ts';
