/*
 * bench_util.c - the clock, event lines and error exits of the benchmark
 * tools (see bench_util.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_util.h"

static const char *bench_name = "bench";

void
bench_set_name(const char *name)
{
	bench_name = name;
}

uint64_t
bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void
bench_event(const char *name, uint64_t at_ns, const char *fmt, ...)
{
	va_list ap;

	printf("%s %llu.%09llu", name,
	    (unsigned long long)(at_ns / 1000000000u),
	    (unsigned long long)(at_ns % 1000000000u));
	if (fmt != NULL) {
		putchar(' ');
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	putchar('\n');
	fflush(stdout);
}

static void
bench_vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", bench_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
bench_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bench_vwarn(fmt, ap);
	va_end(ap);
}

void
bench_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bench_vwarn(fmt, ap);
	va_end(ap);
	exit(1);
}

uint64_t
bench_parse_count(const char *text, const char *what)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || end == text)
		bench_fatal("%s: not a number: %s", what, text);
	if (*end == 'k' || *end == 'K') {
		v *= 1000;
		end++;
	} else if (*end == 'M') {
		v *= 1000000;
		end++;
	}
	if (*end != '\0')
		bench_fatal("%s: not a number: %s", what, text);
	return v;
}
