/*
 * log.h - logging to stderr with levels.
 *
 * flatbgpd runs in the foreground under a container runtime or systemd,
 * so it logs lines to stderr ("LEVEL: message"); -d switches to syslog.
 * fatal() is for broken invariants and out-of-memory only, never for
 * anything a peer or a configuration file can cause.
 */
#ifndef FLATBGP_LOG_H
#define FLATBGP_LOG_H

#include <stddef.h>
#include <stdint.h>
#include <syslog.h>

#if defined(__GNUC__)
#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define LOG_NORETURN __attribute__((noreturn))
#else
#define LOG_PRINTF(a, b)
#define LOG_NORETURN
#endif

/* level is a syslog priority: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG. */
void log_init(int level, int use_syslog);
void log_set_level(int level);
int log_get_level(void);
int log_enabled(int level);
/* Parses "error" | "warning" | "info" | "debug"; -1 if unknown. */
int log_level_parse(const char *name);
const char *log_level_name(int level);

void log_msg(int level, const char *fmt, ...) LOG_PRINTF(2, 3);
#define log_error(...)	log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...)	do { if (log_enabled(LOG_DEBUG)) \
	log_msg(LOG_DEBUG, __VA_ARGS__); } while (0)
/* Logs prefix followed by len bytes in hex (truncated past 256 bytes). */
void log_hex(int level, const char *prefix, const uint8_t *data, size_t len);
void fatal(const char *fmt, ...) LOG_PRINTF(1, 2) LOG_NORETURN;
void fatalx_oom(void) LOG_NORETURN;

/* Allocation wrappers that cannot fail (fatal on out-of-memory). */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t count, size_t size);
char *xstrdup(const char *s);

#endif /* FLATBGP_LOG_H */
