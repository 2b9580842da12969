/* SPDX-License-Identifier: MIT */
/*
 * copyup.h: Docker's copy of an image directory into an empty volume, as
 * ECS on EC2 makes it (copyup.c), and the status of a task it stops.
 */
#ifndef EFSAP_COPYUP_H
#define EFSAP_COPYUP_H

/* A task that did not start (CannotCreateContainerError). */
#define EFSAP_EXIT_NOSTART	125

/* `efsap copyup SRC DST VOLUME`, run under the library by efsap run --image. */
int cmd_copyup(int argc, char **argv);

#endif
