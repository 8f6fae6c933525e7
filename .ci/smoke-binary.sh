#!/usr/bin/env bash
# Smoke test of a built Clinicbox binary.
#
#   .ci/smoke-binary.sh dist/clinicbox-linux-x64
#   CLINICBOX_SMOKE_DATABASE_URL=postgres://127.0.0.1:5432/test .ci/smoke-binary.sh dist/clinicbox-linux-x64
#
# From an empty temporary folder (nothing beside the binary): start it on a free port with a fresh
# data folder, wait for /readyz, check /healthz, /static/app.css and /app/, send SIGTERM, expect
# exit 0, check the SQLite file with PRAGMA integrity_check, and seed the demo clinic. With
# CLINICBOX_SMOKE_DATABASE_URL set, the same run against a fresh PostgreSQL database (created
# here, dropped afterwards).
# Env: SMOKE_TIMEOUT (seconds to wait for /readyz and for the exit; default 20).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
timeout_s="${SMOKE_TIMEOUT:-20}"

fail() {
  echo "smoke: FAIL: $*" >&2
  if [[ -n "${log:-}" && -f "$log" ]]; then
    echo "---- server log ($log) ----" >&2
    tail -n 40 "$log" >&2
    echo "----" >&2
  fi
  exit 1
}
say() { echo "smoke: $*"; }

[[ $# -eq 1 ]] || { echo "usage: $0 <path to the clinicbox binary>" >&2; exit 2; }
bin="$1"
[[ "$bin" = /* ]] || bin="$PWD/$bin"
[[ -x "$bin" ]] || fail "$bin is not an executable file (build it: npm run build -- --target linux-x64)"
command -v curl >/dev/null || fail "curl is needed"
command -v node >/dev/null || fail "node is needed"

work="$(mktemp -d "${TMPDIR:-/tmp}/clinicbox-smoke.XXXXXX")"
# A copy in the empty folder: it must run with nothing beside it (no node_modules, no dist/).
cp "$bin" "$work/clinicbox"
bin="$work/clinicbox"
pid=""
pg_db=""
pg_admin_url=""
log=""

cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  if [[ -n "$pg_db" ]]; then pg_sql "DROP DATABASE IF EXISTS \"$pg_db\" WITH (FORCE)" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  node -e "const s=require('node:net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# Runs one SQL statement on the admin database (the one CLINICBOX_SMOKE_DATABASE_URL names),
# with the `postgres` package from the repository (no psql needed).
pg_sql() {
  SQL="$1" URL="$pg_admin_url" node --input-type=module -e "
    import { createRequire } from 'node:module';
    const postgres = createRequire('$repo/package.json')('postgres');
    const sql = postgres(process.env.URL, { max: 1, onnotice: () => {} });
    try { await sql.unsafe(process.env.SQL); } finally { await sql.end({ timeout: 5 }); }
  "
}

# http_get <url> → prints "<status> <body>"; status 000 when nothing answers.
http_get() {
  local body status
  body="$(curl -s -m 5 -w $'\n%{http_code}' "$1" 2>/dev/null || true)"
  status="${body##*$'\n'}"
  body="${body%$'\n'*}"
  echo "${status:-000} ${body}"
}

# run_one <label> <extra flags…>: start, check, stop. Leaves $log; sets $pid while running.
run_one() {
  local label="$1"
  shift
  local port base started now res status body
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  log="$work/$label.log"
  say "[$label] starting $(basename "$bin") in $work on port $port"
  (cd "$work" && exec "$bin" serve --port "$port" --host 127.0.0.1 --data-dir ./data --log-format json "$@") \
    >"$log" 2>&1 &
  pid=$!

  started=$(date +%s%N)
  while :; do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" || true; fail "[$label] the server exited before it was ready"; }
    res="$(http_get "$base/readyz")"
    [[ "${res%% *}" == 200 ]] && break
    now=$(date +%s%N)
    (((now - started) / 1000000000 < timeout_s)) || fail "[$label] /readyz not 200 within ${timeout_s}s (last: $res)"
    sleep 0.05
  done
  say "[$label] ready in $(((($(date +%s%N) - started)) / 1000000)) ms: ${res#* }"

  res="$(http_get "$base/healthz")"
  status="${res%% *}"
  body="${res#* }"
  [[ "$status" == 200 ]] || fail "[$label] /healthz answered $status"
  BODY="$body" node -e "const j=JSON.parse(process.env.BODY);if(j.status!=='ok')process.exit(1)" 2>/dev/null \
    || fail "[$label] /healthz is not JSON with status ok: $body"
  say "[$label] /healthz: $body"

  for path in /static/app.css /app/ /app/sw.js /app/manifest.webmanifest /app/icon-maskable-512.png \
    /api/v1/clinic /staff/login; do
    status="$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$base$path" || true)"
    [[ "$status" == 200 ]] || fail "[$label] $path answered $status"
  done
  # The patient app's hashed bundle named by the embedded index.html is embedded too.
  bundle="$(curl -s "$base/app/" | grep -o '/app/main-[a-z0-9]*\.js' | head -1)"
  [[ -n "$bundle" ]] || fail "[$label] /app/ names no main-<hash>.js"
  res="$(http_get "$base$bundle")"
  [[ "${res%% *}" == 200 ]] || fail "[$label] $bundle answered ${res%% *}"
  say "[$label] /static/app.css, the patient app (shell, bundle, service worker, manifest, icons), /api/v1/clinic and /staff/login answer 200"

  kill -TERM "$pid"
  local code=0 waited=0
  while kill -0 "$pid" 2>/dev/null; do
    ((waited < timeout_s * 20)) || fail "[$label] still running ${timeout_s}s after SIGTERM"
    sleep 0.05
    waited=$((waited + 1))
  done
  wait "$pid" || code=$?
  pid=""
  [[ "$code" == 0 ]] || fail "[$label] exit code $code after SIGTERM (expected 0)"
  say "[$label] SIGTERM → exit 0"
}

# ---------------------------------------------------------------- SQLite

run_one sqlite
db="$work/data/clinicbox.db"
[[ -f "$db" ]] || fail "[sqlite] $db was not created"
integrity="$(DB="$db" node -e "
  const Database = require('node:module').createRequire('$repo/package.json')('better-sqlite3');
  const db = new Database(process.env.DB, { readonly: true });
  console.log(db.pragma('integrity_check', { simple: true }));
  db.close();
" 2>&1)" || {
  if command -v sqlite3 >/dev/null; then
    integrity="$(sqlite3 "$db" 'PRAGMA integrity_check')"
  else
    fail "[sqlite] cannot open $db with better-sqlite3 ($integrity) and no sqlite3 CLI"
  fi
}
[[ "$integrity" == ok ]] || fail "[sqlite] PRAGMA integrity_check: $integrity"
say "[sqlite] PRAGMA integrity_check: ok"

# The demo clinic from the binary alone: its invoices and letters are PDFs drawn with the fonts
# embedded in the binary (a font it could not find would fail here, not in a clinic's first invoice).
demo_out="$("$bin" demo --data-dir "$work/demo" 2>&1)" || fail "[demo] exit $?: $demo_out"
grep -q "Demo clinic ready" <<<"$demo_out" || fail "[demo] no 'Demo clinic ready' in: $demo_out"
say "[demo] the demo clinic seeded from the binary (PDF letters with the embedded fonts)"

# ---------------------------------------------------------------- PostgreSQL

if [[ -n "${CLINICBOX_SMOKE_DATABASE_URL:-}" ]]; then
  pg_admin_url="$CLINICBOX_SMOKE_DATABASE_URL"
  pg_db="smoke_$(date +%s)_$RANDOM"
  pg_sql "CREATE DATABASE \"$pg_db\"" || fail "[postgres] cannot create database $pg_db on $pg_admin_url"
  # The binary (Bun) takes the default PostgreSQL user from $USER only, "unknown" when it is unset,
  # where Node asks the OS: name the user in the URL so the run does not depend on $USER.
  pg_url="$(U="$pg_admin_url" D="$pg_db" OSUSER="$(id -un)" node -e "
    const u = new URL(process.env.U);
    u.pathname = '/' + process.env.D;
    if (!u.username && !process.env.PGUSER) u.username = process.env.OSUSER;
    console.log(u.href);
  ")"
  rm -rf "$work/data"
  say "[postgres] fresh database $pg_db"
  run_one postgres --database-url "$pg_url"
  pg_sql "DROP DATABASE \"$pg_db\" WITH (FORCE)" || fail "[postgres] could not drop $pg_db"
  say "[postgres] dropped database $pg_db"
  pg_db=""
else
  say "[postgres] skipped (set CLINICBOX_SMOKE_DATABASE_URL=postgres://127.0.0.1:5432/test to run it)"
fi

say "PASS"
