/* SPDX-License-Identifier: MIT */
/*
 * The list of incidents.  See listing.h.  Its JSON reuses the members of
 * the JSON report (impacts, classification), so that one figure reads the
 * same in both.
 */
#include <stdlib.h>

#include "listing.h"
#include "report.h"
#include "rfc3339.h"
#include "wareki.h"

int
listing_due(const struct timeline *tl, struct reg_date *d)
{
	if (!tl->assessed)
		return -1;
	if (tl->reg.cls == REG_SERIOUS || tl->reg.cls == REG_PERIODIC) {
		*d = tl->reg.due;
		return 0;
	}
	if (tl->reg.cls == REG_UNDETERMINED && tl->reg.hi == REG_SERIOUS) {
		*d = tl->reg.due_serious;
		return 0;
	}
	return -1;
}

int64_t
listing_days_left(const struct zone *z, int64_t now, struct reg_date d)
{
	struct local_time lt;

	zone_local(z, now, &lt);
	return rfc3339_days_from_civil(d.year, (unsigned)d.month,
	    (unsigned)d.day) - rfc3339_days_from_civil(lt.year,
	    (unsigned)lt.month, (unsigned)lt.day);
}

static json_t *
item_json(const struct listing *l, const struct listing_item *it)
{
	const struct timeline *tl = it->tl;
	struct sbuf b = SBUF_INIT;
	struct local_time lt;
	struct reg_date due;
	json_t *o;

	o = json_object();
	json_object_set_new(o, "code", json_string(it->inc->code));
	json_object_set_new(o, "title", json_string(it->inc->title != NULL ?
	    it->inc->title : ""));
	json_object_set_new(o, "state", json_string(it->open ? "open" :
	    "closed"));
	json_object_set_new(o, "opened_at", report_json_time(l->zone,
	    it->inc->opened_at));
	json_object_set_new(o, "filed_on", it->filed_on != NULL ?
	    json_string(it->filed_on) : json_null());
	if (tl->occurred_id != 0) {
		zone_local(l->zone, tl->occurred, &lt);
		wareki_datetime(&lt, &b);
		json_object_set_new(o, "occurred", json_pack("{s:o,s:s}", "at",
		    report_json_time(l->zone, tl->occurred), "text",
		    b.data != NULL ? b.data : ""));
		sbuf_free(&b);
	} else
		json_object_set_new(o, "occurred", json_null());
	json_object_set_new(o, "impacts", report_json_impacts(tl, l->zone));
	json_object_set_new(o, "all_recovered", json_boolean(tl->all_recovered));
	json_object_set_new(o, "recovered", tl->all_recovered ?
	    report_json_time(l->zone, tl->recovered) : json_null());
	json_object_set_new(o, "users_max", tl->users.max >= 0 ?
	    json_integer(tl->users.max) : json_null());
	json_object_set_new(o, "classification",
	    report_json_classification(tl, NULL));
	json_object_set_new(o, "days_left", listing_due(tl, &due) == 0 ?
	    json_integer(listing_days_left(l->zone, l->now, due)) :
	    json_null());
	return o;
}

int
listing_json(const struct listing *l, struct sbuf *out)
{
	json_t *root, *arr;
	size_t i;
	char *text;

	arr = json_array();
	for (i = 0; i < l->n; i++)
		json_array_append_new(arr, item_json(l, &l->v[i]));
	root = json_pack("{s:s,s:o,s:b,s:o}", "format", "sochi-list/1", "now",
	    report_json_time(l->zone, l->now), "all", l->all, "incidents", arr);
	if (root == NULL)
		return -1;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return -1;
	sbuf_adds(out, text);
	sbuf_addc(out, '\n');
	free(text);
	return 0;
}
