#!/usr/bin/env bash
# `make start`: the console on its embedded default.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_node
ensure_node_modules

cd "$root"
say "building"
pnpm turbo run build --filter=@binnacle/gateway
say "starting the gateway"
exec node apps/gateway/dist/server.js
