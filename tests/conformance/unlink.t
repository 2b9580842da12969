# SPDX-License-Identifier: MIT
# unlink.t: unlink(2).
n0=$(namegen); n1=$(namegen); n2=$(namegen)

expect 0 create $n0 0644
expect 0 unlink $n0
expect ENOENT stat $n0 type
expect ENOENT unlink $n0
expect 0 mkfifo $n0 0644
expect 0 unlink $n0
expect ENOENT stat $n0 type
expect 0 create $n0 0644
expect 0 link $n0 $n1
expect 0 unlink $n0
expect 1 stat $n1 nlink
expect 0644 stat $n1 mode
expect 0 symlink $n1 $n2
expect 0 unlink $n2
expect regular stat $n1 type
expect 0 unlink $n1

# Errors.
expect 0 mkdir $n0 0755
expect "EISDIR|EPERM" unlink $n0
expect 0 create $n0/$n1 0644
expect ENOTDIR unlink $n0/$n1/$n2
expect ENOENT unlink $n0/$n2/$n1
expect 0 chown $n0 65534 65534
expect 0 chmod $n0 0555
expect EACCES -u 65534 -g 65534 unlink $n0/$n1
expect 0 chmod $n0 0655
expect EACCES -u 65534 -g 65534 unlink $n0/$n1
expect 0 chmod $n0 0755
# Another user's file, in a directory we may write to.
expect 0 -u 65534 -g 65534 unlink $n0/$n1
expect 0 chmod $n0 0555
expect 0 create $n0/$n1 0644
expect 0 unlink $n0/$n1
expect 0 rmdir $n0
long=$(printf '%0256d' 0)
expect ENAMETOOLONG unlink $long

# Sticky directories.
expect 0 mkdir $n0 0777
expect 0 chmod $n0 01777
expect 0 chown $n0 65532 65532
expect 0 -u 65534 -g 65534 create $n0/$n1 0666
expect EPERM -u 65533 -g 65533 unlink $n0/$n1
expect 0 -u 65534 -g 65534 unlink $n0/$n1
expect 0 -u 65534 -g 65534 create $n0/$n1 0666
expect 0 -u 65532 -g 65532 unlink $n0/$n1
expect 0 -u 65534 -g 65534 mkfifo $n0/$n1 0666
expect EPERM -u 65533 -g 65533 unlink $n0/$n1
expect 0 unlink $n0/$n1
expect 0 -u 65534 -g 65534 symlink $n2 $n0/$n1
expect EPERM -u 65533 -g 65533 unlink $n0/$n1
expect 0 -u 65534 -g 65534 unlink $n0/$n1
expect 0 rmdir $n0
