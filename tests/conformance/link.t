# SPDX-License-Identifier: MIT
# link.t: link(2).
n0=$(namegen); n1=$(namegen); n2=$(namegen); n3=$(namegen)

# A new name for the same object: link count, owner and mode shared.
expect 0 create $n0 0644
expect 0 chown $n0 65534 65533
expect 0 chmod $n0 0640
expect 0 link $n0 $n1
expect 2 stat $n0 nlink
expect 2 stat $n1 nlink
expect 65534 stat $n1 uid
expect 65533 stat $n1 gid
expect 0640 stat $n1 mode
expect 0 chmod $n1 0604
expect 0604 stat $n0 mode
expect 0 link $n1 $n2
expect 3 stat $n0 nlink
expect 0 unlink $n0
expect 2 stat $n1 nlink
expect 0 unlink $n1
expect 1 stat $n2 nlink
expect 0604 stat $n2 mode
expect 0 unlink $n2

# FIFOs can be linked; a symbolic link is linked itself, not followed.
expect 0 mkfifo $n0 0644
expect 0 link $n0 $n1
expect fifo stat $n1 type
expect 2 stat $n0 nlink
expect 0 unlink $n0
expect 0 unlink $n1
expect 0 create $n0 0644
expect 0 symlink $n0 $n1
expect 0 link $n1 $n2
expect symlink lstat $n2 type
expect 1 stat $n0 nlink
expect 0 unlink $n2
expect 0 unlink $n1
expect 0 unlink $n0

# Errors: an existing new name, a directory, missing objects.
expect 0 create $n0 0644
expect 0 create $n1 0644
expect EEXIST link $n0 $n1
expect 0 unlink $n1
expect 0 mkdir $n1 0755
expect EEXIST link $n0 $n1
expect EPERM link $n1 $n2
expect ENOENT stat $n2 type
expect 0 rmdir $n1
expect ENOENT link $n1 $n2
expect ENOENT link $n0 $n1/$n2
expect ENOTDIR link $n0/$n1 $n2
expect ENOTDIR link $n0 $n0/$n2
expect 0 unlink $n0

# Permissions: write and search on the new name's directory, search on
# the old one's.
expect 0 mkdir $n0 0755
expect 0 mkdir $n1 0755
expect 0 chown $n0 65534 65534
expect 0 chown $n1 65534 65534
expect 0 -u 65534 -g 65534 create $n0/$n2 0644
expect 0 -u 65534 -g 65534 link $n0/$n2 $n1/$n3
expect 0 -u 65534 -g 65534 unlink $n1/$n3
expect 0 chmod $n1 0555
expect EACCES -u 65534 -g 65534 link $n0/$n2 $n1/$n3
expect 0 chmod $n1 0655
expect EACCES -u 65534 -g 65534 link $n0/$n2 $n1/$n3
expect 0 chmod $n1 0755
expect 0 chmod $n0 0644
expect EACCES -u 65534 -g 65534 link $n0/$n2 $n1/$n3
expect 0 chmod $n0 0755
expect 0 link $n0/$n2 $n1/$n3
expect 0 unlink $n1/$n3
expect 0 unlink $n0/$n2
expect 0 rmdir $n0
expect 0 rmdir $n1

# Hard link protection (fs.protected_hardlinks, as on an EFS client): a
# non-owner needs read and write permission on the file.
if [ "$CONF_MODE" = efsap ] || [ "$(cat /proc/sys/fs/protected_hardlinks 2>/dev/null)" = 1 ]; then
	expect 0 mkdir $n0 0777
	expect 0 create $n0/$n1 0644
	expect EPERM -u 65534 -g 65534 link $n0/$n1 $n0/$n2
	expect 0 chmod $n0/$n1 0666
	expect 0 -u 65534 -g 65534 link $n0/$n1 $n0/$n2
	expect 0 unlink $n0/$n2
	expect 0 chmod $n0/$n1 04666
	expect EPERM -u 65534 -g 65534 link $n0/$n1 $n0/$n2
	expect 0 unlink $n0/$n1
	expect 0 rmdir $n0
fi
