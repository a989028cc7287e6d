#!/usr/bin/env bash
# The schema in db/schema.ts is the truth: drizzle-kit, run on a copy of db/migrations, must find
# nothing to generate. A change to db/schema.ts without its migration (npm run db:generate), or a
# hand-written migration without its snapshot (npx drizzle-kit generate --custom), fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r db/migrations "$tmp/migrations"
# drizzle-kit takes the output folder relative to the working directory.
out=$(realpath --relative-to=. "$tmp/migrations")
npx drizzle-kit generate --dialect postgresql --schema ./db/schema.ts --out "$out" >"$tmp/log" 2>&1 || {
  cat "$tmp/log"
  exit 1
}
if ! diff -rq db/migrations "$tmp/migrations" >/dev/null; then
  echo "db/schema.ts and db/migrations disagree: drizzle-kit would generate this migration:"
  for file in "$tmp"/migrations/*.sql; do
    [ -e "db/migrations/$(basename "$file")" ] || cat "$file"
  done
  echo
  echo "Run npm run db:generate and commit the migration it writes."
  exit 1
fi
echo "Migrations: db/schema.ts and db/migrations agree (drizzle-kit finds nothing to generate)."
