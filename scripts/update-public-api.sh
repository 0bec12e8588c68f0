#!/usr/bin/env bash
# Rewrites the PublicAPI.Unshipped.txt of every project under src/ from the code as it is now, so that the build's
# public-API check (Microsoft.CodeAnalysis.PublicApiAnalyzers: RS0016 "not declared", RS0017 "declared but gone")
# passes again. Run it after a deliberate change to the public API, then review `git diff -- '*PublicAPI*.txt'`: that
# diff is the API change. PublicAPI.Shipped.txt (the surface of the last release) is never touched; move the Unshipped
# lines into it when a version ships. See docs/public-api.md.
#
# How: every Unshipped file is emptied, the solution is built once with RS0016/RS0017 as plain warnings (so that a
# library's missing entries do not stop the projects that depend on it from building), and each RS0016 diagnostic's
# symbol — written by the analyzer in the very format of the API files — becomes one line of its project's file.
# A second build checks that nothing is left. (`dotnet format analyzers --diagnostics RS0016` does the same through
# the analyzer's code fix, but takes minutes per project.)
#
# Usage: scripts/update-public-api.sh [SOLUTION]   (default: ContrastiveNE.sln; every src/ project must be in it)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
target="${1:-ContrastiveNE.sln}"
header='#nullable enable'
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

for project in src/*/*.csproj; do
    dir="$(dirname "$project")"
    [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '%s\n' "$header" > "$dir/PublicAPI.Shipped.txt"
    printf '%s\n' "$header" > "$dir/PublicAPI.Unshipped.txt"
done

# The global properties override Directory.Build.props, so RS0016 stays a warning and every project builds.
dotnet build "$target" --no-incremental -nologo -v q -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= > "$log" 2>&1 || {
    grep -E ' error ' "$log" | sort -u >&2 || true
    echo "update-public-api: the build failed for another reason (above); fix that first." >&2
    exit 1
}

# "…/File.cs(12,5): warning RS0016: Symbol 'NAME' is not part of the declared public API (…) […/Project.csproj]"
/usr/bin/env python3 - "$log" "$root" "$header" <<'PY'
import collections, os, re, sys
log, root, header = sys.argv[1], sys.argv[2], sys.argv[3]
pattern = re.compile(r"RS0016: Symbol '(.*)' is not part of the declared public API .*\[(.+?\.csproj)\]\s*$")
entries = collections.defaultdict(set)
for line in open(log, encoding="utf-8", errors="replace"):
    m = pattern.search(line.rstrip("\n"))
    if m:
        entries[os.path.dirname(m.group(2))].add(m.group(1))
for directory, names in sorted(entries.items()):
    path = os.path.join(directory, "PublicAPI.Unshipped.txt")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(header + "\n")
        for name in sorted(names, key=lambda s: (s.lower(), s)):
            f.write(name + "\n")
    print(f"{os.path.relpath(path, root)}: {len(names)} entries")
PY

# Check: the normal build (RS0016/RS0017 as errors) must be clean now; an RS0017 here means a Shipped symbol is gone.
if dotnet build "$target" -nologo -v q > "$log" 2>&1; then
    echo "public API files are up to date; review: git diff -- 'src/*/PublicAPI.*.txt'"
    exit 0
fi
grep -E 'RS001[67]| error ' "$log" | sort -u >&2 || true
echo "update-public-api: the build still fails (above)." >&2
exit 1
