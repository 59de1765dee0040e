// Who is calling and what a route demands: the auth plugin owns both (src/plugins/auth), along with
// `request.user` and `config.rbac`; rbac re-exports them so there is one definition.
export type { AuthUser, RbacExtractor, RouteRbac } from '../auth/index.js';
