# SPDX-License-Identifier: MIT
# chmod.t: chmod(2) and fchmodat(AT_SYMLINK_NOFOLLOW).
n0=$(namegen); n1=$(namegen); n2=$(namegen)

# Every file type takes the new permission bits.
expect 0 create $n0 0644
expect 0 chmod $n0 0111
expect 0111 stat $n0 mode
expect 0 chmod $n0 07777
expect 07777 stat $n0 mode
expect 0 unlink $n0
expect 0 mkdir $n0 0755
expect 0 chmod $n0 0753
expect 0753 stat $n0 mode
expect 0 chmod $n0 01777
expect 01777 stat $n0 mode
expect 0 rmdir $n0
expect 0 mkfifo $n0 0644
expect 0 chmod $n0 0310
expect 0310 stat $n0 mode
expect 0 unlink $n0

# chmod follows a symbolic link; the link's own mode stays 0777.
expect 0 create $n0 0644
expect 0 symlink $n0 $n1
expect 0 chmod $n1 0123
expect 0123 stat $n1 mode
expect 0123 stat $n0 mode
expect 0777 lstat $n1 mode
expect 0 unlink $n1
expect 0 unlink $n0

# Missing objects and files used as directories.
expect ENOENT chmod $n0 0644
expect ENOENT chmod $n0/$n1 0644
expect 0 create $n0 0644
expect ENOTDIR chmod $n0/$n1 0644
expect 0 unlink $n0

# Only root and the owner may chmod.
expect 0 create $n0 0644
expect 0 chown $n0 65534 65534
expect 0 -u 65534 -g 65534 chmod $n0 0642
expect 0642 stat $n0 mode
expect EPERM -u 65533 -g 65533 chmod $n0 0644
expect EPERM -u 65533 -g 65534 chmod $n0 0644
expect 0642 stat $n0 mode
expect 0 chmod $n0 0600
expect 0600 stat $n0 mode
expect 0 -u 65534 -g 65534 open $n0 O_RDONLY : fchmod 0 0604
expect 0604 stat $n0 mode
expect EPERM -u 65533 -g 65533 open $n0 O_RDONLY : fchmod 0 0644
expect 0 unlink $n0

# Search permission is needed on every directory of the path.
expect 0 mkdir $n1 0755
expect 0 create $n1/$n2 0644
expect 0 chown $n1/$n2 65534 65534
expect 0 chmod $n1 0644
expect EACCES -u 65534 -g 65534 chmod $n1/$n2 0600
expect 0 chmod $n1/$n2 0600
expect 0 chmod $n1 0755
expect 0 -u 65534 -g 65534 chmod $n1/$n2 0640
expect 0640 stat $n1/$n2 mode
expect 0 unlink $n1/$n2
expect 0 rmdir $n1

# A non-root owner that sets S_ISGID on a file whose group it is not in
# loses the bit; with the group among its groups it keeps it.
expect 0 create $n0 0644
expect 0 chown $n0 65534 65533
expect 0 -u 65534 -g 65534 chmod $n0 02755
expect 0755 stat $n0 mode
expect 0 -u 65534 -g 65534,65533 chmod $n0 02755
expect 02755 stat $n0 mode
expect 0 -u 65534 -g 65534 chmod $n0 04755
expect 04755 stat $n0 mode
expect 0 chmod $n0 02755
expect 02755 stat $n0 mode
expect 0 unlink $n0
expect 0 mkdir $n0 0755
expect 0 chown $n0 65534 65533
expect 0 -u 65534 -g 65534 chmod $n0 02755
expect 0755 stat $n0 mode
expect 0 rmdir $n0

# A symbolic link loop, and a name too long.
expect 0 symlink $n0 $n1
expect 0 symlink $n1 $n0
expect ELOOP chmod $n0 0644
expect 0 unlink $n0
expect 0 unlink $n1
long=$(printf '%0256d' 0)
expect ENAMETOOLONG chmod $long 0644
