#!/usr/bin/env bash
# Checks the systemd unit in deploy/ against a built binary: `systemd-analyze verify` must print
# nothing (it only warns, exit 0, on an unknown key or a bad value, so any output fails here), and
# the unit's exposure (`systemd-analyze security`, 0–10, lower is safer) must stay at 2.0 or under.
#   .ci/check-deploy.sh dist/clinicbox-linux-x64
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $# -eq 1 ]] || { echo "usage: $0 <path to the clinicbox binary>" >&2; exit 2; }
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
[[ -x "$bin" ]] || { echo "deploy: $bin is not an executable" >&2; exit 1; }
if ! command -v systemd-analyze >/dev/null; then
  echo "deploy: systemd-analyze is missing (apt-get install systemd)" >&2; exit 1
fi
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
# The unit as shipped, but starting the binary just built (verify checks the command exists).
sed "s#^ExecStart=/usr/local/bin/clinicbox #ExecStart=$bin #" "$repo/deploy/clinicbox.service" > "$work/clinicbox.service"
grep -q "^ExecStart=$bin " "$work/clinicbox.service" || { echo "deploy: no ExecStart=/usr/local/bin/clinicbox line in the unit" >&2; exit 1; }
out="$(systemd-analyze verify "$work/clinicbox.service" 2>&1 || true)"
if [[ -n "$out" ]]; then echo "deploy: systemd-analyze verify complains:" >&2; echo "$out" >&2; exit 1; fi
if ! systemd-analyze security --offline=true --threshold=20 "$work/clinicbox.service" > "$work/security.txt" 2>&1; then
  tail -n 3 "$work/security.txt" >&2; echo "deploy: the unit's exposure is above 2.0" >&2; exit 1
fi
echo "deploy: systemd unit verified; $(tail -n 1 "$work/security.txt" | sed 's/^→ //')"
# The flags the unit starts the binary with are the binary's own.
"$bin" serve --help > "$work/help.txt"
for flag in $(grep '^ExecStart=' "$repo/deploy/clinicbox.service" | grep -o -- '--[a-z0-9-]*'); do
  grep -q -- "$flag " "$work/help.txt" || { echo "deploy: the unit passes $flag, which clinicbox serve does not know" >&2; exit 1; }
done
echo "deploy: the unit's flags are clinicbox serve's"
