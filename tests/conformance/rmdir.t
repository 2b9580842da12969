# SPDX-License-Identifier: MIT
# rmdir.t: rmdir(2).
n0=$(namegen); n1=$(namegen); n2=$(namegen)

expect 0 mkdir $n0 0755
expect 0 rmdir $n0
expect ENOENT stat $n0 type
expect ENOENT rmdir $n0
expect 0 mkdir $n0 0755
expect 0 mkdir $n0/$n1 0755
expect "ENOTEMPTY|EEXIST" rmdir $n0
expect 0 rmdir $n0/$n1
expect 0 create $n0/$n1 0644
expect "ENOTEMPTY|EEXIST" rmdir $n0
expect ENOTDIR rmdir $n0/$n1
expect ENOTDIR rmdir $n0/$n1/$n2
expect 0 unlink $n0/$n1
expect EINVAL rmdir $n0/.
expect 0 symlink $n0 $n1
expect ENOTDIR rmdir $n1
expect 0 unlink $n1
expect 0 rmdir $n0
expect ENOENT rmdir $n0/$n1

# Write and search permission on the parent.
expect 0 mkdir $n0 0755
expect 0 chown $n0 65534 65534
expect 0 mkdir $n0/$n1 0755
expect 0 chmod $n0 0555
expect EACCES -u 65534 -g 65534 rmdir $n0/$n1
expect 0 chmod $n0 0655
expect EACCES -u 65534 -g 65534 rmdir $n0/$n1
expect 0 chmod $n0 0755
expect 0 -u 65534 -g 65534 rmdir $n0/$n1
expect 0 chmod $n0 0555
expect 0 mkdir $n0/$n1 0755
expect 0 rmdir $n0/$n1
expect 0 rmdir $n0

# Sticky directories.
expect 0 mkdir $n0 0777
expect 0 chmod $n0 01777
expect 0 chown $n0 65532 65532
expect 0 -u 65534 -g 65534 mkdir $n0/$n1 0777
expect EPERM -u 65533 -g 65533 rmdir $n0/$n1
expect 0 -u 65534 -g 65534 rmdir $n0/$n1
expect 0 -u 65534 -g 65534 mkdir $n0/$n1 0777
expect 0 -u 65532 -g 65532 rmdir $n0/$n1
expect 0 -u 65534 -g 65534 mkdir $n0/$n1 0777
expect 0 rmdir $n0/$n1
expect 0 rmdir $n0
