#!/usr/bin/env bash
# Installs what the tests need where it can, builds the solution (warnings are errors) and runs every
# test project. Ends with one plain line "N passed, N failed, N skipped" totalled over all assemblies.
set -euo pipefail
cd "$(dirname "$0")"

# Browser tests drive the system Chromium; the engine's tests use Fashion-MNIST when it is installed; the
# Infrastructure tests' PostgreSQL variants start their own server from Debian's binaries.
if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  need_chromium=false
  need_dataset=false
  need_torch=false
  need_postgresql=false
  [[ -x /usr/bin/chromium ]] || need_chromium=true
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || need_postgresql=true
  [[ -d /usr/share/datasets/fashion-mnist ]] || need_dataset=true
  # The PyTorch import tests write a state_dict with Debian's PyTorch at test time.
  dpkg -s python3-torch >/dev/null 2>&1 || need_torch=true
  if $need_chromium || $need_dataset || $need_torch || $need_postgresql; then
    apt-get update
  fi
  if $need_chromium; then
    apt-get install -y --no-install-recommends chromium
  fi
  if $need_postgresql; then
    apt-get install -y --no-install-recommends postgresql \
      || echo "test.sh: postgresql is not available here; the PostgreSQL test variants will skip and say why."
  fi
  if $need_dataset; then
    apt-get install -y --no-install-recommends dataset-fashion-mnist \
      || echo "test.sh: dataset-fashion-mnist is not available here; tests that need it will say so."
  fi
  if $need_torch; then
    apt-get install -y --no-install-recommends python3-torch \
      || echo "test.sh: python3-torch is not available here; the PyTorch import tests will skip and say why."
  fi
fi

# The browser suite's accessibility check injects axe-core from npm.
if [[ ! -f tests/FTLPortal.Browser.Tests/axe/node_modules/axe-core/axe.min.js ]] && command -v npm >/dev/null 2>&1; then
  npm install --prefix tests/FTLPortal.Browser.Tests/axe --no-audit --no-fund
fi

results=TestResults
rm -rf "$results"

dotnet build FTLPortal.sln -c Release

# One dotnet test per project, each with its own TRX file: default TRX names are timestamps, which
# two assemblies finishing in the same second would share.
status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  set +e
  dotnet test "$project" -c Release --no-build \
    --results-directory "$results" \
    --logger "trx;LogFileName=${name}.trx" \
    --logger "console;verbosity=normal"
  code=$?
  set -e
  [[ $code -eq 0 ]] || status=$code
done

passed=0
failed=0
skipped=0
reports=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters="$(grep -o '<Counters [^>]*' "$trx" | head -n 1 || true)"
  [[ -n "$counters" ]] || continue
  reports=$((reports + 1))
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters" | head -n 1; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  # xunit's skipped tests are counted in total but not in executed (its TRX leaves notExecuted at 0).
  skipped=$((skipped + $(count total) - $(count executed)))
done

if [[ $reports -eq 0 ]]; then
  echo "test.sh: no test results were written to $results" >&2
  [[ $status -ne 0 ]] || status=1
fi

# Name the failures last, so a truncated CI log still shows which tests failed.
for trx in "$results"/*.trx; do
  grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"' "$trx" \
    | sed -n 's/.* testName="\([^"]*\)".*/FAILED: \1/p' || true
done

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit $status
