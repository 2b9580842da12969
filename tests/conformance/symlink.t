# SPDX-License-Identifier: MIT
# symlink.t: symlink(2).
n0=$(namegen); n1=$(namegen); n2=$(namegen)

expect 0 create $n0 0644
expect 0 symlink $n0 $n1
expect symlink lstat $n1 type
expect regular stat $n1 type
expect $n0 readlink $n1
expect 0777 lstat $n1 mode
expect 0 lstat $n1 uid
expect 0 unlink $n0
expect ENOENT stat $n1 type
expect 0 unlink $n1
# A dangling target, and any text as a target.
expect 0 symlink /no/such/thing $n0
expect /no/such/thing readlink $n0
expect 0 unlink $n0
expect 0 symlink "a b/../c" $n0
expect "a b/../c" readlink $n0
expect 0 unlink $n0

# Owner from the effective ids; group from a setgid parent.
expect 0 mkdir $n0 0777
expect 0 -u 65534 -g 65533,65534 symlink $n1 $n0/$n1
expect 65534 lstat $n0/$n1 uid
expect 65533 lstat $n0/$n1 gid
expect 0 unlink $n0/$n1
expect 0 chown $n0 0 65532
expect 0 chmod $n0 02777
expect 0 -u 65534 -g 65534 symlink $n1 $n0/$n1
expect 65532 lstat $n0/$n1 gid
expect 0 unlink $n0/$n1
expect 0 rmdir $n0

# Errors.
expect 0 create $n0 0644
expect EEXIST symlink $n2 $n0
expect ENOTDIR symlink $n2 $n0/$n1
expect 0 unlink $n0
expect ENOENT symlink $n2 $n0/$n1
expect 0 mkdir $n0 0755
expect EEXIST symlink $n2 $n0
expect 0 symlink $n2 $n1
expect EEXIST symlink $n0 $n1
expect 0 unlink $n1
expect 0 chown $n0 65534 65534
expect 0 chmod $n0 0555
expect EACCES -u 65534 -g 65534 symlink $n2 $n0/$n1
expect 0 chmod $n0 0655
expect EACCES -u 65534 -g 65534 symlink $n2 $n0/$n1
expect 0 chmod $n0 0755
expect 0 -u 65534 -g 65534 symlink $n2 $n0/$n1
expect 0 unlink $n0/$n1
expect 0 rmdir $n0
long=$(printf '%0256d' 0)
expect ENAMETOOLONG symlink $n0 $long
target=$(printf '%04096d' 0)
expect ENAMETOOLONG symlink $target $n0
