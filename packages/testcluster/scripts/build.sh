#!/usr/bin/env bash
# Builds the test-cluster binaries from the pinned Go modules in ../go into a cache outside the
# checkout, keyed by the module files and the Go version, so that only the first build is slow.
# Prints the bin directory on the last line of stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
gomods="$here/go"

if ! command -v go >/dev/null 2>&1; then
  echo "testcluster: Go is not installed; it is needed to build the test cluster" >&2
  exit 3
fi

cache_root=${BINNACLE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/binnacle}
key=$( (go env GOVERSION; cat "$0" "$gomods"/*/go.mod "$gomods"/*/go.sum) | sha256sum | cut -c1-16)
bin="$cache_root/testcluster/$key/bin"
mkdir -p "$bin"

# Go's own caches live outside the checkout too; respect the caller's if set.
export GOCACHE=${GOCACHE:-$cache_root/go-build}
export GOMODCACHE=${GOMODCACHE:-$(go env GOMODCACHE)}
export GOFLAGS=-mod=mod
export CGO_ENABLED=0
export GOTOOLCHAIN=local

# module dir | package | output name
targets=(
  "etcd|go.etcd.io/etcd/server/v3|etcd"
  "kube|k8s.io/kubernetes/cmd/kube-apiserver|kube-apiserver"
  "kube|k8s.io/kubernetes/cmd/kube-controller-manager|kube-controller-manager"
  "kube|k8s.io/kubernetes/cmd/kube-scheduler|kube-scheduler"
  "kube|k8s.io/kubernetes/cmd/kubectl|kubectl"
  "kwok|sigs.k8s.io/kwok/cmd/kwok|kwok"
  "metrics-server|sigs.k8s.io/metrics-server/cmd/metrics-server|metrics-server"
)

# Kubernetes binaries report their release (for discovery and `kubectl version`) only when told.
kube_version=$(cd "$gomods/kube" && go list -m -f '{{.Version}}' k8s.io/kubernetes)
case "$kube_version" in
  v1.*) ;;
  *) echo "testcluster: FAILED to read the Kubernetes version from go/kube/go.mod" >&2; exit 1 ;;
esac
kube_minor=$(echo "$kube_version" | cut -d. -f2)
kube_ldflags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$kube_minor"
  kube_ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
done

for t in "${targets[@]}"; do
  IFS='|' read -r dir pkg name <<<"$t"
  if [ -x "$bin/$name" ]; then
    continue
  fi
  echo "testcluster: building $name ($pkg)" >&2
  start=$(date +%s)
  if ! (cd "$gomods/$dir" && go mod download) >&2; then
    echo "testcluster: FAILED to download the modules of $name (step: go mod download in go/$dir)" >&2
    exit 1
  fi
  # -trimpath and no debug info keep the cache small; a temporary name makes the step atomic.
  ldflags="-s -w"
  [ "$dir" = kube ] && ldflags+="$kube_ldflags"
  if ! (cd "$gomods/$dir" && go build -trimpath -ldflags="$ldflags" -o "$bin/.$name.tmp" "$pkg") >&2; then
    rm -f "$bin/.$name.tmp"
    echo "testcluster: FAILED to build $name (step: go build $pkg in go/$dir)" >&2
    exit 1
  fi
  if [ ! -x "$bin/.$name.tmp" ]; then
    rm -f "$bin/.$name.tmp"
    echo "testcluster: FAILED to build $name (step: go build $pkg produced no command)" >&2
    exit 1
  fi
  mv "$bin/.$name.tmp" "$bin/$name"
  echo "testcluster: built $name in $(($(date +%s) - start)) s" >&2
done

echo "$bin"
