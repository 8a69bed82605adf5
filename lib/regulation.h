/*
 * The thresholds of 重大な事故 (施行規則 第58条第2項) as dated data, the
 * classification of an incident against them, and the report deadlines
 * (spec/regulation.md).
 */
#ifndef SOCHI_REGULATION_H
#define SOCHI_REGULATION_H

#include <stdint.h>

struct reg_pair {
	int		 hours;		/* duration limit; 0: no such pair */
	int64_t		 users;		/* affected-user limit */
};

struct reg_row {
	const char	*kanji;		/* 五, or "" for the single pre-2015 rule */
	const char	*text;		/* the row's wording for ＜…区分＞ */
	struct reg_pair	 a, b;		/* pair A and, where the row has one, B */
};

struct reg_table {
	int		 from;		/* first day in force, YYYYMMDD */
	int		 to;		/* last day in force, YYYYMMDD */
	const struct reg_row *rows;	/* the rows, in order */
	int		 nrows;		/* how many */
	int		 row_of[6];	/* today's category 1..5 to a row index */
	const char	*source;	/* where the table was read */
};

enum reg_class {
	REG_NONE,			/* neither serious nor periodic */
	REG_PERIODIC,			/* the periodic accident report */
	REG_SERIOUS			/* 重大な事故 */
};

struct reg_date {
	int		 year, month, day;
};

struct reg_result {
	enum reg_class	 cls;		/* what it is */
	const struct reg_table *table;	/* the table in force on 発生日 */
	const struct reg_row *row;	/* its row for the category */
	char		 pair;		/* 'A' or 'B' when serious by a pair, else 0 */
	int		 key_facility;	/* serious by the satellite/submarine rule */
	int		 by_duration;	/* periodic: the 2-hour limit was reached */
	int		 by_users;	/* periodic: the 30,000-user limit was reached */
	struct reg_date	 due;		/* 詳報 or periodic report due date */
	int		 due_quarterly;	/* periodic, under the quarterly rule */
	int		 due_to_confirm; /* the due date needs a person's check */
};

/* The table in force on a date (YYYYMMDD), or NULL before any. */
const struct reg_table *reg_table_for(int);
/*
 * Classifies an incident: its 発生日 (local), category 1..5, longest impact
 * in µs, most users affected, and whether a key facility (satellite,
 * submarine cable) lost all communication for that duration.
 */
int	reg_classify(struct reg_date, int, int64_t, int64_t, int,
	    struct reg_result *);
/* date + days */
struct reg_date reg_date_add(struct reg_date, int);
const char *reg_class_name(enum reg_class);

#endif
