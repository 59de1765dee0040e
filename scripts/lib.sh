# Shared by `make start` and `make test`: installs what the commands need, safe to run twice.
# shellcheck shell=bash
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${BINNACLE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/binnacle}
export BINNACLE_CACHE_DIR=$cache
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Debian packages, given as `cmd:pkg` pairs, installed only when missing: a pair is met by its
# command on PATH or, for packages without a command (fonts), by the package being installed.
ensure_apt() {
  local missing=()
  local pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}
    pkg=${pair#*:}
    command -v "$cmd" >/dev/null 2>&1 || apt_installed "$pkg" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  apt_install "${missing[@]}"
}

apt_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_install() {
  say "installing Debian packages: $*"
  local sudo=
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Debian's PostgreSQL server, which the gateway's tests start for the scale-out store.
ensure_postgres() {
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || apt_install postgresql
}

# pnpm at the version pinned (with its hash) in package.json, through corepack, on PATH.
ensure_pnpm() {
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  # The registry here serves pnpm without the signatures corepack checks; the sha512 pinned in
  # packageManager still verifies the download.
  export COREPACK_INTEGRITY_KEYS=0
  mkdir -p "$cache/bin"
  if [ ! -x "$cache/bin/pnpm" ]; then
    corepack enable --install-directory "$cache/bin" pnpm
  fi
  export PATH="$root/node_modules/.bin:$cache/bin:$PATH"
  (cd "$root" && pnpm --version >/dev/null)
}

ensure_node_modules() {
  ensure_pnpm
  # Native modules (better-sqlite3) compile against the installed Node's headers: their prebuilt
  # downloads are not reachable here.
  local prefix
  prefix=$(dirname "$(dirname "$(node -p process.execPath)")")
  if [ -d "$prefix/include/node" ]; then export npm_config_nodedir=$prefix; fi
  say "installing dependencies (frozen lockfile)"
  (cd "$root" && pnpm install --frozen-lockfile --prefer-offline)
}

node_version_ok() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'
}

ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! node_version_ok; then
    echo "Binnacle needs Node.js 20.19 or newer (found: $(node --version 2>/dev/null || echo none))" >&2
    exit 1
  fi
}
