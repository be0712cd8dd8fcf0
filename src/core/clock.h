/* clock: monotonic milliseconds, for timeouts and pacing that a wall-clock step must not disturb. */
#ifndef KEFU_CORE_CLOCK_H
#define KEFU_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
