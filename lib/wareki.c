/* SPDX-License-Identifier: MIT */
/*
 * Japanese calendar notation.  Era boundaries are the days each era began:
 * 平成31年4月30日 is followed by 令和元年5月1日, 昭和64年1月7日 by 平成元年1月8日.
 */
#include <stdio.h>

#include "wareki.h"

static const struct era {
	const char	*name;		/* 令和 */
	int		 y, m, d;	/* its first day, Gregorian */
} eras[] = {
	{ "令和", 2019, 5, 1 },
	{ "平成", 1989, 1, 8 },
	{ "昭和", 1926, 12, 25 },
	{ "大正", 1912, 7, 30 },
	{ "明治", 1868, 1, 25 },
	{ NULL, 0, 0, 0 }
};

static const char *const wdays[] = { "日曜日", "月曜日", "火曜日", "水曜日",
    "木曜日", "金曜日", "土曜日" };

const char *
wareki_wday_name(int w)
{
	return w >= 0 && w < 7 ? wdays[w] : "?";
}

static int
on_or_after(const struct local_time *lt, int y, int m, int d)
{
	if (lt->year != y)
		return lt->year > y;
	if (lt->month != m)
		return lt->month > m;
	return lt->day >= d;
}

/* 令和8年 (元年 for an era's first year; 西暦 before 明治). */
static int
era_year(const struct local_time *lt, struct sbuf *b)
{
	const struct era *e;
	int n;

	for (e = eras; e->name != NULL; e++)
		if (on_or_after(lt, e->y, e->m, e->d))
			break;
	if (e->name == NULL)
		return sbuf_printf(b, "西暦%d年", lt->year);
	n = lt->year - e->y + 1;
	if (n == 1)
		return sbuf_printf(b, "%s元年", e->name);
	return sbuf_printf(b, "%s%d年", e->name, n);
}

int
wareki_date(const struct local_time *lt, struct sbuf *b)
{
	if (era_year(lt, b) == -1)
		return -1;
	return sbuf_printf(b, "%d月%d日", lt->month, lt->day);
}

int
wareki_month(const struct local_time *lt, struct sbuf *b)
{
	if (era_year(lt, b) == -1)
		return -1;
	return sbuf_printf(b, "%d月", lt->month);
}

int
wareki_date_wday(const struct local_time *lt, struct sbuf *b)
{
	if (wareki_date(lt, b) == -1)
		return -1;
	return sbuf_printf(b, "（%s）", wareki_wday_name(lt->wday));
}

int
wareki_hm(const struct local_time *lt, struct sbuf *b)
{
	return sbuf_printf(b, "%d時%02d分", lt->hour, lt->min);
}

int
wareki_datetime(const struct local_time *lt, struct sbuf *b)
{
	if (wareki_date_wday(lt, b) == -1)
		return -1;
	return wareki_hm(lt, b);
}

int
wareki_short_time(const struct local_time *lt, struct sbuf *b)
{
	return sbuf_printf(b, "%02d:%02d", lt->hour, lt->min);
}

int
wareki_short_daytime(const struct local_time *lt, struct sbuf *b)
{
	return sbuf_printf(b, "%d/%d %02d:%02d", lt->month, lt->day, lt->hour,
	    lt->min);
}

int64_t
duration_minutes(int64_t usec)
{
	return usec <= 0 ? 0 : usec / 60000000;
}

/*
 * Days only when at least one day, hours when at least one hour or when
 * days are shown (1日間0時間5分間), minutes always.
 */
int
duration_format(int64_t usec, struct sbuf *b)
{
	int64_t m = duration_minutes(usec);
	int64_t days = m / 1440, hours = m / 60 % 24, mins = m % 60;

	if (days > 0)
		return sbuf_printf(b, "%lld日間%lld時間%lld分間", (long long)days,
		    (long long)hours, (long long)mins);
	if (hours > 0)
		return sbuf_printf(b, "%lld時間%lld分間", (long long)hours,
		    (long long)mins);
	return sbuf_printf(b, "%lld分間", (long long)mins);
}

int
count_format(int64_t n, struct sbuf *b)
{
	char digits[32], out[48];
	int len, i, o = 0;

	if (n < 0) {
		out[o++] = '-';
		n = -n;
	}
	len = snprintf(digits, sizeof(digits), "%lld", (long long)n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return sbuf_adds(b, out);
}
