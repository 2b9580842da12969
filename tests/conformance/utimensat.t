# SPDX-License-Identifier: MIT
# utimensat.t: utimensat(2).
n0=$(namegen); n1=$(namegen); n2=$(namegen)

# Explicit times, to the nanosecond; UTIME_OMIT leaves one alone.
expect 0 create $n0 0644
expect 0 utimensat $n0 1900000000 123456789 1800000000 987654321
expect 1900000000 stat $n0 atime
expect 123456789 stat $n0 atime_ns
expect 1800000000 stat $n0 mtime
expect 987654321 stat $n0 mtime_ns
expect 0 utimensat $n0 1000000000 0 0 UTIME_OMIT
expect 1000000000 stat $n0 atime
expect 1800000000 stat $n0 mtime
expect 0 utimensat $n0 0 UTIME_OMIT 1100000000 5
expect 1000000000 stat $n0 atime
expect 1100000000 stat $n0 mtime
expect 5 stat $n0 mtime_ns
expect EINVAL utimensat $n0 0 1000000000 0 0
expect EINVAL utimensat $n0 0 0 0 -1
expect 0 unlink $n0

# Explicit times: root or the owner.  The current time: also anyone with
# write permission.
expect 0 create $n0 0644
expect 0 chown $n0 65534 65534
expect 0 -u 65534 -g 65534 utimensat $n0 1900000000 0 1900000000 0
expect 1900000000 stat $n0 mtime
expect EPERM -u 65533 -g 65533 utimensat $n0 1800000000 0 1800000000 0
expect EACCES -u 65533 -g 65533 utimensat $n0 0 UTIME_NOW 0 UTIME_NOW
expect EACCES -u 65533 -g 65533 utimensat $n0 NULL
expect 1900000000 stat $n0 mtime
expect 0 chmod $n0 0666
expect EPERM -u 65533 -g 65533 utimensat $n0 1800000000 0 1800000000 0
expect EPERM -u 65533 -g 65533 utimensat $n0 0 UTIME_NOW 1800000000 0
expect 0 -u 65533 -g 65533 utimensat $n0 0 UTIME_NOW 0 UTIME_NOW
expect 0 -u 65533 -g 65533 utimensat $n0 NULL
expect 0 chmod $n0 0444
expect 0 -u 65534 -g 65534 utimensat $n0 0 UTIME_NOW 0 UTIME_NOW
expect 0 utimensat $n0 1700000000 0 1700000000 0
expect 1700000000 stat $n0 mtime
expect 0 utimensat $n0 NULL
expect 0 unlink $n0

# A symbolic link is followed, unless AT_SYMLINK_NOFOLLOW.
expect 0 create $n0 0644
expect 0 symlink $n0 $n1
expect 0 utimensat $n1 1600000000 0 1600000000 0
expect 1600000000 stat $n0 mtime
expect 0 utimensat $n1 1500000000 0 1500000000 0 AT_SYMLINK_NOFOLLOW
expect 1500000000 lstat $n1 mtime
expect 1600000000 stat $n0 mtime
expect 0 unlink $n1
expect 0 unlink $n0

# Errors along the path.
expect ENOENT utimensat $n0 NULL
expect 0 mkdir $n0 0755
expect 0 create $n0/$n1 0666
expect ENOTDIR utimensat $n0/$n1/$n2 NULL
expect 0 chmod $n0 0644
expect EACCES -u 65534 -g 65534 utimensat $n0/$n1 NULL
expect 0 chmod $n0 0755
expect 0 -u 65534 -g 65534 utimensat $n0/$n1 NULL
expect 0 unlink $n0/$n1
expect 0 rmdir $n0
