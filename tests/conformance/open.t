# SPDX-License-Identifier: MIT
# open.t: open(2): creation, permissions, flags, and O_TRUNC / write
# clearing the set-id bits.
n0=$(namegen); n1=$(namegen); n2=$(namegen)

# O_CREAT: a regular file with the mode less the umask, owned by the
# effective ids; an existing file is opened as it is.
expect 0 open $n0 O_CREAT,O_WRONLY 0755
expect regular stat $n0 type
expect 0755 stat $n0 mode
expect 0 stat $n0 uid
expect 0 stat $n0 gid
expect 0 open $n0 O_CREAT,O_WRONLY 0600
expect 0755 stat $n0 mode
expect EEXIST open $n0 O_CREAT,O_EXCL,O_WRONLY 0644
expect 0 unlink $n0
expect 0 -U 027 open $n0 O_CREAT,O_RDWR 0777
expect 0750 stat $n0 mode
expect 0 unlink $n0
expect 0 open $n0 O_CREAT,O_RDWR 04755
expect 04755 stat $n0 mode
expect 0 unlink $n0

expect 0 mkdir $n0 0777
expect 0 -u 65534 -g 65533,65534 open $n0/$n1 O_CREAT,O_WRONLY 0640
expect 65534 stat $n0/$n1 uid
expect 65533 stat $n0/$n1 gid
expect 0640 stat $n0/$n1 mode
expect 0 unlink $n0/$n1
# A setgid parent gives its group (but not its setgid bit) to a new file;
# a creator outside that group does not get S_ISGID from the mode.
expect 0 chown $n0 0 65532
expect 0 chmod $n0 02777
expect 0 -u 65534 -g 65534 open $n0/$n1 O_CREAT,O_WRONLY 0644
expect 65534 stat $n0/$n1 uid
expect 65532 stat $n0/$n1 gid
expect 0644 stat $n0/$n1 mode
expect 0 -u 65534 -g 65534 open $n0/$n2 O_CREAT,O_WRONLY 02755
expect 0755 stat $n0/$n2 mode
expect 0 unlink $n0/$n2
expect 0 -u 65534 -g 65534,65532 open $n0/$n2 O_CREAT,O_WRONLY 02755
expect 02755 stat $n0/$n2 mode
expect 0 unlink $n0/$n2
expect 0 unlink $n0/$n1
expect 0 rmdir $n0

# Read and write permission by owner, group and other bits; root bypasses.
expect 0 create $n0 0640
expect 0 chown $n0 65534 65533
expect 0 -u 65534 -g 65534 open $n0 O_RDWR
expect 0 -u 65532 -g 65533 open $n0 O_RDONLY
expect EACCES -u 65532 -g 65533 open $n0 O_WRONLY
expect 0 -u 65532 -g 65532,65533 open $n0 O_RDONLY
expect EACCES -u 65532 -g 65532 open $n0 O_RDONLY
expect 0 chmod $n0 0406
expect EACCES -u 65534 -g 65534 open $n0 O_WRONLY
expect EACCES -u 65534 -g 65533 open $n0 O_RDWR
expect 0 -u 65532 -g 65532 open $n0 O_RDWR
expect 0 chmod $n0 0000
expect EACCES -u 65534 -g 65534 open $n0 O_RDONLY
expect 0 open $n0 O_RDWR
expect 0 unlink $n0

# Creating needs write and search on the directory; opening needs search.
expect 0 mkdir $n0 0755
expect 0 chown $n0 65534 65534
expect 0 -u 65534 -g 65534 create $n0/$n1 0644
expect 0 chmod $n0 0555
expect EACCES -u 65534 -g 65534 open $n0/$n2 O_CREAT,O_WRONLY 0644
expect 0 -u 65534 -g 65534 open $n0/$n1 O_CREAT,O_WRONLY 0644
expect 0 chmod $n0 0644
expect EACCES -u 65534 -g 65534 open $n0/$n1 O_RDONLY
expect 0 open $n0/$n1 O_RDONLY
expect 0 chmod $n0 0755
expect 0 unlink $n0/$n1
expect 0 rmdir $n0

# Flags.
expect 0 mkdir $n0 0755
expect EISDIR open $n0 O_WRONLY
expect EISDIR open $n0 O_RDWR
expect EISDIR open $n0 O_CREAT,O_WRONLY 0644
expect 0 open $n0 O_RDONLY,O_DIRECTORY
expect 0 create $n0/$n1 0644
expect ENOTDIR open $n0/$n1 O_RDONLY,O_DIRECTORY
expect ENOTDIR open $n0/$n1/$n2 O_RDONLY
expect ENOTDIR open $n0/$n1/$n2 O_CREAT,O_WRONLY 0644
expect 0 symlink $n1 $n0/$n2
expect ELOOP open $n0/$n2 O_RDONLY,O_NOFOLLOW
expect 0 open $n0/$n2 O_RDONLY
expect EEXIST open $n0/$n2 O_CREAT,O_EXCL,O_WRONLY 0644
expect 0 unlink $n0/$n2
expect ENOENT open $n0/$n2 O_RDONLY
expect ENOENT open $n0/$n2/$n1 O_CREAT,O_WRONLY 0644
expect 0 symlink $n2 $n0/$n2
expect ELOOP open $n0/$n2 O_RDONLY
expect 0 unlink $n0/$n2
expect 0 unlink $n0/$n1
expect 0 rmdir $n0
long=$(printf '%0256d' 0)
expect ENAMETOOLONG open $long O_CREAT,O_WRONLY 0644

# Data round trip, O_APPEND and O_TRUNC.
expect 0 open $n0 O_CREAT,O_WRONLY 0644 : write 0 hello
expect 5 stat $n0 size
expect hello open $n0 O_RDONLY : read 0 10
expect 0 open $n0 O_WRONLY,O_APPEND : write 0 world
expect helloworld open $n0 O_RDONLY : read 0 20
expect 0 open $n0 O_WRONLY,O_TRUNC
expect 0 stat $n0 size
expect 0 unlink $n0

# O_TRUNC by a non-root writer clears S_ISUID, and S_ISGID when the group
# may execute; root's does not.
expect 0 mkdir $n1 0777
expect 0 create $n1/$n0 0644
expect 0 chown $n1/$n0 65534 65534
expect 0 chmod $n1/$n0 06755
expect 0 -u 65534 -g 65534 open $n1/$n0 O_WRONLY,O_TRUNC
expect 0755 stat $n1/$n0 mode
expect 0 chmod $n1/$n0 06777
expect 0 -u 65533 -g 65533 open $n1/$n0 O_RDWR,O_TRUNC
expect 0777 stat $n1/$n0 mode
expect 0 chmod $n1/$n0 02744
expect 0 -u 65534 -g 65534 open $n1/$n0 O_WRONLY,O_TRUNC
expect 02744 stat $n1/$n0 mode
expect 0 chmod $n1/$n0 06755
expect 0 open $n1/$n0 O_WRONLY,O_TRUNC
expect 06755 stat $n1/$n0 mode

# write(2) by a non-root writer clears the set-id bits the same way.
expect 0 chmod $n1/$n0 06755
expect 0755 -u 65534 -g 65534 open $n1/$n0 O_WRONLY : write 0 x : stat $n1/$n0 mode
expect 0 chmod $n1/$n0 04777
expect 0777 -u 65533 -g 65533 open $n1/$n0 O_WRONLY : write 0 x : fstat 0 mode
expect 0 chmod $n1/$n0 06755
expect 06755 open $n1/$n0 O_WRONLY : write 0 x : fstat 0 mode
expect 0 unlink $n1/$n0
expect 0 rmdir $n1
