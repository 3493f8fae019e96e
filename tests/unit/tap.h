/*
 * tap.h - a minimal Test Anything Protocol producer for unit tests.
 *
 * Each check prints "ok N - name" or "not ok N - name"; tap_done()
 * prints the plan and returns the exit status, so automake's TAP driver
 * counts every check, not just every program.
 */
#ifndef FLATBGP_TAP_H
#define FLATBGP_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count;
static int tap_failed;

static inline int
tap_ok(int condition, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!condition)
		tap_failed++;
	printf("%sok %d - ", condition ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return condition;
}

#define ok(cond, ...) tap_ok((cond) != 0, __VA_ARGS__)
#define is_int(got, want, name) do {					\
	long long got_ = (long long)(got), want_ = (long long)(want);	\
	if (!ok(got_ == want_, "%s", (name)))				\
		printf("# got %lld, want %lld (%s:%d)\n", got_, want_,	\
		    __FILE__, __LINE__);				\
} while (0)
#define is_str(got, want, name) do {					\
	const char *got_ = (got), *want_ = (want);			\
	int same_ = got_ && want_ ? strcmp(got_, want_) == 0 : got_ == want_; \
	if (!ok(same_, "%s", (name)))					\
		printf("# got \"%s\", want \"%s\" (%s:%d)\n",		\
		    got_ ? got_ : "(null)", want_ ? want_ : "(null)",	\
		    __FILE__, __LINE__);				\
} while (0)

static inline void
tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* FLATBGP_TAP_H */
