#!/usr/bin/env bash
# Builds the whole solution and runs every test project.
# Prints one final line "N passed, M failed" (summed over all test projects); exits non-zero on any failure.
# Installs what the tests need when it is missing (Debian packages; run as root or with sudo rights).
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_pkgs=()
command -v redis-server >/dev/null 2>&1 || need_pkgs+=(redis-server)
command -v docker-compose >/dev/null 2>&1 || need_pkgs+=(docker-compose)
command -v chromium >/dev/null 2>&1 || need_pkgs+=(chromium)   # the Data Manager's browser tests
# the LMDB row of the benchmark smoke test needs the system library (the NuGet one wants a newer glibc)
[ -e /usr/lib/x86_64-linux-gnu/liblmdb.so.0 ] || ldconfig -p 2>/dev/null | grep -q liblmdb.so.0 || need_pkgs+=(liblmdb0)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_pkgs[@]}") >/dev/null 2>&1 \
    || echo "warning: could not install ${need_pkgs[*]}; tests that need them will fail"
fi

LOG=$(mktemp)
dotnet build SopOrleans.sln -c Release -nologo -v q 2>&1 | tail -30
if [ "${PIPESTATUS[0]}" -ne 0 ]; then echo "build failed"; echo "0 passed, 1 failed"; exit 1; fi

dotnet test SopOrleans.sln -c Release --no-build -nologo 2>&1 | tee "$LOG"; test_rc=${PIPESTATUS[0]}
passed=0; failed=0; seen=0
while IFS= read -r line; do
  f=$(sed -nE 's/.*Failed:[[:space:]]+([0-9]+),.*/\1/p' <<<"$line")
  p=$(sed -nE 's/.*Passed:[[:space:]]+([0-9]+),.*/\1/p' <<<"$line")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); seen=$((seen + 1))
done < <(grep -E '^(Passed|Failed)!  - Failed:' "$LOG")
rm -f "$LOG"
if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$seen" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$test_rc" -eq 0 ]
