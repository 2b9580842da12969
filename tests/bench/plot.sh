#!/bin/sh
# SPDX-License-Identifier: MIT
# plot.sh: an SVG bar chart of the ratios to native in a `make bench` table.
#
#   sh tests/bench/plot.sh [TABLE.md [OUT.svg]]
#
# Defaults: $EFSAP_BUILD/bench/table.md and ratios.svg beside it.  One group
# of horizontal bars per workload (efsap first, then each peer), on a log
# scale; a red tick marks efsap's goal, the dashed line is native (1.0).
md=${1:-${EFSAP_BUILD:?set EFSAP_BUILD or name the table}/bench/table.md}
out=${2:-$(dirname "$md")/ratios.svg}
[ -r "$md" ] || { echo "plot: cannot read $md" >&2; exit 1; }
awk -F'|' '
function trim(s) { gsub(/^ +| +$/, "", s); return s }
function xof(r) { return x0 + (log(r) / log(10) - lmin) / (lmax - lmin) * w }
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
/^\| workload/ {
	for (i = 2; i < NF; i++) h[i] = trim($i)
	nh = NF - 1; next
}
/^\|---/ { next }
/^\|/ && nh {
	wl = trim($2); unit = trim($3)
	if (unit == "KiB") next
	n++; name[n] = wl
	lim[n] = 0
	g = trim($7); if (match(g, /<= [0-9.]+/)) lim[n] = substr(g, RSTART + 3, RLENGTH - 3) + 0
	k = 0
	for (i = 6; i <= nh; i++) {
		if (i == 7 || (i > 7 && h[i] !~ /\/native$/)) continue	# goals, efsap/before
		k++; lab[k] = (i == 6) ? "efsap" : h[i]; sub(/\/native$/, "", lab[k])
		v = trim($i); sub(/ .*/, "", v)
		val[n, k] = (v ~ /^[0-9.]+$/) ? v + 0 : -1
		if (val[n, k] > vmax) vmax = val[n, k]
	}
	nk = k; next
}
END {
	if (!n) { print "plot: no rows" > "/dev/stderr"; exit 1 }
	split("#1f77b4 #ff7f0e #2ca02c #9467bd #8c564b", col, " ")
	bh = 9; gap = 8; x0 = 330; w = 560
	lmin = log(0.5) / log(10); lmax = log(vmax > 4 ? vmax * 1.3 : 5) / log(10)
	gh = nk * bh + gap; top = 40; H = top + n * gh + 60; W = x0 + w + 40
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n", W, H
	printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
	printf "<text x=\"10\" y=\"20\" font-size=\"14\">Time ratio to native (log scale, lower is better); red tick: efsap goal</text>\n"
	for (t = 0.5; t <= 10 ^ lmax; t = (t < 1 ? 1 : t < 2 ? 2 : t < 5 ? 5 : t * 2)) {
		x = xof(t)
		printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" %s/>\n", x, top - 5, x, top + n * gh, t == 1 ? "black" : "#ddd", t == 1 ? "stroke-dasharray=\"4,3\"" : ""
		printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n", x, top + n * gh + 14, t
	}
	for (i = 1; i <= n; i++) {
		y = top + (i - 1) * gh
		printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", x0 - 6, y + nk * bh / 2 + 4, esc(name[i])
		for (k = 1; k <= nk; k++) {
			v = val[i, k]; yy = y + (k - 1) * bh
			if (v < 0) {
				printf "<text x=\"%d\" y=\"%.1f\" fill=\"%s\" font-size=\"9\">error/none</text>\n", x0 + 4, yy + bh - 1, col[k]
				continue
			}
			printf "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s %.2f</title></rect>\n", x0, yy, xof(v > 0.5 ? v : 0.5) - x0, bh - 1, col[k], lab[k], v
			printf "<text x=\"%.1f\" y=\"%.1f\" font-size=\"9\">%.2f</text>\n", xof(v > 0.5 ? v : 0.5) + 3, yy + bh - 1, v
		}
		if (lim[i] > 0)
			printf "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"red\" stroke-width=\"2\"/>\n", xof(lim[i]), y - 2, xof(lim[i]), y + bh + 1
	}
	for (k = 1; k <= nk; k++) {
		lx = x0 + (k - 1) * 110
		printf "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n", lx, H - 22, col[k], lx + 14, H - 13, lab[k]
	}
	print "</svg>"
}' "$md" >"$out" && echo "plot: $out" >&2
