#!/usr/bin/env bash
# npm test: type check, build, unit and integration tests (vitest), end-to-end tests (Playwright
# in Debian's Chromium, browser mode), each test process under a throwaway gnome-keyring session.
# Installs nothing: it says what is missing. Ends with `N passed, N failed, N skipped`.
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=("chromium (Debian package: chromium)")
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=("gnome-keyring-daemon (Debian package: gnome-keyring)")
command -v dbus-run-session >/dev/null 2>&1 || missing+=("dbus-run-session (Debian package: dbus)")
# Read the whole library list into a variable: `ldconfig -p | grep -q` under pipefail fails at
# random when grep stops reading early and ldconfig dies of SIGPIPE.
libraries="$(ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null || true)"
[[ "$libraries" == *libsecret-1.so.0* ]] || missing+=("libsecret (Debian package: libsecret-1-0)")
[ -d node_modules ] || missing+=("node_modules (run: npm ci)")
# As root the test clusters run as 'postgres', and embedded PostgreSQL's binaries are in this checkout.
if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$PWD"; then
  missing+=("access for the 'postgres' user to $PWD (a folder above it is closed to others, e.g. /tmp at 0700: chmod o+x on it, or clone elsewhere; .ci/run does it)")
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "npm test cannot run; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "Install the Debian packages with: apt-get install --no-install-recommends chromium gnome-keyring dbus libsecret-1-0 (.ci/run does all of it)" >&2
  exit 1
fi

# The throwaway HOME under with-keyring has no npm config: keep npm from checking for updates.
export npm_config_update_notifier=false

results=test-results
mkdir -p "$results"
rm -f "$results/typecheck.status" "$results/vitest.json" "$results/playwright.json" "$results/leftovers.txt"

# Every temp folder the tests make goes below one of this run's own, so that what they leave behind
# can be told from what other programs on the machine make meanwhile (scripts/leftovers.mjs).
# As root the test clusters run as 'postgres', which must be able to walk into their folders: the
# run's folder is 0755, below a temp folder that user may enter (some machines make /tmp 0700; then
# /var/tmp, which the Filesystem Hierarchy Standard keeps world-writable).
tmp_parent="${TMPDIR:-/tmp}"
if [ "$(id -u)" -eq 0 ] && id postgres >/dev/null 2>&1 && ! runuser -u postgres -- test -x "$tmp_parent"; then
  echo "The 'postgres' user cannot enter $tmp_parent: this run's temp folder goes in /var/tmp."
  tmp_parent=/var/tmp
fi
run_tmp="$(mktemp -d -p "$tmp_parent" avia-test-run.XXXXXX)"
chmod 0755 "$run_tmp"
touch "$results/run-started"
trap 'rm -rf "$run_tmp"' EXIT
export TMPDIR="$run_tmp"

echo "== type check (one tsc per environment, and areas import nothing from one another)"
if npx tsx scripts/typecheck.ts; then echo passed >"$results/typecheck.status"; else echo failed >"$results/typecheck.status"; fi

echo "== build (electron-vite build)"
if npx electron-vite build; then
  built=true
else
  built=false
  echo "The build failed: the end-to-end tests cannot run." >&2
fi

echo "== unit and integration tests (vitest)"
bash scripts/with-keyring.sh npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"

if [ "$built" = true ]; then
  echo "== end-to-end tests (Playwright, Chromium, browser mode)"
  PLAYWRIGHT_JSON_OUTPUT_FILE="$PWD/$results/playwright.json" bash scripts/with-keyring.sh npx playwright test
fi

echo "== temp files left behind"
node scripts/leftovers.mjs "$run_tmp" "$results/run-started" "$results/leftovers.txt"

node scripts/test-summary.mjs "$results"
