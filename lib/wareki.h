/* SPDX-License-Identifier: MIT */
/*
 * The notation of the form (spec/form-50-3.md, "Notation"): dates in the
 * Japanese era with the weekday in full, times as 12時00分 or 12:00, the
 * timeline's M/D day markers, durations such as 10日間11時間40分間, and
 * counts with thousands separators.
 */
#ifndef SOCHI_WAREKI_H
#define SOCHI_WAREKI_H

#include <stdint.h>

#include "sbuf.h"
#include "zone.h"

/* 令和8年11月25日 (元年 for an era's first year; 西暦 before 明治). */
int	wareki_date(const struct local_time *, struct sbuf *);
/* 令和8年11月 */
int	wareki_month(const struct local_time *, struct sbuf *);
/* 令和8年11月25日（水曜日） */
int	wareki_date_wday(const struct local_time *, struct sbuf *);
/* 令和8年11月25日（水曜日）12時00分 */
int	wareki_datetime(const struct local_time *, struct sbuf *);
/* 12時00分 */
int	wareki_hm(const struct local_time *, struct sbuf *);
/* 12:03 */
int	wareki_short_time(const struct local_time *, struct sbuf *);
/* 11/26 00:10 */
int	wareki_short_daytime(const struct local_time *, struct sbuf *);
/* The weekday's full name, 水曜日. */
const char *wareki_wday_name(int);

/* A duration in µs as the form writes it, truncated to whole minutes. */
int	duration_format(int64_t, struct sbuf *);
/* Whole minutes of a duration, truncated. */
int64_t	duration_minutes(int64_t);
/* 58,990 */
int	count_format(int64_t, struct sbuf *);

#endif
