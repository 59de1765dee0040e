#!/usr/bin/env bash
# `make start`: the console on its embedded default: the gateway on SQLite, serving the built portal
# (/) and Kubernetes app (/k8s), with your kubeconfig's clusters, or a local test cluster.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_node
ensure_node_modules

cd "$root"
say "building the gateway and the web apps"
pnpm turbo run build --filter=@binnacle/gateway --filter=@binnacle/web-host --filter=@binnacle/web-k8s

# Local use: metrics and the OpenAPI document are served (both are off unless asked for).
export BINNACLE_METRICS=${BINNACLE_METRICS:-true}
export BINNACLE_API_DOCS=${BINNACLE_API_DOCS:-true}

# No default key anywhere: the first start makes a key file (mode 0600) and says where it is.
data=${BINNACLE_DATA_DIR:-$root/data}
export BINNACLE_DATA_DIR=$data
mkdir -p "$data"
if [ -z "${BINNACLE_KEYS:-}" ] && [ -z "${BINNACLE_KEY_FILE:-}" ]; then
  export BINNACLE_KEY_FILE=$data/keys
  if [ ! -f "$BINNACLE_KEY_FILE" ]; then
    node apps/gateway/dist/commands/key-file.js create "$BINNACLE_KEY_FILE"
    say "created the key file $BINNACLE_KEY_FILE: back it up, without it the stored credentials cannot be read"
  fi
fi
# The store holds no user yet: the gateway creates the administrator on this start.
first_run=false
if [ -z "${DATABASE_URL:-}" ] && [ ! -f "$data/binnacle.db" ]; then first_run=true; fi

# The gateway serves the two builds itself (nginx/ shows the setup with a reverse proxy).
if [ -z "${BINNACLE_WEB_DIR:-}" ]; then
  export BINNACLE_WEB_DIR=$data/web
  mkdir -p "$BINNACLE_WEB_DIR"
  ln -sfn "$root/apps/web-host/dist" "$BINNACLE_WEB_DIR/host"
  ln -sfn "$root/apps/web-k8s/dist" "$BINNACLE_WEB_DIR/k8s"
fi

# The local test cluster (like kind or minikube clusters in a kubeconfig) listens on loopback, which
# the gateway refuses by default; this embedded default allows loopback, and nothing else, explicitly.
export BINNACLE_CLUSTER_ALLOWED_CIDRS=${BINNACLE_CLUSTER_ALLOWED_CIDRS:-127.0.0.0/8,::1/128}
say "cluster servers may be on $BINNACLE_CLUSTER_ALLOWED_CIDRS (BINNACLE_CLUSTER_ALLOWED_CIDRS)"

import_kubeconfig() {
  # Refused contexts are listed with the reason; a file that cannot be read does not stop the start.
  node apps/gateway/dist/commands/import-kubeconfig.js "$1" ||
    say "could not import $1; add clusters in the console instead (Clusters → Add)"
}

# Clusters: the contexts of your kubeconfig (KUBECONFIG, else ~/.kube/config), else a local test
# cluster. Names already registered are left alone, so a second start adds nothing twice.
kubeconfigs=()
IFS=: read -r -a listed <<<"${KUBECONFIG:-}"
for file in "${listed[@]}"; do [ -f "$file" ] && kubeconfigs+=("$file"); done
if [ ${#kubeconfigs[@]} -eq 0 ] && [ -f "$HOME/.kube/config" ]; then kubeconfigs=("$HOME/.kube/config"); fi

if [ ${#kubeconfigs[@]} -gt 0 ]; then
  for file in "${kubeconfigs[@]}"; do
    say "registering the contexts of $file"
    import_kubeconfig "$file"
  done
elif command -v go >/dev/null 2>&1; then
  say "no kubeconfig found: starting the local test cluster \"local\" (the first build of its binaries takes minutes)"
  bash packages/testcluster/scripts/build.sh >/dev/null
  local_kubeconfig=$(pnpm --silent cluster up --name local)
  import_kubeconfig "$local_kubeconfig"
  say "the local test cluster keeps running after the gateway stops; \`pnpm cluster down --name local\` stops it"
else
  say "no kubeconfig found and Go is not installed, so no local test cluster: starting without a cluster"
  say "add one in the console (Clusters → Add), or install Go (or set KUBECONFIG) and run make start again"
fi

host=${BINNACLE_HOST:-127.0.0.1}
port=${BINNACLE_PORT:-8080}
case $host in 0.0.0.0 | :: | '[::]') browse_host=127.0.0.1 ;; *) browse_host=$host ;; esac
url="http://$browse_host:$port/"

# Warnings and errors only in the terminal; BINNACLE_LOG_LEVEL=info shows every request.
export BINNACLE_LOG_LEVEL=${BINNACLE_LOG_LEVEL:-warn}
say "starting the gateway"
node apps/gateway/dist/server.js &
gateway=$!
trap 'kill -TERM "$gateway" 2>/dev/null; wait "$gateway"; exit $?' INT TERM

ready=false
for _ in $(seq 1 300); do
  if ! kill -0 "$gateway" 2>/dev/null; then
    status=0
    wait "$gateway" || status=$?
    echo "the gateway stopped during its start (exit $status); see its message above" >&2
    exit $((status == 0 ? 1 : status))
  fi
  if node -e "fetch('http://$browse_host:$port/readyz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    ready=true
    break
  fi
  sleep 0.2
done
$ready || say "the gateway is not ready after a minute; it keeps trying (see its log above)"

admin=${BINNACLE_ADMIN_USER:-admin}
if [ -n "${BINNACLE_ADMIN_PASSWORD:-}" ]; then
  credentials="user \"$admin\", the password in BINNACLE_ADMIN_PASSWORD"
elif $first_run; then
  credentials="user \"$admin\", the password printed above (shown only this once)"
else
  credentials="user \"$admin\", the password from the first start (or the one you changed it to)"
fi
say "Binnacle is ready: open $url"
say "sign in with $credentials"
wait "$gateway"
