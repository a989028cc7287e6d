#!/usr/bin/env bash
# npm run bench:web-floor: the JavaScript a Next.js app of this version ships before any code of
# ours. Builds, in a scratch folder, an app with two pages, one <Link> and no client component, on
# this checkout's node_modules (hard-linked), and prints the compressed bytes of the scripts its
# home page loads (the `nomodule` polyfills excepted: modern browsers skip them), counted as
# `next start` sends them. Compare with `npm run bench:web`'s JS column (which also counts each
# response's headers, a few hundred bytes a script).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/web-floor.XXXXXX")
port=${WEB_FLOOR_PORT:-3292}
cleanup() { [ -n "${pgid:-}" ] && kill -- -"$pgid" 2>/dev/null || true; rm -rf "$scratch"; }
trap cleanup EXIT

scripts_bytes() { # $1: page URL → prints the total compressed bytes of its module scripts
  local base=${1%/*}
  curl -s "$1" | grep -o '<script[^>]*src="[^"]*"[^>]*>' | grep -v noModule | grep -o 'src="[^"]*"' |
    sed 's/src="//;s/"$//' | while read -r src; do
      curl -s --compressed -o /dev/null -w '%{size_download}\n' "http://127.0.0.1:$2$src"
    done | awk '{ s += $1 } END { printf "%.1f", s / 1024 }'
}

wait_for() { for _ in $(seq 1 60); do curl -sf -o /dev/null "$1" && return 0; sleep 0.5; done; return 1; }

mkdir -p "$scratch/app/b"
cp -al "$root/node_modules" "$scratch/node_modules"
echo '{ "name": "web-floor", "private": true }' > "$scratch/package.json"
echo 'module.exports = {};' > "$scratch/next.config.js"
cat > "$scratch/app/layout.tsx" <<'TSX'
export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (<html lang="fr"><body>{children}</body></html>);
}
TSX
cat > "$scratch/app/page.tsx" <<'TSX'
import Link from 'next/link';
export default function Page() { return <main><h1>Bonjour</h1><Link href="/b">b</Link></main>; }
TSX
echo 'export default function Page() { return <p>b</p>; }' > "$scratch/app/b/page.tsx"
(cd "$scratch" && NEXT_TELEMETRY_DISABLED=1 node node_modules/next/dist/bin/next build > build.log 2>&1)
setsid node "$scratch/node_modules/next/dist/bin/next" start "$scratch" -p "$port" > "$scratch/start.log" 2>&1 &
pgid=$!
wait_for "http://127.0.0.1:$port/"
version=$(node -p "require('$root/node_modules/next/package.json').version")
echo "Next.js $version, empty app: $(scripts_bytes "http://127.0.0.1:$port/" "$port") KB of JavaScript (compressed)"

