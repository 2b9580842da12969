#!/bin/sh
# SPDX-License-Identifier: MIT
# t_symvers.sh: libefsap.so loads in glibc 2.17+ images (SPEC 5.9): its
# version needs (readelf -V) name no glibc version newer than GLIBC_2.17
# and nothing private, its DT_NEEDED only libc, libdl, libpthread and the
# dynamic loader; libefsap-conf.so keeps to the same versions and needs
# libconfig and Jansson beside them (and, in a sanitizer build, the
# sanitizers' runtimes).  Under musl there are no versions and only musl's
# libc.
. "$EFSAP_SRC/tests/integration/lib.sh"
MAX=21700		# GLIBC_2.17 as a number: 2 * 10000 + 17 * 100
command -v readelf >/dev/null 2>&1 || { echo "ok symvers # SKIP no readelf"; finish; }

# version_needs FILE: one "LIBRARY VERSION" line per version need
version_needs() {
	readelf -V -W "$1" | awk '
		/Version needs section/ { on = 1; next }
		/Version (definition|symbols) section/ { on = 0 }
		on && / File: / { for (i = 1; i <= NF; i++) if ($i == "File:") f = $(i + 1) }
		on && / Name: / { for (i = 1; i <= NF; i++) if ($i == "Name:") print f, $(i + 1) }'
}

# too_new FILE: the needs newer than MAX, or not a public glibc version
too_new() {
	version_needs "$1" | awk -v max=$MAX '
		$2 ~ /^GLIBC_[0-9]/ {
			n = split(substr($2, 7), p, ".")
			if (p[1] * 10000 + (n > 1 ? p[2] : 0) * 100 + (n > 2 ? p[3] : 0) > max) print
			next
		}
		$2 ~ /^GLIBC_/ { print }'
}

needed() { readelf -d -W "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }

for so in libefsap.so libefsap-conf.so; do
	f=$EFSAP_BUILD/$so
	[ -f "$f" ] || { notok "$so: built" "no $f"; continue; }
	bad=$(too_new "$f" | tr '\n' ' ')
	expect_eq "$so: no glibc version need newer than GLIBC_2.17 (nor GLIBC_PRIVATE)" "" "$bad"
	case $so in
	libefsap.so) allow='libc.so.6|libdl.so.2|libpthread.so.0|ld-linux[-a-z0-9_.]*.so.[0-9]|libc.musl-[a-z0-9_]*.so.1|libc.so' ;;
	*) allow='libc.so.6|libdl.so.2|libpthread.so.0|ld-linux[-a-z0-9_.]*.so.[0-9]|libc.musl-[a-z0-9_]*.so.1|libc.so|libconfig.so.[0-9]+|libjansson.so.[0-9]+' ;;
	esac
	# a sanitizer build carries its runtimes (never a shipped library)
	allow="$allow|lib(a|ub|t|l|hwa)san.so.[0-9]+|libclang_rt.[a-z_]+-[a-z0-9_]+.so"
	other=$(needed "$f" | grep -v -x -E "$allow" | tr '\n' ' ')
	expect_eq "$so: DT_NEEDED only the C library's ($(needed "$f" | tr '\n' ' '))" "" "$other"
done

# the test itself: a library with a need newer than 2.17 is caught
if command -v cc >/dev/null 2>&1 && cc -print-file-name=libc.so.6 | grep -q /; then
	T=$(mktmp)
	printf '#include <stdlib.h>\n#include <sys/random.h>\nint f(void *b) { return (int)getrandom(b, 8, 0); }\n' > "$T/n.c"
	if cc -shared -fPIC -o "$T/n.so" "$T/n.c" 2>/dev/null; then
		expect_eq "a library calling getrandom (GLIBC_2.25) is caught" "libc.so.6 GLIBC_2.25" \
			"$(too_new "$T/n.so")"
	fi
fi
finish
