#!/usr/bin/env bash
# Prints the reliability summary (issue 8): one row per fault scenario, collected from the
# target/reliability/*.tsv files the fault tests write (io.frameflow.testkit.ReliabilityReport).
# Exits 1 when a row reports a lost or duplicated record, or when no row was found.
#
#   scripts/reliability-summary.sh [--markdown]
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(find . -path '*/target/reliability/*.tsv' -not -path './run/*' | sort)
if [[ ${#files[@]} -eq 0 ]]; then
    echo "reliability-summary: no target/reliability/*.tsv found (run mvn verify first)" >&2
    exit 1
fi
markdown=false
[[ "${1:-}" == "--markdown" ]] && markdown=true
{
    head -n 1 "${files[0]}"
    for f in "${files[@]}"; do tail -n +2 "$f"; done
} | awk -F'\t' -v md="$markdown" '
    NR == 1 { n = NF; for (i = 1; i <= NF; i++) head[i] = $i; next }
    {
        rows++
        for (i = 1; i <= n; i++) cell[rows, i] = $i
        for (i = 3; i <= 8; i++) total[i] += $i
        if ($7 != 0 || $8 != 0) bad = bad "  " $1 ": duplicated " $7 ", lost " $8 "\n"
    }
    END {
        rows++
        cell[rows, 1] = "total"; cell[rows, 2] = ""; cell[rows, 9] = ""
        for (i = 3; i <= 8; i++) cell[rows, i] = total[i]
        for (i = 1; i <= n; i++) { w[i] = length(head[i]); for (r = 1; r <= rows; r++) if (length(cell[r, i]) > w[i]) w[i] = length(cell[r, i]) }
        if (md == "true") {
            line = "|"; sep = "|"
            for (i = 1; i <= n; i++) { line = line " " head[i] " |"; sep = sep ((i >= 3 && i <= 8) ? "---:|" : "---|") }
            print line; print sep
            for (r = 1; r <= rows; r++) {
                line = "|"
                for (i = 1; i <= n; i++) line = line " " (r == rows && cell[r, i] != "" ? "**" cell[r, i] "**" : cell[r, i]) " |"
                print line
            }
        } else {
            print "Reliability summary (faults injected, every record accounted for)"
            for (i = 1; i <= n; i++) printf (i >= 3 && i <= 8 ? "%" w[i] "s  " : "%-" w[i] "s  "), head[i]; printf "\n"
            for (r = 1; r <= rows; r++) {
                for (i = 1; i <= n; i++) printf (i >= 3 && i <= 8 ? "%" w[i] "s  " : "%-" w[i] "s  "), cell[r, i]
                printf "\n"
            }
        }
        if (bad != "") { printf "LOST OR DUPLICATED RECORDS:\n%s", bad > "/dev/stderr"; exit 1 }
    }'
