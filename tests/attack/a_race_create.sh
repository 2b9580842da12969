#!/bin/sh
# SPDX-License-Identifier: MIT
# a_race_create.sh: a new object and its record appear together (SPEC 5.3):
# concurrent creators in shared directories never see an object before its
# record, so `make -j8` with `mkdir -p $(@D)` and 16 simultaneous fopen("a")
# of one new file never fail.
. "$EFSAP_SRC/tests/attack/lib.sh"
T=$(mktmp); cd "$T" || exit 1
M=/efsap-atk/race
ap_conf c.conf bk $M
# 4 x 4 x 2 shared directories, 4 targets in each: 128 rules racing on mkdir -p.
cat > Makefile <<'MK'
T := $(foreach a,0 1 2 3,$(foreach b,0 1 2 3,$(foreach c,0 1,$(foreach n,0 1 2 3,out/d$(a)/e$(b)/f$(c)/t$(n)))))
all: $(T)
out/%:
	@mkdir -p $(@D) && echo x > $@
MK

# A make's stderr lines; the same Makefile natively must be silent.
errs=0 runs=0 first=""
end=$(($(date +%s) + 40))
while [ $runs -lt 30 ] && [ "$(date +%s)" -lt $end ]; do
	runs=$((runs + 1))
	e=$(pre c.conf timeout 30 sh -c "rm -rf $M/out && make -s -j8 -C $M -f $T/Makefile" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$e" ]; then
		errs=$((errs + 1))
		[ -n "$first" ] || first="run $runs exit $rc: $(printf '%s' "$e" | head -2 | tr '\n' ';')"
	fi
done
mkdir native && nerr=$(timeout 30 make -s -j8 -C native -f "$T/Makefile" 2>&1 >/dev/null)
if [ -n "$nerr" ]; then
	notok "race-mkdir-p-make-j8" "test broken: native make fails: $nerr"
elif [ $errs -eq 0 ]; then
	ok "race-mkdir-p-make-j8 ($runs runs)"
else
	notok "race-mkdir-p-make-j8" "$errs of $runs runs failed; $first"
fi

out=$(pre c.conf timeout 60 "$A/appendrace" $M 16 40 2>&1); rc=$?
if dead $rc; then
	notok "race-fopen-append-16" "exit $rc (crash or hang)"
elif [ $rc -eq 0 ]; then
	ok "race-fopen-append-16 ($(printf '%s\n' "$out" | tail -1))"
else
	notok "race-fopen-append-16" "$(printf '%s\n' "$out" | tail -1); $(printf '%s\n' "$out" | head -1)"
fi
finish
