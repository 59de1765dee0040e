#!/usr/bin/env bash
# `make test`: every check and every test, against one real local cluster shared by all packages.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_node
# The browser tests drive Debian's Chromium through Debian's nginx; nginx lives in /usr/sbin, which a
# non-root PATH may lack.
export PATH="$PATH:/usr/sbin"
ensure_apt openssl:openssl chromium:chromium nginx:nginx fonts-wqy-zenhei:fonts-wqy-zenhei
ensure_postgres
ensure_node_modules

say "building the test-cluster binaries (cached in $cache)"
bash "$root/packages/testcluster/scripts/build.sh" >/dev/null

cd "$root"
say "format, typecheck and lint"
pnpm format:check
pnpm turbo run typecheck lint

# The test bed's own tests start and stop clusters of their own: run them before the shared one.
say "test-bed tests"
pnpm --filter @binnacle/testcluster test

say "starting the shared test cluster"
cluster=ci-$$
cleanup() { pnpm --silent cluster down --name "$cluster" || true; }
trap cleanup EXIT
TEST_KUBECONFIG=$(pnpm --silent cluster up --name "$cluster")
export TEST_KUBECONFIG
TEST_KUBECONFIG_RESTRICTED=$(dirname "$TEST_KUBECONFIG")/viewer.kubeconfig
export TEST_KUBECONFIG_RESTRICTED

say "package tests"
pnpm --filter @binnacle/testcluster test:shared
pnpm turbo run test --filter='!@binnacle/testcluster' --concurrency=1
