#!/bin/sh
# SPDX-License-Identifier: MIT
# t_loader.sh: the dynamic loader finds shared libraries under a mount
# (issue 10, item 1): through LD_LIBRARY_PATH entries there (and an
# indirect need through the same entries), the executable's DT_RUNPATH,
# DT_RPATH and $ORIGIN, LD_PRELOAD entries; the program and its children
# see LD_LIBRARY_PATH as it was set; dladdr, dl_iterate_phdr and dlinfo
# name the mount path; a directory the caller may not search lends
# nothing, as on EFS.  Through exec under the library and through the
# launcher (efsap run).
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
command -v cc >/dev/null 2>&1 || { echo "ok loader # SKIP no C compiler"; finish; }
mkdir bk ap
cat > r.conf <<EOF
file_system = { path = "bk"; };
access_points = ( { id = "fsap-x";
  root_directory = { path = "/xroot"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0755"; }; }; } );
task = { user = "0:0"; };
mounts = ( { container_path = "$TP/mnt"; },
  { container_path = "$TP/ap/x"; access_point = "fsap-x"; transit_encryption = true; } );
EOF
sed 's/user = "0:0"/user = "1000:1000"/' r.conf > u.conf
sed 's/user = "0:0"/user = "2000:2000"/' r.conf > o.conf
L=$TP/mnt/lib B=$TP/mnt/bin X=$TP/ap/x/lib Q=$TP/mnt/priv

# Built on the host and copied in: a sanitizer build of the library cannot
# start gcc under it (its runtime must come first in LD_PRELOAD).
echo 'int bar_answer(void) { return 41; }' > bar.c
echo 'int bar_answer(void); int foo_answer(void) { return bar_answer() + 1; }' > foo.c
cat > app.c <<'EOC'
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int bar_answer(void);
int foo_answer(void);
/* the answer, the LD_LIBRARY_PATH it sees, then argv[1...] run as its child */
int main(int argc, char **argv)
{
	const char *l = getenv("LD_LIBRARY_PATH");
#ifdef DIRECT
	int v = bar_answer() + 1;
#else
	int v = foo_answer();
#endif
	printf("%d [%s]\n", v, l != NULL ? l : "unset");
	fflush(stdout);
	if (argc > 1) {
		execvp(argv[1], argv + 1);
		return 126;
	}
	return 0;
}
EOC
cat > dla.c <<'EOC'
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
static int cb(struct dl_phdr_info *i, size_t n, void *d)
{
	if (strstr(i->dlpi_name, "libbar") != NULL)
		printf("phdr %s\n", i->dlpi_name);
	return 0;
}
/* dlopen argv[1]; where dladdr, dl_iterate_phdr and dlinfo say it is */
int main(int argc, char **argv)
{
	char origin[PATH_MAX];
	void *h = dlopen(argv[1], RTLD_NOW), *f;
	Dl_info in;

	if (h == NULL || (f = dlsym(h, "bar_answer")) == NULL)
		return 1;
	if (dladdr(f, &in) != 0)
		printf("dladdr %s\n", in.dli_fname);
	dl_iterate_phdr(cb, NULL);
	if (dlinfo(h, RTLD_DI_ORIGIN, origin) == 0)
		printf("origin %s\n", origin);
	return 0;
}
EOC
cat > sp.c <<'EOC'
#include <spawn.h>
#include <stdio.h>
#include <sys/wait.h>
extern char **environ;
/* posix_spawnp argv[1...]: its error number, or what the child said */
int main(int argc, char **argv)
{
	pid_t pid;
	int st, e = posix_spawnp(&pid, argv[1], NULL, NULL, argv + 1, environ);

	if (e != 0) {
		printf("error %d\n", e);
		return 1;
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}
EOC
printf '%s\n' '#include <unistd.h>' \
    '__attribute__((constructor)) static void hi(void) { if (write(1, "hook ", 5) < 0) _exit(9); }' > hook.c
RL="-Wl,-rpath-link,$TP"
{ cc -shared -fPIC -o libbar.so bar.c && cc -shared -fPIC -o libfoo.so foo.c -L. -lbar &&
  cc -shared -fPIC -o libhook.so hook.c &&
  cc -o app app.c -L. -lfoo $RL &&
  cc -DDIRECT -o app_runpath app.c -L. -lbar -Wl,--enable-new-dtags -Wl,-rpath,"$L" &&
  cc -DDIRECT -o app_rpath app.c -L. -lbar -Wl,--disable-new-dtags -Wl,-rpath,"$L" &&
  cc -DDIRECT -o app_origin app.c -L. -lbar -Wl,--enable-new-dtags -Wl,-rpath,'$ORIGIN/../lib' &&
  cc -DDIRECT -o app_xorigin app.c -L. -lbar -Wl,--enable-new-dtags \
     -Wl,-rpath,'/nonexistent:$ORIGIN/../../ap/x/lib' &&
  cc -o dla dla.c -ldl && cc -o sp sp.c; } || notok "set-up" "building the test programs failed"
if command -v readelf >/dev/null 2>&1; then
	readelf -d app_rpath | grep -q '(RPATH)' || notok "set-up" "app_rpath has no DT_RPATH"
	readelf -d app_runpath | grep -q '(RUNPATH)' || notok "set-up" "app_runpath has no DT_RUNPATH"
fi
efsap run -c r.conf -- sh -c "mkdir $L $B $Q && chown 1000:1000 $L $B $Q" &&
efsap run -c u.conf -- sh -c "mkdir $X && cp libfoo.so libbar.so libhook.so $L/ &&
	cp libbar.so $X/ && cp libfoo.so libbar.so $Q/ && chmod 700 $Q &&
	cp app app_runpath app_rpath app_origin app_xorigin dla $B/" ||
	notok "set-up" "copying into the mount failed"
[ -e "$TP/mnt/lib" ] && notok "set-up" "the mount path exists on the host"

ru() { out=$(efsap run -c "${C:-u.conf}" -- "$@" 2>&1); rc=$?; }

# LD_LIBRARY_PATH, from a program under the library (exec's wrapper)
ru sh -c "LD_LIBRARY_PATH=$L $B/app"
expect_eq "LD_LIBRARY_PATH entry under a mount, an indirect need through it too" "42 [$L]" "$out"
ru sh -c "cd / && LD_LIBRARY_PATH=/nonexistent:$L::/usr/lib $B/app sh -c 'echo child [\${LD_LIBRARY_PATH-unset}]'"
expect_eq "the program and its child see LD_LIBRARY_PATH exactly as set" \
    "42 [/nonexistent:$L::/usr/lib]
child [/nonexistent:$L::/usr/lib]" "$out"
ru sh -c "cd $TP && LD_LIBRARY_PATH=$L ./app"
expect_eq "a host program, a library under a mount through LD_LIBRARY_PATH" "42 [$L]" "$out"
ru env LD_LIBRARY_PATH="$L" "$B/app" sh -c 'env | grep -c "^EFSAP_STATE_LD" || :'
expect_eq "the state that carries it is not left to the program" "42 [$L]
0" "$out"
# ... and given to the launcher
out=$(LD_LIBRARY_PATH=$L efsap run -c u.conf -- "$B/app" sh -c 'echo child [$LD_LIBRARY_PATH]' 2>&1)
expect_eq "efsap run with LD_LIBRARY_PATH under a mount" "42 [$L]
child [$L]" "$out"

# DT_RUNPATH and DT_RPATH
ru "$B/app_runpath" sh -c 'echo child [${LD_LIBRARY_PATH-unset}]'
expect_eq "DT_RUNPATH under a mount; LD_LIBRARY_PATH stays unset for the program and its child" \
    "42 [unset]
child [unset]" "$out"
ru sh -c "$B/app_rpath"
expect_eq "DT_RPATH (--disable-new-dtags) under a mount" "42 [unset]" "$out"
ru sh -c "LD_LIBRARY_PATH= $B/app_rpath"
expect_eq "... with an empty LD_LIBRARY_PATH, kept empty" "42 []" "$out"
ru "$TP/app_runpath"
expect_eq "a host program whose DT_RUNPATH names a mount, through efsap run" "42 [unset]" "$out"
ru sh -c "$B/app_origin"
expect_eq "DT_RUNPATH \$ORIGIN/../lib (worked by accident before: backing paths)" "42 [unset]" "$out"
ru sh -c "$B/app_xorigin"
expect_eq "DT_RUNPATH \$ORIGIN expanded in the program's view, into another mount" \
    "42 [unset]" "$out"

# LD_PRELOAD
ru sh -c "LD_PRELOAD=$L/libhook.so $B/app_runpath sh -c 'echo \$LD_PRELOAD'"
expect_eq "LD_PRELOAD entry under a mount; the program's children see it as set" \
    "hook 42 [unset]
hook $LIB:$L/libhook.so" "$out"
out=$(LD_PRELOAD=$L/libhook.so efsap run -c u.conf -- "$B/app_runpath" 2>/dev/null)
expect_eq "efsap run with LD_PRELOAD under a mount" "hook 42 [unset]" "$out"

# what the program learns about the objects it loaded
ru "$B/dla" "$L/libbar.so"
expect_eq "dladdr, dl_iterate_phdr and dlinfo(RTLD_DI_ORIGIN) name the mount path" \
    "dladdr $L/libbar.so
phdr $L/libbar.so
origin $L" "$out"
ru sh -c "LD_LIBRARY_PATH=$L $B/dla libbar.so"
expect_eq "... for a library found through LD_LIBRARY_PATH" "dladdr $L/libbar.so
phdr $L/libbar.so
origin $L" "$out"

# posix_spawnp: the loader's variables for a program found through PATH
mkdir -p .dot/bin
out=$(PATH="$B:$TP/.dot/bin:/usr/bin:/bin" LD_LIBRARY_PATH=$L efsap run -c u.conf -- "$TP/sp" app 2>&1)
expect_eq "posix_spawnp of a program found in a PATH entry under a mount" "42 [$L]" "$out"
out=$(PATH="$TP/.dot/bin:$B:/usr/bin:/bin" efsap run -c u.conf -- "$TP/sp" app_runpath 2>&1)
expect_eq "... after a host PATH entry with a dot directory that lacks it" "42 [unset]" "$out"

# a directory the caller may not search (0700, uid 1000's)
ru sh -c "LD_LIBRARY_PATH=$Q $B/app"; mine="$out"
C=o.conf ru sh -c "LD_LIBRARY_PATH=$Q $B/app"; theirs=$rc
expect_eq "a library in a directory the caller may not search does not load (its owner's does)" \
    "42 [$Q] 127" "$mine $theirs"
finish
