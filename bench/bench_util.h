/*
 * bench_util.h - what every benchmark tool shares: one clock, one way to
 * report an event, and fatal errors.
 *
 * All tools (bgpgen, bgpsink, fibwatch, fibload) run in different
 * network namespaces of one machine and stamp their events with
 * CLOCK_MONOTONIC, which namespaces share, so run.sh can subtract the
 * time one tool saw from the time another saw.  An event is one line on
 * stdout, "NAME SECONDS [key=value...]", flushed at once: run.sh waits
 * for the line in the tool's output file.
 */
#ifndef FLATBGP_BENCH_UTIL_H
#define FLATBGP_BENCH_UTIL_H

#include <stdint.h>

#if defined(__GNUC__)
#define BENCH_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define BENCH_NORETURN __attribute__((noreturn))
#else
#define BENCH_PRINTF(a, b)
#define BENCH_NORETURN
#endif

/* Nanoseconds of CLOCK_MONOTONIC. */
uint64_t bench_now_ns(void);
/*
 * Prints "name SECONDS" with the time at_ns, then the optional
 * printf-formatted details, and flushes stdout.
 */
void bench_event(const char *name, uint64_t at_ns, const char *fmt, ...)
    BENCH_PRINTF(3, 4);
/* "tool: message" on stderr, exit status 1. */
void bench_fatal(const char *fmt, ...) BENCH_PRINTF(1, 2) BENCH_NORETURN;
/* "tool: message" on stderr. */
void bench_warn(const char *fmt, ...) BENCH_PRINTF(1, 2);
/* Sets the tool name used by bench_fatal and bench_warn. */
void bench_set_name(const char *name);
/* Parses a decimal count (suffixes k and M allowed); fatal if malformed. */
uint64_t bench_parse_count(const char *text, const char *what);

#endif /* FLATBGP_BENCH_UTIL_H */
