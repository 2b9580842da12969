# SPDX-License-Identifier: MIT
# mkdir.t: mkdir(2).
n0=$(namegen); n1=$(namegen); n2=$(namegen)

# Type, mode less the umask, owner from the effective ids.
expect 0 mkdir $n0 0755
expect dir stat $n0 type
expect 0755 stat $n0 mode
expect 0 stat $n0 uid
expect 0 stat $n0 gid
expect 2 stat $n0 nlink
expect 0 rmdir $n0
expect 0 -U 077 mkdir $n0 0777
expect 0700 stat $n0 mode
expect 0 rmdir $n0
expect 0 -U 022 mkdir $n0 0151
expect 0151 stat $n0 mode
expect 0 rmdir $n0
# The sticky bit is kept; set-id bits are not taken from the mode.
expect 0 mkdir $n0 01777
expect 01777 stat $n0 mode
expect 0 rmdir $n0
expect 0 mkdir $n0 06755
expect 0755 stat $n0 mode
expect 0 rmdir $n0

expect 0 mkdir $n0 0777
expect 0 -u 65534 -g 65533,65534 mkdir $n0/$n1 0755
expect 65534 stat $n0/$n1 uid
expect 65533 stat $n0/$n1 gid
expect 3 stat $n0 nlink
expect 0 rmdir $n0/$n1
expect 0 rmdir $n0

# A setgid parent gives its group, and its setgid bit, to a new directory.
expect 0 mkdir $n0 0777
expect 0 chown $n0 0 65532
expect 0 chmod $n0 02777
expect 0 -u 65534 -g 65534 mkdir $n0/$n1 0755
expect 65534 stat $n0/$n1 uid
expect 65532 stat $n0/$n1 gid
expect 02755 stat $n0/$n1 mode
expect 0 -u 65534 -g 65534 mkdir $n0/$n1/$n2 0700
expect 65532 stat $n0/$n1/$n2 gid
expect 02700 stat $n0/$n1/$n2 mode
expect 0 rmdir $n0/$n1/$n2
expect 0 rmdir $n0/$n1
expect 0 rmdir $n0

# Errors.
expect 0 mkdir $n0 0755
expect EEXIST mkdir $n0 0755
expect 0 create $n0/$n1 0644
expect EEXIST mkdir $n0/$n1 0755
expect ENOTDIR mkdir $n0/$n1/$n2 0755
expect ENOENT mkdir $n0/$n2/$n1 0755
expect 0 unlink $n0/$n1
expect 0 chown $n0 65534 65534
expect 0 chmod $n0 0555
expect EACCES -u 65534 -g 65534 mkdir $n0/$n1 0755
expect 0 mkdir $n0/$n1 0755
expect 0 rmdir $n0/$n1
expect 0 chmod $n0 0655
expect EACCES -u 65534 -g 65534 mkdir $n0/$n1 0755
expect 0 chmod $n0 0775
expect EACCES -u 65533 -g 65533 mkdir $n0/$n1 0755
expect 0 -u 65533 -g 65533,65534 mkdir $n0/$n1 0755
expect 0 rmdir $n0/$n1
expect 0 rmdir $n0
long=$(printf '%0256d' 0)
expect ENAMETOOLONG mkdir $long 0755
expect 0 symlink $n1 $n0
expect EEXIST mkdir $n0 0755
expect 0 unlink $n0
