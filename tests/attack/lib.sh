# SPDX-License-Identifier: MIT
# lib.sh: helpers for the attack suite (sourced by every a_*.sh).
#   skip NAME WHY         a test that cannot run here (never a pass)
#   ap_conf FILE BK M1 [M2]  the standard configuration: backing BK, access
#                         points fsap-a (root /apa/in) and fsap-b (root
#                         /apb/in) created for 1000:1000 0755, task user
#                         1000:1000, M1 on fsap-a and M2 on fsap-b
#   pre CONF CMD...       CMD under the library (LD_PRELOAD)
#   dead RC               true when RC is a signal death or a timeout
#   as_nobody CMD...      CMD as 65534 when we are root, else as ourselves
#   snap DIR              a listing of DIR: name, type, mode, size, digest
#                         and the user.efsap xattr of every object
. "$EFSAP_SRC/tests/integration/lib.sh"
unset EFSAP_CONFIG EFSAP_LOG EFSAP_LOG_FILE EFSAP_STATE_DEFAULT EFSAP_DISABLE LD_PRELOAD
A="$EFSAP_BUILD/attack"
P="$EFSAP_BUILD/tests/probe"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
umask 022

skip() { echo "ok $1 # SKIP $2"; }
is_root() { [ "$(id -u)" = 0 ]; }

ap_conf() {
	_m2=""
	[ -n "${4:-}" ] && _m2=",
  { container_path = \"$4\"; access_point = \"fsap-b\"; transit_encryption = true; }"
	cat > "$1" <<CONF
file_system = { path = "$2"; };
access_points = (
  { id = "fsap-a";
    root_directory = { path = "/apa/in"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0755"; }; }; },
  { id = "fsap-b";
    root_directory = { path = "/apb/in"; creation_info = { owner_uid = 1000; owner_gid = 1000; permissions = "0755"; }; }; }
);
task = { user = "1000:1000"; };
mounts = (
  { container_path = "$3"; access_point = "fsap-a"; transit_encryption = true; }$_m2
);
CONF
}

pre() { _c=$1; shift; LD_PRELOAD="$LIB" EFSAP_CONFIG="$_c" "$@"; }
dead() { [ "$1" -ge 124 ]; }

as_nobody() {
	if is_root; then
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}

snap() {
	"$PY" - "$1" <<'PYEOF'
import hashlib, os, stat, sys
top = sys.argv[1]
for d, dirs, files in sorted(os.walk(top)):
    dirs.sort()
    for n in sorted(dirs + files):
        p = os.path.join(d, n)
        st = os.lstat(p)
        h = ""
        if stat.S_ISREG(st.st_mode):
            with open(p, "rb") as f:
                h = hashlib.sha1(f.read()).hexdigest()
        elif stat.S_ISLNK(st.st_mode):
            h = os.readlink(p)
        try:
            x = os.getxattr(p, "user.efsap", follow_symlinks=False).decode()
        except OSError:
            x = "-"
        print(os.path.relpath(p, top), oct(st.st_mode), st.st_size, h, x)
PYEOF
}

# expect_eq NAME WANT GOT, on one line (newlines shown as ';').
expect_eq() {
	if [ "$2" = "$3" ]; then ok "$1"
	else notok "$1" "want [$(printf '%s' "$2" | tr '\n' ';')] got [$(printf '%s' "$3" | tr '\n' ';')]"; fi
}
