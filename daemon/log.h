/* SPDX-License-Identifier: MIT */
/*
 * Logging to standard error, where systemd's journal or the sandbox's log
 * file picks it up (STYLE.md, habit 10): the *_warn variants append
 * strerror(errno), the *x variants do not.  Under the journal a line is
 * "<N>name: message" (sd-daemon(3) priorities), elsewhere
 * "ISO-8601-time name: level: message"; always one line.
 */
#ifndef SOCHID_LOG_H
#define SOCHID_LOG_H

#include <stdarg.h>

#include "config.h"

/* Name of the program in each line; decides the journal's format or ours. */
void	log_init(const char *, enum log_level);
void	log_setlevel(enum log_level);
enum log_level log_getlevel(void);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* A message folded to one line (libpq's come with several). */
void	log_fold(char *, size_t, const char *);
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
