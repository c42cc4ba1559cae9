#!/usr/bin/env bash
# Every test, from nothing: the same command the README gives and CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "system packages (Chromium, PostgreSQL)"
bash scripts/system-deps.sh

step "lint"
npx eslint .
npx prettier --check . >/dev/null || { npx prettier --check .; exit 1; }

step "typecheck and build"
npm run build
npx tsc -p tests

step "unit and HTTP tests"
npx vitest run
