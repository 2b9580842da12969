# SPDX-License-Identifier: MIT
# truncate.t: truncate(2) and ftruncate(2), and the set-id clearing rule.
n0=$(namegen); n1=$(namegen); n2=$(namegen)

expect 0 create $n0 0644
expect 0 truncate $n0 1234567
expect 1234567 stat $n0 size
expect 0 truncate $n0 567
expect 567 stat $n0 size
expect 0 truncate $n0 0
expect 0 stat $n0 size
expect 0 open $n0 O_WRONLY : ftruncate 0 89
expect 89 stat $n0 size
expect "EINVAL|EBADF" open $n0 O_RDONLY : ftruncate 0 0
expect EINVAL truncate $n0 -1
expect 0644 stat $n0 mode
expect 0 unlink $n0

# Write permission decides, not ownership; root bypasses.
expect 0 create $n0 0644
expect 0 chown $n0 65534 65534
expect 0 -u 65534 -g 65534 truncate $n0 10
expect EACCES -u 65533 -g 65533 truncate $n0 11
expect 0 chmod $n0 0666
expect 0 -u 65533 -g 65533 truncate $n0 12
expect 12 stat $n0 size
expect 0 chmod $n0 0444
expect EACCES -u 65534 -g 65534 truncate $n0 13
expect 0 truncate $n0 14
expect 14 stat $n0 size
expect 0 unlink $n0

# Errors along the path.
expect ENOENT truncate $n0 0
expect 0 mkdir $n0 0755
expect EISDIR truncate $n0 0
expect 0 create $n0/$n1 0666
expect ENOTDIR truncate $n0/$n1/$n2 0
expect 0 chmod $n0 0644
expect EACCES -u 65534 -g 65534 truncate $n0/$n1 0
expect 0 chmod $n0 0755
expect 0 symlink $n1 $n0/$n2
expect 0 truncate $n0/$n2 77
expect 77 stat $n0/$n1 size
expect 0 unlink $n0/$n2
expect 0 unlink $n0/$n1
expect 0 rmdir $n0
long=$(printf '%0256d' 0)
expect ENAMETOOLONG truncate $long 0

# A non-root truncate clears S_ISUID, and S_ISGID when the group may
# execute; root's does not.
expect 0 create $n0 0644
expect 0 chown $n0 65534 65534
expect 0 chmod $n0 06755
expect 0 -u 65534 -g 65534 truncate $n0 100
expect 0755 stat $n0 mode
expect 0 chmod $n0 06777
expect 0 -u 65533 -g 65533 truncate $n0 0
expect 0777 stat $n0 mode
expect 0 chmod $n0 02744
expect 0 -u 65534 -g 65534 truncate $n0 1
expect 02744 stat $n0 mode
expect 0 chmod $n0 06755
expect 0 -u 65534 -g 65534 open $n0 O_WRONLY : ftruncate 0 5
expect 0755 stat $n0 mode
expect 0 chmod $n0 06755
expect 0 truncate $n0 0
expect 06755 stat $n0 mode
expect 0 unlink $n0
