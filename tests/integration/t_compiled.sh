#!/bin/sh
# SPDX-License-Identifier: MIT
# t_compiled.sh: the compiled configuration (SPEC 5.9, cconf.h).  `efsap
# run` hands the library EFSAP_CONFIG_COMPILED, a 0600 file named by its
# content; processes under it never load libconfig, Jansson or
# libefsap-conf.so, and children whose environment was emptied keep it; a
# bad file stops start-up with status 78 and one line naming it; a
# compiled form made from another file than EFSAP_CONFIG is set aside;
# plain LD_PRELOAD + EFSAP_CONFIG loads libefsap-conf.so from the
# library's directory, and says so when it is missing.
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
unset EFSAP_CONFIG_COMPILED
mkdir bk
cat > c.conf <<EOF
file_system = { path = "bk"; };
task = { user = "1000:1000"; };
mounts = ( { container_path = "$TP/mnt"; } );
EOF
sed 's/1000:1000/0:0/' c.conf > root.conf

maps='grep -c -E "libconfig|libjansson|libefsap-conf" /proc/self/maps'
out=$(efsap run -c c.conf -- sh -c "echo \$EFSAP_CONFIG_COMPILED; $maps; env -i /bin/sh -c 'echo \$EFSAP_CONFIG_COMPILED; $maps'" 2>&1)
cc=$(echo "$out" | sed -n 1p)
expect_eq "efsap run: no parser in the process, nor in a child whose environment was emptied" \
	"0 $cc 0" "$(echo "$out" | sed -n '2p;3p;4p' | tr '\n' ' ' | sed 's/ $//')"
case $cc in
/*/cc-????????????????) ok "EFSAP_CONFIG_COMPILED names a content-named file ($cc)" ;;
*) notok "EFSAP_CONFIG_COMPILED names a content-named file" "[$cc]" ;;
esac
expect_eq "the compiled file is the user's, mode 0600" "600 $(id -u)" "$(stat -c '%a %u' "$cc" 2>&1)"
expect_eq "its directory is the user's alone" "700" "$(stat -c '%a' "$(dirname "$cc")" 2>&1)"
cc2=$(efsap run -c c.conf -- sh -c 'echo $EFSAP_CONFIG_COMPILED')
expect_eq "the same configuration: the same file" "$cc" "$cc2"
cc3=$(efsap run -c root.conf -- sh -c 'echo $EFSAP_CONFIG_COMPILED')
if [ "$cc3" != "$cc" ] && [ -f "$cc3" ]; then
	ok "another configuration: another file"
else
	notok "another configuration: another file" "$cc3"
fi

# a directory of the name that is not the user's own: refused, the file parsed instead
mkdir -p other && chmod 777 other && mkdir "other/efsap-$(id -u)" && chmod 777 "other/efsap-$(id -u)"
out=$(env -u XDG_RUNTIME_DIR TMPDIR="$TP/other" "$EFSAP" run -c c.conf -- \
	sh -c 'id -u; echo "[$EFSAP_CONFIG_COMPILED]"' 2>&1)
expect_eq "a compiled-form directory others may write: refused with a warning, the file parsed" \
	"efsap: warning: cannot write the compiled configuration (Operation not permitted); every process will parse $TP/c.conf 1000 []" \
	"$(echo $out)"

# it is the configuration: the task user and the mount
out=$(efsap run -c c.conf -- sh -c "id -u; mkdir $TP/mnt/d 2>/dev/null || echo denied" 2>&1)
expect_eq "the compiled configuration: task user 1000, denied in the root-owned file system" \
	"1000 denied" "$(echo $out)"
out=$(efsap run -c root.conf -- sh -c "mkdir $TP/mnt/d && stat -c '%u:%g %a' $TP/mnt/d" 2>&1)
expect_eq "... and as root, a directory owned by 0:0" "0:0 755" "$out"

# bad files: one line naming the file, status 78, never a crash
head -c 60 "$cc" > short.cc
cp "$cc" flip.cc
printf 'X' | dd of=flip.cc bs=1 seek=70 conv=notrunc 2>/dev/null
printf 'not a compiled configuration at all, but long enough for a header.....\n' > text.cc
for f in short.cc flip.cc text.cc missing.cc; do
	out=$(EFSAP_CONFIG="$TP/c.conf" EFSAP_CONFIG_COMPILED="$TP/$f" LD_PRELOAD="$LIB" /bin/true 2>&1); rc=$?
	n=$(printf '%s\n' "$out" | wc -l)
	expect_match "$f: status 78 and one line naming the file" \
		"78 1 efsap: $TP/$f (EFSAP_CONFIG_COMPILED" "$rc $n $out"
done
expect_match "a cut file: its length said" "length 60" \
	"$(EFSAP_CONFIG_COMPILED="$TP/short.cc" LD_PRELOAD="$LIB" /bin/true 2>&1)"
expect_match "a changed byte: the checksum said" "bad checksum" \
	"$(EFSAP_CONFIG_COMPILED="$TP/flip.cc" LD_PRELOAD="$LIB" /bin/true 2>&1)"

# made from another file than EFSAP_CONFIG: set aside, EFSAP_CONFIG parsed, children do not get it
out=$(EFSAP_CONFIG="$TP/root.conf" EFSAP_CONFIG_COMPILED="$cc" LD_PRELOAD="$LIB" \
	sh -c 'id -u; echo "[$EFSAP_CONFIG_COMPILED]"' 2>&1)
expect_eq "a compiled form of another file than EFSAP_CONFIG: set aside" "0 []" "$(echo $out)"
# without EFSAP_CONFIG: the compiled form's own file is named to children
out=$(EFSAP_CONFIG_COMPILED="$cc" LD_PRELOAD="$LIB" sh -c 'id -u; echo $EFSAP_CONFIG' 2>&1)
expect_eq "EFSAP_CONFIG_COMPILED alone: used, and EFSAP_CONFIG set from it" "1000 $TP/c.conf" \
	"$(echo $out)"

# plain LD_PRELOAD + EFSAP_CONFIG: the parser, from the library's directory
out=$(EFSAP_CONFIG="$TP/c.conf" LD_PRELOAD="$LIB" \
	sh -c "id -u; grep -o 'libefsap-conf.so' /proc/self/maps | sort -u" 2>&1)
expect_eq "LD_PRELOAD + EFSAP_CONFIG: parsed by libefsap-conf.so" "1000 libefsap-conf.so" "$(echo $out)"
mkdir alone && cp "$LIB" alone/
out=$(EFSAP_CONFIG="$TP/c.conf" LD_PRELOAD="$TP/alone/libefsap.so" /bin/true 2>&1); rc=$?
expect_match "libefsap-conf.so missing: status 78, the start-up error says so" \
	"78 efsap: $TP/c.conf (EFSAP_CONFIG): cannot load the configuration parser $TP/alone/libefsap-conf.so" \
	"$rc $out"
out=$(EFSAP_CONFIG_COMPILED="$cc" LD_PRELOAD="$TP/alone/libefsap.so" sh -c 'id -u' 2>&1)
expect_eq "libefsap.so alone, with a compiled configuration: works" "1000" "$out"
finish
