/* SPDX-License-Identifier: MIT */
/*
 * The dated threshold tables.  Keep them as data: a new table is one more
 * entry below, never a change to the code that reads them.
 *
 * Each row's text is what the report prints under ＜影響を与えた電気通信役務の
 * 区分＞, so it is the statute's wording of that row, in full: no ellipsis,
 * no shortened exclusion (spec/regulation.md; 施行規則 第58条第2項の表).
 */
#include <stddef.h>
#include <string.h>

#include "regulation.h"
#include "rfc3339.h"

#define MAN	10000

/* The rows every table since 2015 shares, with the same limits. */
#define ROW_VOICE_EMERGENCY(k) { k, "緊急通報を取り扱う音声伝送役務", \
	{ 1, 3 * MAN }, { 0, 0 } }
#define ROW_VOICE(k, bu) { k, "緊急通報を取り扱わない音声伝送役務", \
	{ 2, 3 * MAN }, { 1, bu } }

/* Until 2015-03-31: one rule for every service. */
static const struct reg_row rows_1985[] = {
	{ "", "電気通信役務", { 2, 3 * MAN }, { 0, 0 } },
};

/*
 * 2015-04-01 to 2019-03-31: four rows.  The limits of each row are those of
 * the same service in the 2019 table, into which the LPWA row was inserted
 * as 三 (spec/regulation.md); LPWA (today's category 3) fell under 四.
 */
static const struct reg_row rows_2015[] = {
	ROW_VOICE_EMERGENCY("一"),
	ROW_VOICE("二", 10 * MAN),
	{ "三", "利用者から電気通信役務の提供の対価としての料金の支払を受けない"
	    "インターネット関連サービス（一の項及び二の項に掲げる電気通信役務を"
	    "除く。）", { 24, 10 * MAN }, { 12, 100 * MAN } },
	{ "四", "一の項から三の項までに掲げる電気通信役務以外の電気通信役務",
	    { 2, 3 * MAN }, { 1, 100 * MAN } },
};

/*
 * From 2019-04-01 (identical in the 2023-12-07 and 2025-04-01 texts).  Row
 * 三 names the LPWA services by the statute's defined terms; the statute
 * adds the definitions of those terms in parentheses, which this text does
 * not repeat.
 */
static const struct reg_row rows_2019[] = {
	ROW_VOICE_EMERGENCY("一"),
	ROW_VOICE("二", 10 * MAN),
	{ "三", "セルラーＬＰＷＡを使用する携帯電話（一の項及び二の項に掲げる"
	    "電気通信役務を除く。）及びアンライセンスＬＰＷＡサービス",
	    { 12, 3 * MAN }, { 2, 100 * MAN } },
	{ "四", "利用者から電気通信役務の提供の対価としての料金の支払を受けない"
	    "インターネット関連サービス（一の項から三の項までに掲げる電気通信役務"
	    "を除く。）", { 24, 10 * MAN }, { 12, 100 * MAN } },
	{ "五", "一の項から四の項までに掲げる電気通信役務以外の電気通信役務",
	    { 2, 3 * MAN }, { 1, 100 * MAN } },
};

/*
 * The council's report of 2025-09-01 (情報通信審議会答申) proposed lower
 * limits: data services 1時間/10万人, and for free e-mail and messaging
 * services with at least 10 million monthly active users 4時間/10万人 or
 * 2時間/100万人.  No enacted text exists, so this table has no dates: it is
 * chosen by name only, for a what-if, and its wording describes the
 * proposal.  The large free messaging services are category 6 (an impact's
 * category; today's tables put them with 4).
 */
static const struct reg_row rows_proposed_2025[] = {
	ROW_VOICE_EMERGENCY("一"),
	ROW_VOICE("二", 10 * MAN),
	{ "三", "セルラーＬＰＷＡを使用する携帯電話（一の項及び二の項に掲げる"
	    "電気通信役務を除く。）及びアンライセンスＬＰＷＡサービス",
	    { 12, 3 * MAN }, { 2, 100 * MAN } },
	{ "四", "利用者から電気通信役務の提供の対価としての料金の支払を受けない"
	    "インターネット関連サービス（一の項から三の項まで及び四の二の項に掲げる"
	    "電気通信役務を除く。）（答申案）", { 24, 10 * MAN },
	    { 12, 100 * MAN } },
	{ "四の二", "利用者から電気通信役務の提供の対価としての料金の支払を受けない"
	    "電子メール又はメッセージングサービスであつて、月間アクティブ利用者数が"
	    "一千万以上のもの（答申案）", { 4, 10 * MAN }, { 2, 100 * MAN } },
	{ "五", "一の項から四の二の項までに掲げる電気通信役務以外の電気通信役務"
	    "（答申案）", { 2, 3 * MAN }, { 1, 10 * MAN } },
};

static const struct reg_table tables[] = {
	{ "1985", 19850401, 20150331, rows_1985, 1, { 0, 0, 0, 0, 0, 0, 0 },
	    "施行規則第58条 (2015年3月31日まで)" },
	{ "2015", 20150401, 20190331, rows_2015, 4, { 0, 0, 1, 3, 2, 3, 2 },
	    "施行規則第58条第2項 (2015年4月1日から)" },
	{ "2019", 20190401, 99991231, rows_2019, 5, { 0, 0, 1, 2, 3, 4, 3 },
	    "施行規則第58条第2項 (2019年4月1日から; 2023-12-07, 2025-04-01 版)" },
	{ "proposed-2025", 0, 0, rows_proposed_2025, 6,
	    { 0, 0, 1, 2, 3, 5, 4 },
	    "情報通信審議会答申 (2025年9月1日) の案: 施行されていない" },
};

#define NTABLES	(sizeof(tables) / sizeof(tables[0]))

const char *
reg_class_name(enum reg_class c)
{
	switch (c) {
	case REG_SERIOUS: return "serious";
	case REG_PERIODIC: return "periodic";
	case REG_UNDETERMINED: return "undetermined";
	default: return "none";
	}
}

const struct reg_table *
reg_table_for(int ymd)
{
	size_t i;

	for (i = 0; i < NTABLES; i++)
		if (tables[i].from != 0 && ymd >= tables[i].from &&
		    ymd <= tables[i].to)
			return &tables[i];
	return NULL;
}

int
reg_table_named(const char *name, const struct reg_table **t)
{
	size_t i;

	*t = NULL;
	if (name == NULL || *name == '\0' || strcmp(name, "in-force") == 0)
		return 0;
	for (i = 0; i < NTABLES; i++)
		if (strcmp(tables[i].name, name) == 0) {
			*t = &tables[i];
			return 0;
		}
	return -1;
}

const char *
reg_table_names(void)
{
	return "in-force, 1985, 2015, 2019 or proposed-2025";
}

struct reg_date
reg_date_add(struct reg_date d, int days)
{
	int64_t y;
	unsigned m, dd;

	rfc3339_civil_from_days(rfc3339_days_from_civil(d.year,
	    (unsigned)d.month, (unsigned)d.day) + days, &y, &m, &dd);
	return (struct reg_date){ (int)y, (int)m, (int)dd };
}

static int
days_in_month(int y, int m)
{
	struct reg_date first = { m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1 };

	return reg_date_add(first, -1).day;
}

static int
met(const struct reg_pair *p, int64_t dur, int64_t users)
{
	return p->hours > 0 && dur >= (int64_t)p->hours * 3600 * 1000000 &&
	    users >= p->users;
}

/* The periodic report's deadline for an accident on a date. */
static struct reg_date
periodic_due(struct reg_date occurred, int *quarterly)
{
	int ymd = occurred.year * 10000 + occurred.month * 100 + occurred.day;
	int m, y;

	if (ymd >= 20250401) {
		/* Annual: by 5月31日 after the reporting year (April to March). */
		*quarterly = 0;
		return (struct reg_date){ occurred.month >= 4 ?
		    occurred.year + 1 : occurred.year, 5, 31 };
	}
	/* Quarterly: two months after the quarter's end. */
	*quarterly = 1;
	m = ((occurred.month - 1) / 3 + 1) * 3 + 2;
	y = occurred.year;
	if (m > 12) {
		m -= 12;
		y++;
	}
	return (struct reg_date){ y, m, days_in_month(y, m) };
}

/* One row, every figure known. */
static void
classify_row(const struct reg_table *t, const struct reg_row *row,
    struct reg_date occurred, int64_t dur, int64_t users, int key_facility,
    struct reg_result *r)
{
	int q;

	memset(r, 0, sizeof(*r));
	r->table = t;
	r->row = row;
	r->due_to_confirm = 1;
	/* 詳報: within 30 days from 発生日, the first day not counted. */
	r->due_serious = reg_date_add(occurred, 30);
	r->due_periodic = periodic_due(occurred, &q);
	if (met(&row->a, dur, users))
		r->pair = 'A';
	else if (met(&row->b, dur, users))
		r->pair = 'B';
	if (key_facility && dur >= (int64_t)2 * 3600 * 1000000)
		r->key_facility = 1;
	if (r->pair != 0 || r->key_facility) {
		r->cls = REG_SERIOUS;
		r->due = r->due_serious;
	} else {
		r->by_duration = dur >= (int64_t)2 * 3600 * 1000000;
		r->by_users = users >= 3 * MAN;
		if (r->by_duration || r->by_users) {
			r->cls = REG_PERIODIC;
			r->due = r->due_periodic;
			r->due_quarterly = q;
		}
	}
	r->lo = r->hi = r->cls;
	r->hi_pair = r->pair;
}

int
reg_classify_in(const struct reg_table *t, struct reg_date occurred,
    int category, int64_t dur, int64_t users, int key_facility,
    struct reg_result *r)
{
	int ymd = occurred.year * 10000 + occurred.month * 100 + occurred.day;
	struct reg_result lo, hi, x;
	int c, c0, c1, u, have = 0;

	memset(r, 0, sizeof(*r));
	/* Read only once set, but the optimizer may test them sooner. */
	memset(&lo, 0, sizeof(lo));
	memset(&hi, 0, sizeof(hi));
	if (t == NULL)
		t = reg_table_for(ymd);
	if (t == NULL || category < 0 || category > REG_CATEGORY_MAX)
		return -1;
	/*
	 * What is missing is tried both ways: no users at all and every user,
	 * every row for an unknown category.  Classification only grows with
	 * users, so the two ends bound every possibility.
	 */
	c0 = category == 0 ? 1 : category;
	c1 = category == 0 ? REG_CATEGORY_MAX : category;
	for (c = c0; c <= c1; c++)
		for (u = 0; u < (users < 0 ? 2 : 1); u++) {
			classify_row(t, &t->rows[t->row_of[c]], occurred, dur,
			    users >= 0 ? users : u == 0 ? 0 : INT64_MAX,
			    key_facility, &x);
			if (!have || x.cls < lo.cls)
				lo = x;
			if (!have || x.cls > hi.cls)
				hi = x;
			have = 1;
		}
	*r = lo.cls == hi.cls ? hi : lo;
	r->lo = lo.cls;
	r->hi = hi.cls;
	r->hi_pair = hi.pair;
	r->users_unknown = users < 0;
	r->category_unknown = category == 0;
	if (users < 0)
		r->by_users = 0;
	if (category == 0) {
		r->row = NULL;
		r->pair = r->hi_pair = 0;
	}
	if (lo.cls != hi.cls) {
		r->cls = REG_UNDETERMINED;
		r->pair = 0;
		r->key_facility = 0;
		r->due = hi.cls == REG_SERIOUS ? r->due_serious :
		    r->due_periodic;
		r->due_quarterly = hi.cls == REG_SERIOUS ? 0 : hi.due_quarterly;
		if (category != 0)
			r->row = hi.row;
	}
	return 0;
}

int
reg_classify(struct reg_date occurred, int category, int64_t dur,
    int64_t users, int key_facility, struct reg_result *r)
{
	return reg_classify_in(NULL, occurred, category, dur, users,
	    key_facility, r);
}

int
reg_severity(const struct reg_result *r)
{
	switch (r->cls) {
	case REG_SERIOUS:
		return 4;
	case REG_UNDETERMINED:
		return r->hi == REG_SERIOUS ? 3 : 1;
	case REG_PERIODIC:
		return 2;
	default:
		return 0;
	}
}
