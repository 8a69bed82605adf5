/* SPDX-License-Identifier: MIT */
/*
 * The thresholds of 重大な事故 (施行規則 第58条第2項) as dated data, the
 * classification of an incident against them, and the report deadlines
 * (spec/regulation.md).
 *
 * A figure that is not known is never taken for zero: with no user count
 * (REG_USERS_UNKNOWN) or no category (0) the result is the range of classes
 * the missing figure leaves open, REG_UNDETERMINED when that range holds
 * more than one class, with the due date of each end.
 */
#ifndef SOCHI_REGULATION_H
#define SOCHI_REGULATION_H

#include <stdint.h>

/* Users not known: the classification says what it would be either way. */
#define REG_USERS_UNKNOWN	(-1)
/* Categories: 1..5 as numbered today; 6 only for impacts (see regulation.c). */
#define REG_CATEGORY_MAX	6

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
	const char	*name;		/* how [report] table and --table name it */
	int		 from;		/* first day in force, YYYYMMDD; 0: never */
	int		 to;		/* last day in force, YYYYMMDD */
	const struct reg_row *rows;	/* the rows, in order */
	int		 nrows;		/* how many */
	int		 row_of[REG_CATEGORY_MAX + 1]; /* category to a row index */
	const char	*source;	/* where the table was read */
};

enum reg_class {
	REG_NONE,			/* neither serious nor periodic */
	REG_PERIODIC,			/* the periodic accident report */
	REG_SERIOUS,			/* 重大な事故 */
	REG_UNDETERMINED		/* a missing figure leaves it open */
};

struct reg_date {
	int		 year, month, day;
};

struct reg_result {
	enum reg_class	 cls;		/* what it is */
	const struct reg_table *table;	/* the table in force on 発生日 */
	const struct reg_row *row;	/* its row for the category, or NULL */
	char		 pair;		/* 'A' or 'B' when serious by a pair, else 0 */
	int		 key_facility;	/* serious by the satellite/submarine rule */
	int		 by_duration;	/* periodic: the 2-hour limit was reached */
	int		 by_users;	/* periodic: the 30,000-user limit was reached */
	struct reg_date	 due;		/* 詳報 or periodic report due date */
	int		 due_quarterly;	/* periodic, under the quarterly rule */
	int		 due_to_confirm; /* the due date needs a person's check */
	int		 users_unknown;	/* no user count was given */
	int		 category_unknown; /* no category was given: row is NULL */
	enum reg_class	 lo, hi;	/* undetermined: the least and most severe */
	char		 hi_pair;	/* hi serious by a pair of row: which */
	struct reg_date	 due_serious;	/* the 詳報's due date, should it be serious */
	struct reg_date	 due_periodic;	/* the periodic report's, should it be one */
};

/* The dated table in force on a date (YYYYMMDD), or NULL before any. */
const struct reg_table *reg_table_for(int);
/*
 * A table by name: "in-force" (NULL: chosen by date), a dated table's year
 * ("1985", "2015", "2019") or "proposed-2025".  Returns -1 for any other.
 */
int	reg_table_named(const char *, const struct reg_table **);
/* The names reg_table_named takes, for messages: "in-force, 1985, ...". */
const char *reg_table_names(void);
/*
 * Classifies an incident or one impact: its 発生日 (local), category 1..6
 * (0: unknown), duration in µs, most users affected (REG_USERS_UNKNOWN:
 * unknown), and whether a key facility (satellite, submarine cable) lost
 * all communication for that duration.  reg_classify uses the table in
 * force on the date; reg_classify_in the one given (NULL: the same).
 * Returns -1 when no table applies or the category is out of range.
 */
int	reg_classify(struct reg_date, int, int64_t, int64_t, int,
	    struct reg_result *);
int	reg_classify_in(const struct reg_table *, struct reg_date, int,
	    int64_t, int64_t, int, struct reg_result *);
/* How severe a result is, to pick an incident's most severe impact. */
int	reg_severity(const struct reg_result *);
/* date + days */
struct reg_date reg_date_add(struct reg_date, int);
const char *reg_class_name(enum reg_class);

#endif
