#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh: `make bench`: efsap against native (and fakeroot, fakechroot,
# proot when installed) on one machine, in interleaved rounds.
#
#   EFSAP_BUILD=/abs/build sh tests/bench/run.sh
#
# Environment: BENCH_ROUNDS (5), BENCH_D (20 directories), BENCH_F (500
# files per directory), BENCH_PEERS (default: every installed one of
# "fakeroot fakechroot proot"; "none" for none), BENCH_TASK_USER (0:0),
# BENCH_OUTSIDE (/usr/bin/env), BENCH_TMP (scratch parent: /dev/shm),
# BENCH_PEER_NOUT (20000: outside stats under fakeroot and proot, whose
# 50-150 us per call would otherwise take most of the run; rates compare),
# EFSAP_BUILD_BEFORE (another build directory, absolute: run it too, as
# configuration "before", and judge every workload of this build against
# it, within 10%).
#
# Per round (a fresh tree each time), for each configuration in turn (the
# order rotates by one each round): metabench's phases on the tree, process
# start (a shell running /bin/true 1,000 times) and the real programs on a
# 10,000-file archive: tar -x, ls -lR, find -ls, cp -a, rm -rf.  Medians and
# ratios to native from this run are printed as a table; raw results, logs
# and the table (Markdown) go to $EFSAP_BUILD/bench/.
: "${EFSAP_BUILD:?set EFSAP_BUILD to the build directory (absolute)}"
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
B=$EFSAP_BUILD
ROUNDS=${BENCH_ROUNDS:-5}
D=${BENCH_D:-20}
F=${BENCH_F:-500}
TASK_USER=${BENCH_TASK_USER:-0:0}
OUTSIDE=${BENCH_OUTSIDE:-/usr/bin/env}
NSTART=1000
NOUT=200000
PEER_NOUT=${BENCH_PEER_NOUT:-20000}
AP_UID=1000
OUT=$B/bench
MB=$B/metabench
EFSAP=$B/efsap

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

# --- the table ----------------------------------------------------------------
# Medians over the rounds; ratio = native ops/s / config ops/s (metabench
# phases) or config seconds / native seconds (programs): > 1 is slower.
# With a "before" configuration, a last column gives efsap/before.
print_table() {
awk -v configs="$CONFIGS" -v machine="$MACHINE" -v runinfo="$RUNINFO" \
    -v md="$OUT/table.md" -v errfile="$ERR" -v nstart="$NSTART" \
    -v ntree="$((D * F))" -v rounds="$ROUNDS" '
function median(k,    i, j, m, x, a) {
	m = n[k]
	if (m == 0) return ""
	for (i = 1; i <= m; i++) a[i] = v[k, i]
	for (i = 2; i <= m; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
	return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
function add(k, x) { n[k]++; v[k, n[k]] = x }
function rate(x) { return x >= 1e6 ? sprintf("%.2fM", x / 1e6) : x >= 1e3 ? sprintf("%.1fk", x / 1e3) : sprintf("%.0f", x) }
function failed(c, w) { return ((c SUBSEP w) in bad) || n[c SUBSEP w] == 0 }
# value of workload w under config c (a rate, or seconds), "" on error
function val(c, w,   m) {
	if (failed(c, w)) return ""
	m = median(c SUBSEP w)
	return kind[w] == "phase" ? ops[c SUBSEP w] / m : m
}
function ratio(c, w,   a, b) {
	a = val("native", w); b = val(c, w)
	if (a == "" || b == "" || a == 0 || b == 0) return ""
	return kind[w] == "phase" ? a / b : b / a
}
function shown(c, w,   x) {
	x = val(c, w)
	if (x == "") return "error"
	if (kind[w] == "phase") return rate(x)
	if (w == "procstart") return sprintf("%.2f", x / nstart * 1000)
	return sprintf("%.3f", x)
}
function fr(x) { return x == "" ? "error" : sprintf("%.2f", x) }
function goal(x, lim) {
	if (x == "") return "error"
	return sprintf("<= %.2g: %s", lim, x <= lim ? "PASS" : "FAIL")
}
function row(a, b, c2, d, e, f,   j) {
	nr++; cell[nr, 1] = a; cell[nr, 2] = b; cell[nr, 3] = c2; cell[nr, 4] = d; cell[nr, 5] = e; cell[nr, 6] = f
	for (j = 3; j <= ncfg; j++) cell[nr, 4 + j] = pr[j]
	if (f ~ /PASS/) npass++; else if (f != "") { nfail++; failing = failing " " a }
	if (hasbefore) {
		cell[nr, ncol] = pb
		if (pb ~ /PASS/) npass++; else if (pb ~ /FAIL|error/) { nfail++; failing = failing " " a " (vs before)" }
		pb = ""
	}
}
# efsap against the build before, for workload w: "<= 1.1: PASS" or FAIL
function vsbefore(w,   a, b) {
	if (!hasbefore) return ""
	a = ratio("efsap", w); b = ratio("before", w)
	if (a == "" || b == "") return "error"
	return sprintf("%.2f %s", a / b, goal(a / b, 1.10))
}
{
	c = $2
	if ($3 == "phase" || $3 == "prog") {
		k = c SUBSEP $4
		kind[$4] = $3
		if ($6 == "error") bad[k] = 1; else { add(k, $6); ops[k] = $5 }
	} else if ($3 ~ /^rss_kb/) {
		if ($4 == "error") bad[c SUBSEP $3] = 1; else rss[c, $1, $3] = $4
		seen[c, $1] = 1
	}
}
END {
	ncfg = split(configs, cf, " ")
	split("create stat fstatat open_read chmod chown rename readdir nftw unlink_rmdir", meta, " ")
	split("tar_x ls_lR find_ls cp_a rm_rf", progs, " ")
	label["create"] = "create (mkdir; open O_CREAT, write 100 B, close)"
	label["stat"] = "stat"
	label["fstatat"] = "fstatat (dirfd)"
	label["open_read"] = "open+read+close"
	label["chmod"] = "chmod"
	label["chown"] = "chown (to current owner)"
	label["rename"] = "rename"
	label["readdir"] = "readdir (entries)"
	label["nftw"] = "nftw walk (entries)"
	label["unlink_rmdir"] = "unlink + rmdir"
	label["outside_stat"] = "stat outside every mount"
	label["procstart"] = "process start (/bin/true from sh)"
	label["tar_x"] = "tar -x (10,000 files)"
	label["ls_lR"] = "ls -lR"
	label["find_ls"] = "find -ls"
	label["cp_a"] = "cp -a"
	label["rm_rf"] = "rm -rf (20,000 files)"
	kind["procstart"] = "prog"
	for (w in label) if (!(w in kind)) kind[w] = (w ~ /_x$|_lR$|_ls$|_a$|_rf$/) ? "prog" : "phase"

	hdr[1] = "workload"; hdr[2] = "unit"; hdr[3] = "native"; hdr[4] = "efsap"
	hdr[5] = "efsap/native"; hdr[6] = "goal (efsap)"
	for (j = 3; j <= ncfg; j++) hdr[4 + j] = cf[j] "/native"
	ncol = 4 + ncfg; if (ncol < 6) ncol = 6
	for (j = 3; j <= ncfg; j++) if (cf[j] == "before") hasbefore = 1
	if (hasbefore) { ncol++; hdr[ncol] = "efsap/before (goal)" }

	for (i = 1; i <= 10; i++) {
		w = meta[i]
		for (j = 3; j <= ncfg; j++) pr[j] = fr(ratio(cf[j], w))
		pb = vsbefore(w)
		row(label[w], "ops/s", shown("native", w), shown("efsap", w), fr(ratio("efsap", w)), goal(ratio("efsap", w), 2.5))
	}
	for (j = 2; j <= ncfg; j++) {
		s = 0; m = 0
		for (i = 1; i <= 10; i++) { x = ratio(cf[j], meta[i]); if (x != "") { s += log(x); m++ } }
		gm[j] = m ? sprintf("%.2f", exp(s / m)) (m < 10 ? sprintf(" (%d of 10)", m) : "") : "error"
		gmok[j] = (m == 10)
	}
	for (j = 3; j <= ncfg; j++) {
		pr[j] = gm[j]
		if (cf[j] == "before" && gmok[2] && gmok[j]) pb = sprintf("%.2f", gm[2] / gm[j])
	}
	row("geometric mean, in-mount phases", "ratio", "", "", gm[2], gmok[2] ? goal(gm[2] + 0, 1.8) : "error")
	w = "outside_stat"
	for (j = 3; j <= ncfg; j++) pr[j] = fr(ratio(cf[j], w))
	pb = vsbefore(w)
	row(label[w], "ops/s", shown("native", w), shown("efsap", w), fr(ratio("efsap", w)), goal(ratio("efsap", w), 1.10))
	w = "procstart"
	for (j = 3; j <= ncfg; j++) pr[j] = fr(ratio(cf[j], w))
	pb = vsbefore(w)
	row(label[w], "ms/start", shown("native", w), shown("efsap", w), fr(ratio("efsap", w)), goal(ratio("efsap", w), 1.5))
	for (i = 1; i <= 5; i++) {
		w = progs[i]
		for (j = 3; j <= ncfg; j++) pr[j] = fr(ratio(cf[j], w))
		pb = vsbefore(w)
		row(label[w], "s", shown("native", w), shown("efsap", w), fr(ratio("efsap", w)), goal(ratio("efsap", w), 2.0))
	}
	# memory: medians over rounds of metabench VmRSS (KiB)
	for (j = 1; j <= ncfg; j++) {
		c = cf[j]
		for (r = 1; r <= rounds; r++) {
			if (!((c, r) in seen)) continue
			if ((c, r, "rss_kb") in rss) add(c SUBSEP "end", rss[c, r, "rss_kb"])
			if ((c, r, "rss_kb") in rss && (c, r, "rss_kb_mid") in rss)
				add(c SUBSEP "grow", rss[c, r, "rss_kb"] - rss[c, r, "rss_kb_mid"])
			if ((c, r, "rss_kb_mid") in rss && (c, r, "rss_kb_start") in rss)
				add(c SUBSEP "grow0", rss[c, r, "rss_kb_mid"] - rss[c, r, "rss_kb_start"])
		}
		end[j] = median(c SUBSEP "end"); grow[j] = median(c SUBSEP "grow"); grow0[j] = median(c SUBSEP "grow0")
	}
	for (j = 3; j <= ncfg; j++) pr[j] = (end[j] == "" || end[1] == "") ? "error" : sprintf("%+d KiB", end[j] - end[1])
	d = (end[2] == "" || end[1] == "") ? "" : end[2] - end[1]
	row("memory: VmRSS at end, metabench", "KiB", end[1], end[2], d == "" ? "error" : sprintf("%+d KiB", d), d == "" ? "error" : sprintf("<= +2048 KiB: %s", d <= 2048 ? "PASS" : "FAIL"))
	for (j = 3; j <= ncfg; j++) pr[j] = (grow0[j] == "") ? "error" : sprintf("%+d KiB", grow0[j] - grow0[1])
	row(sprintf("memory: growth start -> after create (%d files)", ntree), "KiB", grow0[1], grow0[2], grow0[2] == "" || grow0[1] == "" ? "error" : sprintf("%+d KiB", grow0[2] - grow0[1]), "")
	for (j = 3; j <= ncfg; j++) pr[j] = (grow[j] == "") ? "error" : sprintf("%+d KiB", grow[j] - grow[1])
	d = (grow[2] == "" || grow[1] == "") ? "" : grow[2] - grow[1]
	row("memory: growth after create -> end (9 more phases)", "KiB", grow[1], grow[2], d == "" ? "error" : sprintf("%+d KiB", d), d == "" ? "error" : sprintf("<= +256 KiB: %s", d <= 256 ? "PASS" : "FAIL"))

	# plain text
	for (i = 1; i <= ncol; i++) wd[i] = length(hdr[i])
	for (r = 1; r <= nr; r++) for (i = 1; i <= ncol; i++) if (length(cell[r, i]) > wd[i]) wd[i] = length(cell[r, i])
	print ""
	print "efsap bench: " runinfo
	print "machine: " machine
	print ""
	line = ""
	for (i = 1; i <= ncol; i++) line = line sprintf(i <= 2 ? "%-*s  " : "%*s  ", wd[i], hdr[i])
	print line
	line = ""
	for (i = 1; i <= ncol; i++) { s = sprintf("%*s", wd[i], ""); gsub(/ /, "-", s); line = line s "  " }
	print line
	for (r = 1; r <= nr; r++) {
		line = ""
		for (i = 1; i <= ncol; i++) line = line sprintf(i <= 2 ? "%-*s  " : "%*s  ", wd[i], cell[r, i])
		print line
	}
	print ""
	printf "goals: %d PASS, %d FAIL/error%s\n", npass, nfail, nfail ? " (" substr(failing, 2) ")" : ""
	print "Ratios are of medians from this run; > 1 means slower than native. Errors, per workload:"
	ne = 0
	while ((getline l < errfile) > 0) { print "  " l; ne++ }
	if (!ne) print "  none"

	# Markdown
	print "Measured " runinfo "." > md
	print "" > md
	print "Machine: " machine "." > md
	print "" > md
	line = "|"; sep = "|"
	for (i = 1; i <= ncol; i++) { line = line " " hdr[i] " |"; sep = sep (i <= 2 ? "---|" : "---:|") }
	print line > md; print sep > md
	for (r = 1; r <= nr; r++) {
		line = "|"
		for (i = 1; i <= ncol; i++) line = line " " cell[r, i] " |"
		print line > md
	}
	print "" > md
	printf "Goals: %d PASS, %d FAIL/error.\n", npass, nfail > md
	close(md)
}' "$RAW"
}

# BENCH_TABLE_ONLY=1: print the table of the last run again.
if [ -n "${BENCH_TABLE_ONLY:-}" ]; then
	[ -r "$OUT/run.env" ] || die "no previous run in $OUT"
	. "$OUT/run.env"
	RAW=$OUT/raw.txt ERR=$OUT/errors.txt
	print_table
	exit $?
fi

[ -x "$EFSAP" ] && [ -f "$B/libefsap.so" ] || die "no $EFSAP or $B/libefsap.so (run make first)"
mkdir -p "$OUT" || die "cannot create $OUT"
${CC:-cc} -O2 -Wall -Wextra -o "$MB" "$here/metabench.c" || die "cannot build metabench"

# --- scratch: tmpfs (the reference measurements' file system) ---------------
tmpparent=${BENCH_TMP:-/dev/shm}
fstype=$(stat -f -c %T "$tmpparent" 2>/dev/null)
if [ "$fstype" != tmpfs ] || [ ! -w "$tmpparent" ]; then
	say "bench: warning: $tmpparent is not a writable tmpfs; using ${TMPDIR:-/tmp} (results drift more on a disk file system)"
	tmpparent=${TMPDIR:-/tmp}
	fstype=$(stat -f -c %T "$tmpparent" 2>/dev/null)
fi
S=$(mktemp -d "$tmpparent/efsap-bench.XXXXXX") || die "cannot create a scratch directory in $tmpparent"
cleanup() { chmod -R u+rwx "$S" 2>/dev/null; rm -rf "$S"; }
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM
cd "$S" || die "cannot enter $S"

# The mount path must not exist on the host: a call efsap misses would
# otherwise reach it and look fast.
MNT=/bench
[ -e "$MNT" ] && { MNT=/efsap-bench-$$; say "bench: /bench exists on the host; mounting at $MNT"; }
[ -e "$MNT" ] && die "$MNT exists on the host"
case $TASK_USER in "$AP_UID"|"$AP_UID":*) TASK_USER=2000:2000 ;; esac

# --- the efsap configuration --------------------------------------------------
CONF=$S/bench.conf
cat >"$CONF" <<EOF
# make bench: one access point whose posix_user differs from the task user.
file_system = { id = "fs-bench"; path = "$S/efs"; };
access_points = (
  {
    id = "fsap-bench";
    root_directory = {
      path = "/bench";
      creation_info = { owner_uid = $AP_UID; owner_gid = $AP_UID; permissions = "0755"; };
    };
    posix_user = { uid = $AP_UID; gid = $AP_UID; };
  }
);
task = { user = "$TASK_USER"; };
mounts = (
  { container_path = "$MNT"; access_point = "fsap-bench"; transit_encryption = true; }
);
EOF
"$EFSAP" check -q "$CONF" || die "efsap check rejects $CONF"
cp "$CONF" "$OUT/bench.conf"

# --- configurations -----------------------------------------------------------
# dir: the tree's path as the program sees it; bk: the same on the host.
CONFIGS="native efsap"
if [ -n "${EFSAP_BUILD_BEFORE:-}" ]; then
	[ -x "$EFSAP_BUILD_BEFORE/efsap" ] || die "no $EFSAP_BUILD_BEFORE/efsap (EFSAP_BUILD_BEFORE)"
	CONFIGS="$CONFIGS before"
fi
if [ -n "${BENCH_PEERS+x}" ]; then
	peers=$BENCH_PEERS
	[ "$peers" = none ] && peers=
else
	peers=
	for p in fakeroot fakechroot proot; do
		command -v "$p" >/dev/null 2>&1 && peers="$peers $p"
	done
fi
for p in $peers; do
	command -v "$p" >/dev/null 2>&1 || die "peer $p is not installed"
	CONFIGS="$CONFIGS $p"
done
# fakechroot: a fake root whose only own part is the tree; the system, the
# build and the scratch directory stay the host's (FAKECHROOT_EXCLUDE_PATH).
FCROOT=$S/fcroot
FCX="/dev:/proc:/sys:/bin:/sbin:/usr:/lib:/lib32:/lib64:/libx32:/etc:/var:/tmp:/run:$B:$S/src.tar"

cfg_dir() { case $1 in native|fakeroot) echo "$S/$1" ;; *) echo "$MNT" ;; esac; }
cfg_bk() {
	case $1 in
	efsap|before) echo "$S/efs/bench" ;;
	fakechroot) echo "$FCROOT$MNT" ;;
	*) echo "$S/$1" ;;
	esac
}
# A fresh, empty tree for a configuration.
fresh() {
	case $1 in
	efsap|before)	# the access point root is created again at the next mount
		# (and its sidecar store beside the backing directory)
		chmod -R u+rwx "$S/efs" "$S/.efs.efsap" 2>/dev/null
		rm -rf "$S/efs" "$S/.efs.efsap"; mkdir -p "$S/efs" ;;
	*)	_b=$(cfg_bk "$1"); chmod -R u+rwx "$_b" 2>/dev/null; rm -rf "$_b"; mkdir -p "$_b" ;;
	esac
}
# Run "$@" under configuration $cfg.
under() {
	_c=$1; shift
	case $_c in
	native)	"$@" ;;
	efsap)	"$EFSAP" run -c "$CONF" -- "$@" ;;
	before)	"$EFSAP_BUILD_BEFORE/efsap" run -c "$CONF" -- "$@" ;;
	fakeroot) fakeroot -- "$@" ;;
	fakechroot) FAKECHROOT_EXCLUDE_PATH=$FCX fakechroot chroot "$FCROOT" "$@" ;;
	proot)	proot -b "$S/proot:$MNT" "$@" ;;
	esac
}

# --- the archive: 100 dirs x 100 files of 100 bytes --------------------------
mkdir -p "$S/arch/t" && (
	cd "$S/arch/t" || exit 1
	i=0
	while [ $i -lt 100 ]; do
		mkdir "d$i" && awk -v d="d$i" 'BEGIN { for (j = 0; j < 100; j++) {
			f = d "/f" j; printf "%0100d", j > f; close(f) } }' || exit 1
		i=$((i + 1))
	done
) && tar -cf "$S/src.tar" -C "$S/arch" t && rm -rf "$S/arch" || die "cannot build the archive"
TAR_ENTRIES=$((1 + 100 + 100 * 100))

# --- the machine --------------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
memkb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
rev=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)
MACHINE="$(nproc) CPUs ($cpu), $((memkb / 1048576)) GiB RAM, kernel $(uname -r), scratch on $fstype ($tmpparent)"
[ -r /etc/debian_version ] && MACHINE="$MACHINE, Debian $(cat /etc/debian_version)"
MACHINE="$MACHINE, libc $(getconf GNU_LIBC_VERSION 2>/dev/null | sed 's/glibc //')"
for p in $peers; do
	case $p in
	fakeroot) v=$(fakeroot --version 2>/dev/null | awk '{ print $NF; exit }') ;;
	proot) v=$(proot --version 2>/dev/null | awk '/[0-9]+\.[0-9]/ { for (i = 1; i <= NF; i++) if ($i ~ /^v?[0-9]+\.[0-9]/) { print $i; exit } }') ;;
	*) v=$(dpkg-query -W -f '${Version}' "$p" 2>/dev/null) ;;
	esac
	MACHINE="$MACHINE, $p ${v:-?}"
done
RUNINFO="efsap $rev; $ROUNDS rounds; tree $D x $F files; task user $TASK_USER, access point uid $AP_UID; $(date -u '+%Y-%m-%d %H:%M UTC')"

RAW=$OUT/raw.txt
LOG=$OUT/log.txt
q() { printf "%s='%s'\n" "$1" "$(printf '%s' "$2" | sed "s/'/'\\\\''/g")"; }
{ q CONFIGS "$CONFIGS"; q MACHINE "$MACHINE"; q RUNINFO "$RUNINFO"; q ROUNDS "$ROUNDS"
  q D "$D"; q F "$F"; q NSTART "$NSTART"; } >"$OUT/run.env"
ERR=$OUT/errors.txt
: >"$RAW"; : >"$LOG"; : >"$ERR"
say "bench: $MACHINE"
say "bench: $RUNINFO; configurations: $CONFIGS"
say "bench: raw results in $OUT"

# Log an error once per (configuration, workload), with its first lines.
note_err() {	# cfg name message-file|-
	if ! grep -q "^$1 $2:" "$ERR" 2>/dev/null; then
		{ printf '%s %s: ' "$1" "$2"; head -n 3 "$3" | tr '\n' ' '; echo; } >>"$ERR"
	fi
}

# Time one program run: timed ROUND CFG NAME COMMAND...
timed() {
	_r=$1 _c=$2 _n=$3; shift 3
	case $_c in	# as under(), which a program cannot exec
	efsap)	set -- "$EFSAP" run -c "$CONF" -- "$@" ;;
	before)	set -- "$EFSAP_BUILD_BEFORE/efsap" run -c "$CONF" -- "$@" ;;
	fakeroot) set -- fakeroot -- "$@" ;;
	fakechroot) set -- env FAKECHROOT_EXCLUDE_PATH="$FCX" fakechroot chroot "$FCROOT" "$@" ;;
	proot)	set -- proot -b "$S/proot:$MNT" "$@" ;;
	esac
	_res=$("$MB" -T -- "$@" 2>"$S/stderr")
	{ echo "== round $_r $_c $_n: $*"; cat "$S/stderr"; } >>"$LOG"
	set -- $_res
	if [ "$1" = elapsed ] && [ "$4" = 0 ]; then
		_t=$2
	else
		_t=error
		{ [ -n "$4" ] && echo "exit status $4"; cat "$S/stderr"; } >"$S/msg"
		note_err "$_c" "$_n" "$S/msg"
	fi
	echo "$_r $_c prog $_n 1 $_t" >>"$RAW"
	[ "$_t" != error ]
}
# The backing tree must hold what the program was asked to make.
expect_count() {	# ROUND CFG NAME PATH COUNT
	_got=$(find "$4" 2>/dev/null | wc -l)
	if [ "$_got" -ne "$5" ]; then
		echo "$4 holds $_got entries on the host, want $5" >"$S/msg"
		note_err "$2" "$3" "$S/msg"
		sed -i "\$s/ [^ ]*\$/ error/" "$RAW"
	fi
}

one() {	# ROUND CFG
	r=$1 c=$2
	dir=$(cfg_dir "$c") bk=$(cfg_bk "$c")
	fresh "$c"
	# metabench
	# the cross-process peers stat outside 10x fewer times (rates compare)
	case $c in fakeroot|proot) n=$PEER_NOUT ;; *) n=$NOUT ;; esac
	under "$c" "$MB" -d "$D" -f "$F" -n "$n" -o "$OUTSIDE" "$dir" >"$S/mb.out" 2>"$S/stderr"
	rc=$?
	{ echo "== round $r $c metabench (exit $rc)"; cat "$S/mb.out" "$S/stderr"; } >>"$LOG"
	for ph in create stat fstatat open_read chmod chown rename readdir nftw unlink_rmdir outside_stat; do
		line=$(grep "^phase $ph " "$S/mb.out")
		set -- $line
		if [ -n "$line" ] && [ "$3" != error ]; then
			echo "$r $c phase $ph $3 $4" >>"$RAW"
		else
			echo "$r $c phase $ph 0 error" >>"$RAW"
			grep "^metabench: $ph: " "$S/stderr" >"$S/msg" || {
				echo "no result (metabench exit $rc)"; head -n 3 "$S/stderr"; } >"$S/msg"
			note_err "$c" "$ph" "$S/msg"
		fi
	done
	for k in rss_kb_start rss_kb_mid rss_kb; do
		v=$(awk -v k="$k" '$1 == k { print $2 }' "$S/mb.out")
		echo "$r $c $k ${v:-error}" >>"$RAW"
	done
	# process start
	timed "$r" "$c" procstart sh -c \
		"i=0; while [ \$i -lt $NSTART ]; do /bin/true; i=\$((i + 1)); done"
	sed -i "\$s/ 1 \([^ ]*\)\$/ $NSTART \1/" "$RAW"
	# real programs
	fresh "$c"
	timed "$r" "$c" tar_x tar --no-same-owner -xf "$S/src.tar" -C "$dir" &&
		expect_count "$r" "$c" tar_x "$bk/t" "$TAR_ENTRIES"
	timed "$r" "$c" ls_lR ls -lR "$dir/t"
	timed "$r" "$c" find_ls find "$dir/t" -ls
	timed "$r" "$c" cp_a cp -a "$dir/t" "$dir/c" &&
		expect_count "$r" "$c" cp_a "$bk/c" "$TAR_ENTRIES"
	# rm -rf only counts when it has both trees to remove
	if [ "$(find "$bk/t" "$bk/c" 2>/dev/null | wc -l)" -eq $((2 * TAR_ENTRIES)) ]; then
		timed "$r" "$c" rm_rf rm -rf "$dir/t" "$dir/c" &&
			expect_count "$r" "$c" rm_rf "$bk" 1
	else
		echo "not run: the trees from tar -x and cp -a are not both complete" >"$S/msg"
		note_err "$c" rm_rf "$S/msg"
		echo "$r $c prog rm_rf 1 error" >>"$RAW"
	fi
	fresh "$c"
}

start=$(date +%s)
round=1
set -- $CONFIGS
ncfg=$#
while [ "$round" -le "$ROUNDS" ]; do
	# rotate the order by one each round
	order= k=0
	for c in $CONFIGS; do
		order="$order $c"
	done
	k=$(( (round - 1) % ncfg ))
	while [ $k -gt 0 ]; do
		set -- $order; first=$1; shift; order="$* $first"; k=$((k - 1))
	done
	set -- $order; order="$*"
	say "bench: round $round/$ROUNDS: $order ($(( $(date +%s) - start )) s)"
	for c in $order; do
		one "$round" "$c"
	done
	round=$((round + 1))
done
say "bench: done in $(( $(date +%s) - start )) s"

print_table
rc=$?
[ -f "$here/plot.sh" ] && sh "$here/plot.sh" "$OUT/table.md" "$OUT/ratios.svg"
exit $rc
