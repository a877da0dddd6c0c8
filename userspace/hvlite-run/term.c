// SPDX-License-Identifier: GPL-2.0-only
/* hvlite-run: the terminal in raw mode while the guest owns it, restored on every exit path. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "hvlite-run.h"

static struct termios saved;
static volatile sig_atomic_t raw;

void term__restore(void)
{
	if (raw) {
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
		raw = 0;
	}
}

bool term__is_raw(void)
{
	return raw;
}

/* A crash of the launcher itself: give the terminal back, then die of the same signal. */
static void term__fatal_signal(int sig)
{
	term__restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

void term__init(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
	struct termios t;
	unsigned int i;

	if (raw || !isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved) < 0)
		return;
	for (i = 0; i < ARRAY_SIZE(fatal); i++)
		signal(fatal[i], term__fatal_signal);
	atexit(term__restore);
	t = saved;
	cfmakeraw(&t);
	/* Keep output post-processing: the launcher's own messages end in \n. */
	t.c_oflag |= OPOST | ONLCR;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		raw = 1;
}
