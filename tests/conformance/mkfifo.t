# SPDX-License-Identifier: MIT
# mkfifo.t: mkfifo(3) (mknod(2) of a FIFO).
n0=$(namegen); n1=$(namegen); n2=$(namegen)

expect 0 mkfifo $n0 0644
expect fifo stat $n0 type
expect 0644 stat $n0 mode
expect 0 stat $n0 uid
expect 0 stat $n0 gid
expect 0 unlink $n0
expect 0 -U 022 mkfifo $n0 0777
expect 0755 stat $n0 mode
expect 0 unlink $n0

expect 0 mkdir $n0 0777
expect 0 -u 65534 -g 65533,65534 mkfifo $n0/$n1 0640
expect 65534 stat $n0/$n1 uid
expect 65533 stat $n0/$n1 gid
expect 0640 stat $n0/$n1 mode
expect 0 -u 65534 -g 65533 chmod $n0/$n1 0604
expect 0604 stat $n0/$n1 mode
expect 0 unlink $n0/$n1
# A setgid parent gives its group.
expect 0 chown $n0 0 65532
expect 0 chmod $n0 02777
expect 0 -u 65534 -g 65534 mkfifo $n0/$n1 0644
expect 65532 stat $n0/$n1 gid
expect 0644 stat $n0/$n1 mode
expect 0 unlink $n0/$n1
expect 0 rmdir $n0

# Errors.
expect 0 mkfifo $n0 0644
expect EEXIST mkfifo $n0 0644
expect ENOTDIR mkfifo $n0/$n1 0644
expect 0 unlink $n0
expect ENOENT mkfifo $n0/$n1 0644
expect 0 mkdir $n0 0755
expect EEXIST mkfifo $n0 0644
expect 0 chown $n0 65534 65534
expect 0 chmod $n0 0555
expect EACCES -u 65534 -g 65534 mkfifo $n0/$n1 0644
expect 0 chmod $n0 0655
expect EACCES -u 65534 -g 65534 mkfifo $n0/$n1 0644
expect 0 chmod $n0 0755
expect 0 -u 65534 -g 65534 mkfifo $n0/$n1 0644
expect 0 unlink $n0/$n1
expect 0 rmdir $n0
long=$(printf '%0256d' 0)
expect ENAMETOOLONG mkfifo $long 0644
