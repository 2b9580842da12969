/* SPDX-License-Identifier: MIT */
/*
 * lockstop.c: a record lock must not make others spin.  Child A loops
 * chmod on FILE and is stopped (SIGSTOP) at random instants, for 150 ms at
 * a time; child B loops chmod on the same FILE and counts its calls in
 * shared memory.  In every stop during which B made no progress (B waits
 * for the lock A holds), B's CPU use is measured from /proc/B/stat.
 * Prints "stops=S blocked=K maxcpu=P% progress=N"; exit 1 when B burnt
 * 50% of a CPU or more while blocked, or stopped progressing for good.
 *
 *   lockstop FILE SECONDS
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* utime + stime of PID, in clock ticks. */
static long
cpu(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long ut, st;
	FILE *f;
	int i;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	p = fgets(buf, sizeof buf, f);
	fclose(f);
	if (p == NULL || (p = strrchr(buf, ')')) == NULL)
		return -1;
	for (i = 0; i < 12 && p != NULL; i++)	/* to field 14, utime */
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p, "%lu %lu", &ut, &st) != 2)
		return -1;
	return (long)(ut + st);
}

static pid_t
looper(const char *file, volatile long *count)
{
	pid_t pid = fork();
	mode_t m = 0600;

	if (pid == 0)
		for (;;) {
			chmod(file, m ^= 044);
			if (count != NULL)
				(*count)++;
		}
	return pid;
}

int
main(int argc, char **argv)
{
	volatile long *count;
	long c0, t0, t1, hz = sysconf(_SC_CLK_TCK), last;
	int stops = 0, blocked = 0, maxcpu = 0, pct;
	time_t end;
	pid_t a, b;

	if (argc != 3)
		return 2;
	count = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	a = looper(argv[1], NULL);
	b = looper(argv[1], count);
	end = time(NULL) + atoi(argv[2]);
	srand(getpid());
	while (time(NULL) < end) {
		usleep(1000 + rand() % 20000);
		kill(a, SIGSTOP);
		c0 = *count;
		t0 = cpu(b);
		usleep(150000);
		t1 = cpu(b);
		if (*count == c0) {
			blocked++;
			pct = (int)((t1 - t0) * 100 / hz * 1000 / 150);
			if (pct > maxcpu)
				maxcpu = pct;
		}
		kill(a, SIGCONT);
		stops++;
	}
	last = *count;
	usleep(500000);		/* A runs again: B must move on */
	printf("stops=%d blocked=%d maxcpu=%d%% progress=%ld\n", stops, blocked,
	    maxcpu, *count - last);
	kill(a, SIGKILL);
	kill(b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	return maxcpu >= 50 || *count == last;
}
