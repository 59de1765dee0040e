#!/usr/bin/env bash
# `make start`: the console on its embedded default.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_node
ensure_node_modules

cd "$root"
say "building"
pnpm turbo run build --filter=@binnacle/gateway
# No default key anywhere: the first start makes a key file (mode 0600) and says where it is.
data=${BINNACLE_DATA_DIR:-$root/data}
export BINNACLE_DATA_DIR=$data
if [ -z "${BINNACLE_KEYS:-}" ] && [ -z "${BINNACLE_KEY_FILE:-}" ]; then
  export BINNACLE_KEY_FILE=$data/keys
  if [ ! -f "$BINNACLE_KEY_FILE" ]; then
    node apps/gateway/dist/commands/key-file.js create "$BINNACLE_KEY_FILE"
    say "created the key file $BINNACLE_KEY_FILE: back it up, without it the stored credentials cannot be read"
  fi
fi

say "starting the gateway"
exec node apps/gateway/dist/server.js
