#!/bin/sh
# SPDX-License-Identifier: MIT
# t_musl.sh: the library built for musl (`make musl`: $EFSAP_BUILD/musl/
# libefsap.so, for Alpine images) needs only musl's libc and emulates the
# mounts for a program built with musl-gcc, from a compiled configuration
# (musl images have no libconfig): mkdir, readdir, stat and an EFS
# denial with its log line.  Skipped without musl-gcc or that build.
. "$EFSAP_SRC/tests/integration/lib.sh"
ML=$EFSAP_BUILD/musl/libefsap.so
if ! command -v musl-gcc >/dev/null 2>&1 || [ ! -f "$ML" ]; then
	echo "ok musl # SKIP no musl-gcc or no $ML (make musl)"
	finish
fi
scratch_setup
unset EFSAP_CONFIG_COMPILED
expect_eq "the musl library needs musl's libc alone" "libc.so" \
	"$(readelf -d "$ML" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ' | sed 's/ $//')"
cat > t.c <<'EOC'
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
int
main(int argc, char **argv)
{
	struct dirent *e;
	struct stat st;
	DIR *d;

	printf("uid %d;", (int)getuid());
	if (mkdir(argv[1], 0755) != 0)
		printf(" mkdir %s", strerror(errno));
	else if (stat(argv[1], &st) == 0)
		printf(" mkdir ok %u:%u %o", st.st_uid, st.st_gid, st.st_mode & 07777);
	if ((d = opendir(argv[2])) != NULL) {
		while ((e = readdir(d)) != NULL)
			if (e->d_name[0] != '.')
				printf(" entry %s", e->d_name);
		closedir(d);
	}
	printf("\n");
	return 0;
}
EOC
musl-gcc -o t t.c || { notok "musl-gcc builds the test program" "failed"; finish; }
mkdir bk
for u in 0:0 1000:1000; do
	cat > "c-${u%%:*}.conf" <<EOC
file_system = { path = "$TP/bk"; };
task = { user = "$u"; };
mounts = ( { container_path = "$TP/mnt"; } );
EOC
	efsap compile -c "c-${u%%:*}.conf" -o "$TP/c-${u%%:*}.cc" ||
		notok "compile c-${u%%:*}.conf" "efsap compile failed"
done
expect_match "the test program is musl's" "ld-musl" "$(readelf -l t | grep interpreter)"
out=$(EFSAP_CONFIG_COMPILED="$TP/c-0.cc" LD_PRELOAD="$ML" ./t "$TP/mnt/data" "$TP/mnt" 2>&1)
expect_eq "as task root: mkdir, stat and readdir on the mount" "uid 0; mkdir ok 0:0 755 entry data" "$out"
expect_eq "... in the backing directory" "data" "$(ls bk)"
out=$(EFSAP_LOG=deny EFSAP_CONFIG_COMPILED="$TP/c-1000.cc" LD_PRELOAD="$ML" ./t "$TP/mnt/data/x" "$TP/mnt" 2>&1)
expect_match "as task user 1000: mkdir in root's 0755 directory is denied" \
	"uid 1000; mkdir Permission denied entry data" "$out"
expect_match "... and logged with its errno name" "mkdir $TP/mnt/data/x: EACCES (Permission denied)" "$out"
out=$(EFSAP_CONFIG="$TP/c-0.conf" LD_PRELOAD="$ML" ./t "$TP/mnt/y" "$TP/mnt" 2>&1); rc=$?
expect_match "EFSAP_CONFIG alone: status 78, the parser missing said" \
	"78 efsap: $TP/c-0.conf (EFSAP_CONFIG): cannot load the configuration parser" "$rc $out"
finish
