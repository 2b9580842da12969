#!/bin/sh
# SPDX-License-Identifier: MIT
# t_dlopen.sh: shared objects under a mount load (issue 10, item 1):
# dlopen by path (ctypes), by bare name through LD_LIBRARY_PATH entries
# under a mount, with the read permission the loader's open needs, and a
# Python venv on a mount importing a C extension installed there.
. "$EFSAP_SRC/tests/integration/lib.sh"
scratch_setup
command -v cc >/dev/null 2>&1 || { echo "ok dlopen # SKIP no C compiler"; finish; }
mkdir bk
cat > r.conf <<EOF
file_system = { path = "bk"; };
task = { user = "0:0"; };
mounts = ( { container_path = "$TP/mnt"; } );
EOF
sed 's/"0:0"/"1000:1000"/' r.conf > u.conf
sed 's/"0:0"/"2000:2000"/' r.conf > o.conf
L=$TP/mnt/lib
printf 'int foo_answer(void) { return 42; }\n' > foo.c
efsap run -c r.conf -- sh -c "mkdir $L && chown 1000:1000 $L" || notok "set-up" "mkdir failed"
# built on the host and copied in: a sanitizer build of the library cannot
# start gcc under it (its runtime must come first in LD_PRELOAD)
cc -shared -fPIC -o libfoo.so foo.c && efsap run -c u.conf -- cp libfoo.so "$L/libfoo.so" ||
	notok "set-up" "building libfoo.so failed"
cdll() { efsap run -c "$1" -- "$PY" -c "
import ctypes, sys
try:
    print(ctypes.CDLL(sys.argv[1]).foo_answer())
except OSError as e:
    print(str(e).split(': ')[-1])" "$2" 2>&1; }
expect_eq "dlopen of a path under a mount (ctypes.CDLL)" 42 "$(cdll u.conf "$L/libfoo.so")"
expect_eq "dlopen of a missing path under a mount: the loader's message" \
    "No such file or directory" "$(cdll u.conf "$L/nope.so")"
expect_eq "dlopen of a bare name found in an LD_LIBRARY_PATH entry under a mount" 42 \
    "$(LD_LIBRARY_PATH=/nonexistent:$L cdll u.conf libfoo.so)"
efsap run -c u.conf -- chmod 0700 "$L/libfoo.so"
expect_eq "dlopen without read permission: EACCES, as the loader's open" \
    "Permission denied" "$(cdll o.conf "$L/libfoo.so")"

# A venv on the mount, and a C extension module built into it there.
if ! command -v python3-config >/dev/null 2>&1; then
	echo "ok venv-extension-on-a-mount # SKIP python3-config (python3-dev) is not installed"
else
	printf '%s\n' '#include <Python.h>' \
	    'static PyObject *answer(PyObject *s, PyObject *a) { return PyLong_FromLong(42); }' \
	    'static PyMethodDef m[] = { { "answer", answer, METH_NOARGS, 0 }, { 0, 0, 0, 0 } };' \
	    'static struct PyModuleDef d = { PyModuleDef_HEAD_INIT, "efsapext", 0, -1, m };' \
	    'PyMODINIT_FUNC PyInit_efsapext(void) { return PyModule_Create(&d); }' > ext.c
	cc -shared -fPIC $(python3-config --includes) -o "efsapext$(python3-config --extension-suffix)" ext.c
	out=$(efsap run -c u.conf -- sh -c "cd $L && $PY -m venv --without-pip venv &&
S=\$(venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()[\"platlib\"])') &&
cp $TP/efsapext*.so \"\$S/\" && venv/bin/python -c 'import efsapext; print(efsapext.answer())'" 2>&1)
	expect_eq "a venv on a mount imports a C extension installed there" 42 "$out"
	# the same extension compiled on the mount, by the compiler running under efsap
	if [ "$(ldd "$LIB" 2>/dev/null | grep -c 'libasan')" -gt 0 ]; then
		echo "ok venv-extension-built-on-a-mount # SKIP the library is built with ASan, which cannot start cc preloaded"
	else
		cp ext.c ext2.c && sed -i 's/efsapext/efsapext2/g; s/FromLong(42)/FromLong(43)/' ext2.c
		out=$(efsap run -c u.conf -- sh -c "cd $L && mkdir src && cp $TP/ext2.c src/ &&
S=\$(venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()[\"platlib\"])') &&
cc -shared -fPIC $(python3-config --includes) -o \"\$S/efsapext2$(python3-config --extension-suffix)\" src/ext2.c &&
venv/bin/python -c 'import efsapext2; print(efsapext2.answer())'" 2>&1)
		expect_eq "a venv on a mount imports a C extension compiled there" 43 "$out"
	fi
fi
finish
