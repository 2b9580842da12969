# SPDX-License-Identifier: MIT
# rename.t: rename(2).
n0=$(namegen); n1=$(namegen); n2=$(namegen); n3=$(namegen)

# The object moves with its owner and mode, of every type.
expect 0 create $n0 0644
expect 0 chown $n0 65534 65533
expect 0 chmod $n0 0640
expect 0 rename $n0 $n1
expect ENOENT stat $n0 type
expect 65534 stat $n1 uid
expect 65533 stat $n1 gid
expect 0640 stat $n1 mode
expect 0 unlink $n1
expect 0 mkdir $n0 0750
expect 0 create $n0/$n2 0600
expect 0 rename $n0 $n1
expect dir stat $n1 type
expect 0750 stat $n1 mode
expect 0600 stat $n1/$n2 mode
expect 0 unlink $n1/$n2
expect 0 rmdir $n1
expect 0 mkfifo $n0 0604
expect 0 rename $n0 $n1
expect fifo stat $n1 type
expect 0604 stat $n1 mode
expect 0 unlink $n1
expect 0 create $n0 0644
expect 0 symlink $n0 $n1
expect 0 rename $n1 $n2
expect symlink lstat $n2 type
expect $n0 readlink $n2
expect regular stat $n0 type
expect 0 unlink $n2
expect 0 unlink $n0

# Replacing: a file over a file, a directory over an empty directory.
expect 0 create $n0 0600
expect 0 create $n1 0644
expect 0 chown $n1 65534 65534
expect 0 rename $n0 $n1
expect 0600 stat $n1 mode
expect 0 stat $n1 uid
expect ENOENT stat $n0 type
expect 0 link $n1 $n2
expect 0 rename $n1 $n2
expect regular stat $n1 type
expect 2 stat $n2 nlink
expect 0 unlink $n1
expect 0 unlink $n2
expect 0 mkdir $n0 0700
expect 0 mkdir $n1 0755
expect 0 rename $n0 $n1
expect 0700 stat $n1 mode
expect 0 mkdir $n0 0755
expect 0 create $n1/$n2 0644
expect "ENOTEMPTY|EEXIST" rename $n0 $n1
expect 0 create $n2 0644
expect EISDIR rename $n2 $n0
expect ENOTDIR rename $n0 $n2
expect EINVAL rename $n1 $n1/$n3
expect ENOENT rename $n3 $n0
expect ENOENT rename $n2 $n3/$n0
expect ENOTDIR rename $n2 $n2/$n3
expect 0 unlink $n2
expect 0 unlink $n1/$n2
expect 0 rmdir $n1
expect 0 rmdir $n0

# Write and search on both directories.
expect 0 mkdir $n0 0755
expect 0 mkdir $n1 0755
expect 0 chown $n0 65534 65534
expect 0 chown $n1 65534 65534
expect 0 -u 65534 -g 65534 create $n0/$n2 0644
expect 0 chmod $n0 0555
expect EACCES -u 65534 -g 65534 rename $n0/$n2 $n1/$n3
expect 0 chmod $n0 0755
expect 0 chmod $n1 0555
expect EACCES -u 65534 -g 65534 rename $n0/$n2 $n1/$n3
expect 0 chmod $n1 0644
expect EACCES -u 65534 -g 65534 rename $n0/$n2 $n1/$n3
expect 0 chmod $n1 0755
expect 0 -u 65534 -g 65534 rename $n0/$n2 $n1/$n3
expect 65534 stat $n1/$n3 uid
expect 0 unlink $n1/$n3
# Moving a directory to another parent needs write permission on it (its
# ".." changes); renaming it within its parent does not.
expect 0 mkdir $n0/$n2 0755
expect 0 -u 65534 -g 65534 rename $n0/$n2 $n0/$n3
expect EACCES -u 65534 -g 65534 rename $n0/$n3 $n1/$n3
expect 0 chown $n0/$n3 65534 65534
expect 0 -u 65534 -g 65534 rename $n0/$n3 $n1/$n3
expect 0 rmdir $n1/$n3
expect 0 rmdir $n0
expect 0 rmdir $n1

# Sticky directories: only root, the entry's owner or the directory's owner.
expect 0 mkdir $n0 0777
expect 0 chmod $n0 01777
expect 0 chown $n0 65532 65532
expect 0 -u 65534 -g 65534 create $n0/$n1 0644
expect 0 -u 65533 -g 65533 create $n0/$n2 0666
expect EPERM -u 65533 -g 65533 rename $n0/$n1 $n0/$n3
expect 0 -u 65534 -g 65534 rename $n0/$n1 $n0/$n3
expect EPERM -u 65534 -g 65534 rename $n0/$n3 $n0/$n2
expect 0 -u 65532 -g 65532 rename $n0/$n3 $n0/$n1
expect 0 rename $n0/$n1 $n0/$n3
expect 0 -u 65533 -g 65533 rename $n0/$n2 $n0/$n1
expect 0 unlink $n0/$n1
expect 0 unlink $n0/$n3
expect 0 rmdir $n0
