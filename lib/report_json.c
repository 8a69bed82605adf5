/* SPDX-License-Identifier: MIT */
/*
 * The draft as JSON: the whole model, every figure with the ids of the
 * events it came from, what is not known as null, and the dotted names of
 * those nulls in "missing".  doc/report-json.md describes every member.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sections.h"
#include "wareki.h"

struct jctx {
	const struct report *r;
	json_t		*missing;	/* names of what is still null */
};

json_t *
report_json_time(const struct zone *z, int64_t t)
{
	struct sochi_time st;
	char buf[RFC3339_MAX];

	st.usec = t - t % 1000000;
	st.offset_min = zone_offset(z, t / 1000000) / 60;
	rfc3339_format(&st, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *
jtext(struct sbuf *b)
{
	json_t *s = json_string(b->data != NULL ? b->data : "");

	sbuf_free(b);
	return s;
}

static json_t *
jduration(int64_t usec)
{
	struct sbuf b = SBUF_INIT;

	duration_format(usec, &b);
	return json_pack("{s:I,s:o}", "minutes", (json_int_t)duration_minutes(usec),
	    "text", jtext(&b));
}

static json_t *
jids(int64_t a, int64_t b)
{
	json_t *ids = json_array();

	if (a != 0)
		json_array_append_new(ids, json_integer(a));
	if (b != 0)
		json_array_append_new(ids, json_integer(b));
	return ids;
}

/* A string or null, noting the null under name. */
static json_t *
jstr(struct jctx *c, const char *name, const char *s)
{
	if (s != NULL && *s != '\0')
		return json_string(s);
	json_array_append_new(c->missing, json_string(name));
	return json_null();
}

static json_t *
jnote(struct jctx *c, const char *section, const char *name)
{
	size_t n;
	const struct tl_note *no = timeline_notes(c->r->tl, section, &n);

	if (no == NULL) {
		json_array_append_new(c->missing, json_string(name));
		return json_null();
	}
	return json_pack("{s:s,s:o,s:I}", "text", no->text, "at",
	    report_json_time(c->r->zone, no->at), "event_id", (json_int_t)no->id);
}

/* The drafted 関連する事故の発生傾向 and the incidents it is drafted from. */
static json_t *
jrelated(const struct report *r)
{
	static const char *const share_names[] = { "equipment", "stage",
	    "service", "category" };
	const struct related_set *s = r->related;
	struct sbuf b = SBUF_INIT;
	json_t *o, *arr = json_array(), *sh;
	size_t i, k;

	related_draft(s, r->zone, &b);
	for (i = 0; i < s->n; i++) {
		const struct related_incident *ri = &s->v[i];

		sh = json_array();
		for (k = 0; k < 4; k++)
			if (ri->shares & (1u << k))
				json_array_append_new(sh, json_string(share_names[k]));
		o = json_pack("{s:s,s:s,s:o,s:o,s:o,s:b,s:o,s:o,s:o,s:o}", "code",
		    ri->code, "title", ri->title ? ri->title : "", "occurred",
		    ri->occurred ? report_json_time(r->zone, ri->occurred) : json_null(),
		    "recovered", ri->recovered ? report_json_time(r->zone, ri->recovered) :
		    json_null(), "duration_minutes", ri->longest >= 0 ?
		    json_integer(ri->longest / 60000000) : json_null(),
		    "provisional", ri->provisional, "users", ri->users >= 0 ?
		    json_integer(ri->users) : json_null(), "class", ri->assessed ?
		    json_string(reg_class_name(ri->cls)) : json_null(), "tag",
		    related_tag(ri) ? json_string(related_tag(ri)) : json_null(),
		    "shares", sh);
		json_array_append_new(arr, o);
	}
	o = json_pack("{s:s,s:b,s:i,s:o}", "text", b.data ? b.data : "",
	    "draft", 1, "years", s->years, "incidents", arr);
	sbuf_free(&b);
	return o;
}

static json_t *
jnote_items(struct jctx *c, const char *section, const char *name)
{
	size_t n, i;
	const struct tl_note *no = timeline_notes(c->r->tl, section, &n);
	json_t *arr = json_array();

	for (i = 0; i < n; i++) {
		json_t *o = json_pack("{s:s,s:o,s:I}", "text", no[i].text, "at",
		    report_json_time(c->r->zone, no[i].at), "event_id", (json_int_t)no[i].id);

		if (no[i].stage != NULL)
			json_object_set_new(o, "stage", json_string(no[i].stage));
		if (no[i].due != NULL)
			json_object_set_new(o, "due", json_string(no[i].due));
		if (no[i].done != NULL)
			json_object_set_new(o, "done", json_string(no[i].done));
		json_array_append_new(arr, o);
	}
	if (n == 0)
		json_array_append_new(c->missing, json_string(name));
	return arr;
}

static json_t *
jdate(struct reg_date d)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.year, d.month, d.day);
	return json_string(buf);
}

static json_t *
jusers(int64_t n)
{
	return n >= 0 ? json_integer(n) : json_null();
}

static json_t *
jline(const struct reg_result *g, const struct tl_impact *im)
{
	struct sbuf b = SBUF_INIT;

	report_class_line(g, im->duration, im->provisional, im->cls_users, &b);
	return jtext(&b);
}

/* One impact's classification against its own row. */
static json_t *
jimpact_class(const struct tl_impact *im)
{
	const struct reg_result *g = &im->reg;

	if (!im->assessed)
		return json_null();
	return json_pack("{s:s,s:o,s:o,s:o,s:o,s:o,s:b,s:o}", "class",
	    reg_class_name(g->cls), "row", g->row ? json_string(g->row->kanji) :
	    json_null(), "pair", g->pair ? json_sprintf("%c", g->pair) :
	    json_null(), "category", im->category ? json_integer(im->category) :
	    json_null(), "users", jusers(im->cls_users), "users_event_ids",
	    jids(im->cls_users >= 0 ? im->cls_users_id : 0, 0),
	    "users_from_peak", im->users_from_peak, "line", jline(g, im));
}

json_t *
report_json_classification(const struct timeline *tl, json_t *missing)
{
	const struct reg_result *g = &tl->reg;
	const struct tl_impact *im;
	struct sbuf b = SBUF_INIT;
	json_t *o, *arr;
	size_t i;

	if (!tl->assessed) {
		if (missing != NULL)
			json_array_append_new(missing,
			    json_string("classification"));
		return json_null();
	}
	im = &tl->impacts[tl->cls_impact];
	o = json_pack("{s:s,s:o,s:o,s:s}", "class", reg_class_name(g->cls),
	    "row", g->row ? json_string(g->row->kanji) : json_null(),
	    "row_text", g->row ? json_string(g->row->text) : json_null(),
	    "table", g->table->source);
	json_object_set_new(o, "table_name", json_string(g->table->name));
	json_object_set_new(o, "pair", g->pair ? json_sprintf("%c", g->pair) :
	    json_null());
	json_object_set_new(o, "key_facility", json_boolean(g->key_facility));
	json_object_set_new(o, "impact", json_integer(im->no));
	json_object_set_new(o, "duration", jduration(im->duration));
	json_object_set_new(o, "provisional", json_boolean(im->provisional));
	json_object_set_new(o, "longest", jduration(tl->longest));
	json_object_set_new(o, "longest_event_ids", jids(tl->longest_id, 0));
	json_object_set_new(o, "users", jusers(im->cls_users));
	json_object_set_new(o, "users_event_ids", jids(im->cls_users >= 0 ?
	    im->cls_users_id : 0, 0));
	if (g->pair) {
		const struct reg_pair *p = g->pair == 'A' ? &g->row->a :
		    &g->row->b;

		json_object_set_new(o, "limit", json_pack("{s:i,s:I}", "hours",
		    p->hours, "users", (json_int_t)p->users));
	}
	json_object_set_new(o, "due", g->cls == REG_SERIOUS || g->cls ==
	    REG_PERIODIC ? jdate(g->due) : json_null());
	json_object_set_new(o, "due_if_serious", g->cls == REG_UNDETERMINED &&
	    g->hi == REG_SERIOUS ? jdate(g->due_serious) : json_null());
	json_object_set_new(o, "due_if_not", g->cls == REG_UNDETERMINED ?
	    jdate(g->due_periodic) : json_null());
	json_object_set_new(o, "due_report", json_string(g->cls == REG_SERIOUS ?
	    "詳報" : g->cls == REG_PERIODIC ? "periodic" : g->cls ==
	    REG_UNDETERMINED ? "undetermined" : "none"));
	json_object_set_new(o, "due_quarterly", json_boolean(g->due_quarterly));
	json_object_set_new(o, "due_to_confirm", json_boolean(g->due_to_confirm));
	json_object_set_new(o, "occurred_date", jdate(tl->occurred_date));
	report_incident_line(tl, &b);
	json_object_set_new(o, "line", jtext(&b));
	arr = json_array();
	for (i = 0; i < tl->nimpacts; i++)
		if (tl->impacts[i].no != 0) {
			json_t *x = jimpact_class(&tl->impacts[i]);

			if (json_is_object(x))
				json_object_set_new(x, "no",
				    json_integer(tl->impacts[i].no));
			json_array_append_new(arr, x);
		}
	json_object_set_new(o, "impacts", arr);
	return o;
}

json_t *
report_json_impacts(const struct timeline *tl, const struct zone *z)
{
	json_t *arr = json_array(), *o;
	size_t i;

	for (i = 0; i < tl->nimpacts; i++) {
		const struct tl_impact *im = &tl->impacts[i];

		if (im->start_id == 0)
			continue;
		o = json_pack("{s:i,s:s,s:o,s:o,s:o,s:b,s:o}", "no", im->no,
		    "name", im->name, "label", im->label ? json_string(im->label) :
		    json_null(), "start", report_json_time(z, im->start), "recovered",
		    im->recover_id ? report_json_time(z, im->recovered) : json_null(),
		    "provisional", im->provisional, "duration",
		    jduration(im->duration));
		json_object_set_new(o, "users", im->users >= 0 ?
		    json_integer(im->users) : json_null());
		json_object_set_new(o, "category", im->category ?
		    json_integer(im->category) : json_null());
		json_object_set_new(o, "users_max", jusers(im->own_users));
		json_object_set_new(o, "event_ids", jids(im->start_id,
		    im->recover_id));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *
report_json_entries(const struct timeline *tl, const struct zone *z)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < tl->nentries; i++) {
		const struct tl_entry *e = &tl->entries[i];

		/*
		 * source and recorded_by say who really sent the entry, which
		 * actor, free text, does not prove.
		 */
		json_array_append_new(arr, json_pack(
		    "{s:o,s:o,s:o,s:o,s:s,s:I,s:o,s:o}",
		    "at", report_json_time(z, e->at), "phase", e->phase ?
		    json_string(e->phase) : json_null(), "heading", e->heading ?
		    json_string(e->heading) : json_null(), "actor", e->actor ?
		    json_string(e->actor) : json_null(), "text", e->text ? e->text :
		    "", "event_id", (json_int_t)e->id, "source", e->source ?
		    json_string(e->source) : json_null(), "recorded_by",
		    e->recorded_by ? json_string(e->recorded_by) : json_null()));
	}
	return arr;
}

int
report_json(const struct report *r, struct sbuf *out)
{
	const struct timeline *tl = r->tl;
	const struct report_profile *p = r->profile;
	static const struct report_profile empty;
	struct jctx c = { r, json_array() };
	json_t *root, *arr, *o;
	struct sbuf b = SBUF_INIT;
	struct local_time lt;
	size_t i;
	char *text;

	if (p == NULL)
		p = &empty;
	root = json_object();
	json_object_set_new(root, "format", json_string("sochi-report/1"));
	zone_local(r->zone, r->now, &lt);
	wareki_date(&lt, &b);
	json_object_set_new(root, "report_date", json_pack("{s:o,s:o}", "at",
	    report_json_time(r->zone, r->now), "text", jtext(&b)));

	o = json_object();
	if (r->inc != NULL) {
		json_object_set_new(o, "code", json_string(r->inc->code ?
		    r->inc->code : ""));
		json_object_set_new(o, "title", json_string(r->inc->title ?
		    r->inc->title : ""));
		json_object_set_new(o, "service", jstr(&c, "incident.service",
		    r->inc->service));
		json_object_set_new(o, "category", r->inc->category ?
		    json_integer(r->inc->category) : json_null());
		if (!r->inc->category)
			json_array_append_new(c.missing,
			    json_string("incident.category"));
		json_object_set_new(o, "location", r->inc->location ?
		    json_string(r->inc->location) : json_null());
		json_object_set_new(o, "equipment", jstr(&c,
		    "incident.equipment", r->inc->equipment));
		json_object_set_new(o, "opened_at", report_json_time(r->zone, r->inc->opened_at));
	}
	json_object_set_new(root, "incident", o);

	json_object_set_new(root, "header", json_pack("{s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:o,s:o,s:o,s:o,s:o}",
	    "postal_code", jstr(&c, "header.postal_code", p->postal_code),
	    "address", jstr(&c, "header.address", p->address),
	    "address_kana", jstr(&c, "header.address_kana", p->address_kana),
	    "company", jstr(&c, "header.company", p->company),
	    "company_kana", jstr(&c, "header.company_kana", p->company_kana),
	    "representative", jstr(&c, "header.representative",
	    p->representative),
	    "registration_date", jstr(&c, "header.registration_date",
	    p->registration_date),
	    "registration_number", jstr(&c, "header.registration_number",
	    p->registration_number),
	    "contact_phone", jstr(&c, "header.contact_phone", p->contact_phone),
	    "contact_department", jstr(&c, "header.contact_department",
	    p->contact_department),
	    "contact_person", jstr(&c, "header.contact_person",
	    p->contact_person)));

	if (tl->occurred_id != 0) {
		zone_local(r->zone, tl->occurred, &lt);
		wareki_datetime(&lt, &b);
		json_object_set_new(root, "occurred", json_pack("{s:o,s:o,s:o}",
		    "at", report_json_time(r->zone, tl->occurred), "text", jtext(&b),
		    "event_ids", jids(tl->occurred_id, 0)));
	} else {
		json_object_set_new(root, "occurred", json_null());
		json_array_append_new(c.missing, json_string("occurred"));
	}

	arr = report_json_impacts(tl, r->zone);
	if (json_array_size(arr) == 0)
		json_array_append_new(c.missing, json_string("impacts"));
	if (tl->nshown > 0 && tl->assessed && tl->reg.category_unknown)
		json_array_append_new(c.missing, json_string("category"));
	json_object_set_new(root, "impacts", arr);
	json_object_set_new(root, "all_recovered", json_boolean(tl->all_recovered));
	json_object_set_new(root, "recovered", tl->all_recovered ?
	    report_json_time(r->zone, tl->recovered) : json_null());
	json_object_set_new(root, "location", jstr(&c, "location",
	    timeline_notes(tl, "location", &i) ? timeline_notes(tl, "location",
	    &i)->text : r->inc ? r->inc->location : NULL));

	json_object_set_new(root, "overview", json_pack("{s:o,s:o}",
	    "category_row", tl->classified ? json_string(tl->reg.row->text) :
	    json_null(), "summary", jnote(&c, "overview", "overview.summary")));
	arr = json_array();
	for (i = 0; i < tl->nimpacts; i++) {
		const struct reg_row *row = tl->impacts[i].no != 0 &&
		    tl->impacts[i].assessed ? tl->impacts[i].reg.row : NULL;
		size_t k;

		for (k = 0; row != NULL && k < json_array_size(arr); k++)
			if (strcmp(json_string_value(json_array_get(arr, k)),
			    row->text) == 0)
				row = NULL;
		if (row != NULL)
			json_array_append_new(arr, json_string(row->text));
	}
	json_object_set_new(json_object_get(root, "overview"), "category_rows",
	    arr);
	json_object_set_new(root, "equipment", json_pack("{s:o,s:o}", "normal",
	    jnote(&c, "equipment.normal", "equipment.normal"), "failure",
	    jnote(&c, "equipment.failure", "equipment.failure")));

	o = json_object();
	json_object_set_new(o, "max", tl->users.max >= 0 ?
	    json_integer(tl->users.max) : json_null());
	if (tl->users.max < 0)
		json_array_append_new(c.missing, json_string("users.max"));
	json_object_set_new(o, "max_event_ids", jids(tl->users.max_id, 0));
	json_object_set_new(o, "total", tl->users.total >= 0 ?
	    json_integer(tl->users.total) : json_null());
	json_object_set_new(o, "total_event_ids", jids(tl->users.total_id, 0));
	json_object_set_new(o, "basis", jstr(&c, "users.basis",
	    tl->users.basis));
	json_object_set_new(o, "basis_event_ids", jids(tl->users.basis_id, 0));
	json_object_set_new(o, "region", jstr(&c, "users.region",
	    tl->users.region ? tl->users.region : timeline_notes(tl,
	    "users.region", &i) ? timeline_notes(tl, "users.region",
	    &i)->text : NULL));
	json_object_set_new(o, "region_event_ids", jids(tl->users.region_id, 0));
	json_object_set_new(o, "reckoning", jnote(&c, "users.basis",
	    "users.reckoning"));
	arr = json_array();
	for (i = 0; i < tl->users.n; i++)
		json_array_append_new(arr, json_pack("{s:o,s:I,s:o,s:I}", "at",
		    report_json_time(r->zone, tl->users.samples[i].at), "count",
		    (json_int_t)tl->users.samples[i].count, "impact",
		    tl->users.samples[i].impact_no ?
		    json_integer(tl->users.samples[i].impact_no) : json_null(),
		    "event_id", (json_int_t)tl->users.samples[i].id));
	json_object_set_new(o, "samples", arr);
	json_object_set_new(root, "users", o);

	arr = report_json_entries(tl, r->zone);
	json_object_set_new(root, "timeline", arr);
	json_object_set_new(root, "measures_summary", jnote(&c,
	    "measure.summary", "measures.summary"));

	o = json_object();
	json_object_set_new(o, "detect", tl->to_detect >= 0 ?
	    json_pack("{s:o,s:o}", "duration", jduration(tl->to_detect),
	    "event_ids", jids(tl->occurred_id, tl->detected_id)) : json_null());
	json_object_set_new(o, "identify", tl->to_identify >= 0 ?
	    json_pack("{s:o,s:o}", "duration", jduration(tl->to_identify),
	    "event_ids", jids(tl->occurred_id, tl->identified_id)) :
	    json_null());
	arr = json_array();
	for (i = 0; i < tl->nimpacts; i++)
		if (tl->impacts[i].start_id != 0)
			json_array_append_new(arr, json_pack("{s:i,s:o,s:o}",
			    "no", tl->impacts[i].no, "duration",
			    tl->impacts[i].since_occurred >= 0 ?
			    jduration(tl->impacts[i].since_occurred) :
			    json_null(), "event_ids", jids(tl->occurred_id,
			    tl->impacts[i].recover_id)));
	json_object_set_new(o, "recover", arr);
	json_object_set_new(root, "intervals", o);

	json_object_set_new(root, "cause", json_pack("{s:o,s:o,s:o}",
	    "summary", jnote_items(&c, "cause.summary", "cause.summary"),
	    "scale", jnote_items(&c, "cause.scale", "cause.scale"),
	    "duration", jnote_items(&c, "cause.duration", "cause.duration")));
	o = json_pack("{s:o,s:o}", "interim", jnote_items(&c, "measure.interim",
	    "prevention.interim"), "permanent", jnote_items(&c,
	    "measure.permanent", "prevention.permanent"));
	json_object_set_new(root, "prevention", o);

	o = json_object();
	json_object_set_new(o, "total", tl->inquiries.total >= 0 ?
	    json_integer(tl->inquiries.total) : json_null());
	json_object_set_new(o, "as_of", tl->inquiries.total >= 0 ?
	    report_json_time(r->zone, tl->inquiries.as_of) : json_null());
	if (tl->inquiries.total < 0)
		json_array_append_new(c.missing, json_string("inquiries.total"));
	arr = json_array();
	for (i = 0; i < tl->inquiries.nchannels; i++)
		json_array_append_new(arr, json_pack("{s:s,s:I,s:I}", "channel",
		    tl->inquiries.channels[i].key, "count",
		    (json_int_t)tl->inquiries.channels[i].count, "event_id",
		    (json_int_t)tl->inquiries.channels[i].id));
	json_object_set_new(o, "channels", arr);
	arr = json_array();
	for (i = 0; i < tl->inquiries.ntopics; i++)
		json_array_append_new(arr, json_pack("{s:s,s:I,s:I}", "topic",
		    tl->inquiries.topics[i].key, "count",
		    (json_int_t)tl->inquiries.topics[i].count, "event_id",
		    (json_int_t)tl->inquiries.topics[i].id));
	json_object_set_new(o, "topics", arr);
	json_object_set_new(root, "inquiries", o);

	arr = json_array();
	for (i = 0; i < tl->nnotices; i++)
		json_array_append_new(arr, json_pack("{s:s,s:i,s:o,s:s,s:I}",
		    "channel", tl->notices[i].channel, "no", tl->notices[i].no,
		    "at", report_json_time(r->zone, tl->notices[i].at), "text",
		    tl->notices[i].text ? tl->notices[i].text : "", "event_id",
		    (json_int_t)tl->notices[i].id));
	json_object_set_new(root, "notices", arr);
	json_object_set_new(root, "standards", jnote(&c, "standards",
	    "standards"));
	if (timeline_notes(tl, "related", &i) == NULL && r->related != NULL)
		json_object_set_new(root, "related", jrelated(r));
	else
		json_object_set_new(root, "related", jnote(&c, "related",
		    "related"));
	json_object_set_new(root, "general_manager", jstr(&c, "general_manager",
	    p->general_manager));
	json_object_set_new(root, "chief_engineer", jstr(&c, "chief_engineer",
	    p->chief_engineer));
	json_object_set_new(root, "classification",
	    report_json_classification(tl, c.missing));
	json_object_set_new(root, "missing", c.missing);

	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL)
		return -1;
	sbuf_adds(out, text);
	sbuf_addc(out, '\n');
	free(text);
	return 0;
}
