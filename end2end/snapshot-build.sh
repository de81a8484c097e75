#!/usr/bin/env bash
# Copies the current cargo-leptos build into $1 so Playwright can run against it (E2E_BUILD_DIR=$1)
# while the working tree is rebuilt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="${1:?usage: snapshot-build.sh DIR}"
mkdir -p "$dest"
rm -rf "$dest/site" "$dest/lean-merchant"
cp "$root/target/debug/lean-merchant" "$dest/lean-merchant"
cp -r "$root/target/site" "$dest/site"
echo "snapshot in $dest: E2E_BUILD_DIR=$dest npx playwright test ..."
