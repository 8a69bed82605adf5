/*
 * The dated threshold tables.  Keep them as data: a new table is one more
 * entry below, never a change to the code that reads them.
 */
#include <stddef.h>

#include "regulation.h"
#include "rfc3339.h"

#define MAN	10000

/* Until 2015-03-31: one rule for every service. */
static const struct reg_row rows_1985[] = {
	{ "", "電気通信役務", { 2, 3 * MAN }, { 0, 0 } },
};

/*
 * 2015-04-01 to 2019-03-31: four rows.  The limits of each row are those of
 * the same service in the 2019 table, into which the LPWA row was inserted
 * as 三 (spec/regulation.md); LPWA (today's category 3) fell under 四.
 * Only 四's wording is given by the spec; the others follow today's rows.
 */
static const struct reg_row rows_2015[] = {
	{ "一", "緊急通報を取り扱う音声伝送役務", { 1, 3 * MAN }, { 0, 0 } },
	{ "二", "緊急通報を取り扱わない音声伝送役務", { 2, 3 * MAN },
	    { 1, 10 * MAN } },
	{ "三", "利用者から料金の支払を受けないインターネット関連サービス（一の項及び"
	    "二の項を除く）", { 24, 10 * MAN }, { 12, 100 * MAN } },
	{ "四", "一の項から三の項までに掲げる電気通信役務以外の電気通信役務",
	    { 2, 3 * MAN }, { 1, 100 * MAN } },
};

/*
 * From 2019-04-01 (identical in the 2023-12-07 and 2025-04-01 texts).  The
 * wording is spec/regulation.md's, which abbreviates the LPWA row; the
 * statute's full text can replace it here.
 */
static const struct reg_row rows_2019[] = {
	{ "一", "緊急通報を取り扱う音声伝送役務", { 1, 3 * MAN }, { 0, 0 } },
	{ "二", "緊急通報を取り扱わない音声伝送役務", { 2, 3 * MAN },
	    { 1, 10 * MAN } },
	{ "三", "セルラーＬＰＷＡ…を使用する携帯電話（一・二の項を除く）及びアンライセンス"
	    "ＬＰＷＡサービス", { 12, 3 * MAN }, { 2, 100 * MAN } },
	{ "四", "利用者から料金の支払を受けないインターネット関連サービス（一の項から"
	    "三の項までを除く）", { 24, 10 * MAN }, { 12, 100 * MAN } },
	{ "五", "一の項から四の項までに掲げる電気通信役務以外の電気通信役務",
	    { 2, 3 * MAN }, { 1, 100 * MAN } },
};

static const struct reg_table tables[] = {
	{ 19850401, 20150331, rows_1985, 1, { 0, 0, 0, 0, 0, 0 },
	    "施行規則第58条 (2015年3月31日まで)" },
	{ 20150401, 20190331, rows_2015, 4, { 0, 0, 1, 3, 2, 3 },
	    "施行規則第58条第2項 (2015年4月1日から)" },
	{ 20190401, 99991231, rows_2019, 5, { 0, 0, 1, 2, 3, 4 },
	    "施行規則第58条第2項 (2019年4月1日から; 2023-12-07, 2025-04-01 版)" },
};

const char *
reg_class_name(enum reg_class c)
{
	switch (c) {
	case REG_SERIOUS: return "serious";
	case REG_PERIODIC: return "periodic";
	default: return "none";
	}
}

const struct reg_table *
reg_table_for(int ymd)
{
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (ymd >= tables[i].from && ymd <= tables[i].to)
			return &tables[i];
	return NULL;
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

int
reg_classify(struct reg_date occurred, int category, int64_t longest,
    int64_t users, int key_facility, struct reg_result *r)
{
	int ymd = occurred.year * 10000 + occurred.month * 100 + occurred.day;
	int fy_end_year, q_end_month, q_end_year;

	r->cls = REG_NONE;
	r->pair = 0;
	r->key_facility = r->by_duration = r->by_users = 0;
	r->due_quarterly = 0;
	r->due_to_confirm = 1;
	r->due = (struct reg_date){ 0, 0, 0 };
	if ((r->table = reg_table_for(ymd)) == NULL || category < 1 ||
	    category > 5)
		return -1;
	r->row = &r->table->rows[r->table->row_of[category]];

	if (met(&r->row->a, longest, users))
		r->pair = 'A';
	else if (met(&r->row->b, longest, users))
		r->pair = 'B';
	if (key_facility && longest >= (int64_t)2 * 3600 * 1000000)
		r->key_facility = 1;
	if (r->pair != 0 || r->key_facility) {
		r->cls = REG_SERIOUS;
		/* 詳報: within 30 days from 発生日, the first day not counted. */
		r->due = reg_date_add(occurred, 30);
		return 0;
	}
	r->by_duration = longest >= (int64_t)2 * 3600 * 1000000;
	r->by_users = users >= 3 * MAN;
	if (!r->by_duration && !r->by_users)
		return 0;
	r->cls = REG_PERIODIC;
	if (ymd >= 20250401) {
		/* Annual: by 5月31日 after the reporting year (April to March). */
		fy_end_year = occurred.month >= 4 ? occurred.year + 1 :
		    occurred.year;
		r->due = (struct reg_date){ fy_end_year, 5, 31 };
	} else {
		/* Quarterly: two months after the quarter's end. */
		r->due_quarterly = 1;
		q_end_month = ((occurred.month - 1) / 3 + 1) * 3;
		q_end_year = occurred.year;
		q_end_month += 2;
		if (q_end_month > 12) {
			q_end_month -= 12;
			q_end_year++;
		}
		r->due = (struct reg_date){ q_end_year, q_end_month,
		    days_in_month(q_end_year, q_end_month) };
	}
	return 0;
}
