# SPDX-License-Identifier: MIT
# chown.t: chown(2), lchown(2), fchown(2), and the set-id clearing rules.
n0=$(namegen); n1=$(namegen); n2=$(namegen)

# Root may give any owner and group.
expect 0 create $n0 0644
expect 0 chown $n0 123 456
expect 123 stat $n0 uid
expect 456 stat $n0 gid
expect 0 chown $n0 -1 789
expect 123 stat $n0 uid
expect 789 stat $n0 gid
expect 0 chown $n0 65534 -1
expect 65534 stat $n0 uid
expect 789 stat $n0 gid
expect 0 unlink $n0

# A non-root owner may not give the file away, but may change its group to
# one of its own groups; others may change nothing.
expect 0 create $n0 0644
expect 0 chown $n0 65534 65534
expect EPERM -u 65534 -g 65534 chown $n0 65533 65534
expect EPERM -u 65534 -g 65534 chown $n0 65533 -1
expect 0 -u 65534 -g 65534,65533 chown $n0 65534 65533
expect 65533 stat $n0 gid
expect 0 -u 65534 -g 65534,65533 chown $n0 -1 65534
expect 65534 stat $n0 gid
expect EPERM -u 65534 -g 65534 chown $n0 -1 65532
expect 0 -u 65534 -g 65534 chown $n0 65534 65534
expect EPERM -u 65533 -g 65533,65534 chown $n0 -1 65533
expect EPERM -u 65533 -g 65533 chown $n0 65533 65533
expect 65534 stat $n0 uid
expect 65534 stat $n0 gid
expect 0 -u 65534 -g 65534,65533 open $n0 O_RDONLY : fchown 0 -1 65533
expect 65533 stat $n0 gid
expect EPERM -u 65534 -g 65534 open $n0 O_RDONLY : fchown 0 65532 -1
expect 0 unlink $n0

# chown follows a symbolic link, lchown changes the link itself.
expect 0 create $n0 0644
expect 0 symlink $n0 $n1
expect 0 chown $n1 123 456
expect 123 stat $n0 uid
expect 456 stat $n0 gid
expect 0 lstat $n1 uid
expect 0 lchown $n1 135 579
expect 135 lstat $n1 uid
expect 579 lstat $n1 gid
expect 123 stat $n1 uid
expect 0 unlink $n1
expect 0 unlink $n0

# Errors along the path.
expect ENOENT chown $n0 65534 65534
expect 0 create $n0 0644
expect ENOTDIR chown $n0/$n1 65534 65534
expect 0 unlink $n0
expect 0 mkdir $n0 0755
expect 0 create $n0/$n1 0644
expect 0 chown $n0/$n1 65534 65534
expect 0 chmod $n0 0644
expect EACCES -u 65534 -g 65534,65533 chown $n0/$n1 -1 65533
expect 0 chmod $n0 0755
expect 0 -u 65534 -g 65534,65533 chown $n0/$n1 -1 65533
expect 0 unlink $n0/$n1
expect 0 rmdir $n0

# Set-id bits: a chown that changes the owner or group of a regular file
# clears S_ISUID, and S_ISGID when the group may execute; whoever does it.
expect 0 create $n0 0644
expect 0 chmod $n0 06755
expect 0 chown $n0 65534 65534
expect 0755 stat $n0 mode
expect 0 chmod $n0 06755
expect 0 -u 65534 -g 65534,65533 chown $n0 -1 65533
expect 0755 stat $n0 mode
expect 0 chmod $n0 04777
expect 0 chown $n0 65533 -1
expect 0777 stat $n0 mode
expect 0 chmod $n0 02755
expect 0 chown $n0 65534 -1
expect 0755 stat $n0 mode
expect 0 unlink $n0
# ... but not a directory's.
expect 0 mkdir $n0 0755
expect 0 chmod $n0 06755
expect 0 chown $n0 65534 65534
expect 06755 stat $n0 mode
expect 0 -u 65534 -g 65534,65533 chown $n0 -1 65533
expect 06755 stat $n0 mode
expect 0 rmdir $n0
