/* SPDX-License-Identifier: MIT */
/*
 * Rasterising the charts and zipping the package.  See docx.h.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cairo.h>
#include <librsvg/rsvg.h>
#include <zip.h>

#include "docx.h"

/* Pixels per SVG unit: a 640-unit chart is 1920 px, 268 dpi at 182 mm. */
#define CHART_SCALE	3.0

/*
 * librsvg, and cairo and GLib with it, are loaded the first time a chart
 * is drawn, not linked: linked, every run of sochi and sochid's ingest
 * process mapped and relocated some forty libraries (pango, harfbuzz, ICU,
 * libxml2, ...) that only a .docx draft uses — about 10 MiB of the ingest
 * process's resident memory and 40 ms of each sochi's start.  The headers
 * still give the types; dlsym on the library's handle finds cairo's and
 * GLib's functions among its dependencies.
 */
#define RSVG_SONAME	"librsvg-2.so.2"
#define RSVG_FUNCS \
	F(rsvg_handle_new_from_data) F(rsvg_handle_get_intrinsic_dimensions) \
	F(rsvg_handle_render_document) F(g_clear_error) F(g_object_unref) \
	F(cairo_image_surface_create) F(cairo_surface_status) \
	F(cairo_status_to_string) F(cairo_create) F(cairo_set_source_rgb) \
	F(cairo_paint) F(cairo_surface_flush) \
	F(cairo_surface_write_to_png_stream) F(cairo_destroy) \
	F(cairo_surface_destroy)

static struct {
#define F(name)	__typeof__(&name) x_##name;	/* from the library */
	RSVG_FUNCS
#undef F
	int		 loaded;	/* every function found */
} rl;

/* Loads librsvg once; -1 with err if it cannot be. */
static int
rsvg_load(char *err, size_t errlen)
{
	void *dl;
	const char *why;

	if (rl.loaded)
		return 0;
	if ((dl = dlopen(RSVG_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		why = dlerror();
		snprintf(err, errlen, "chart: cannot load %s (librsvg, to draw "
		    "the charts): %s", RSVG_SONAME, why != NULL ? why :
		    "unknown error");
		return -1;
	}
#define F(name) \
	if ((*(void **)&rl.x_##name = dlsym(dl, #name)) == NULL) { \
		snprintf(err, errlen, "chart: %s has no %s", RSVG_SONAME, \
		    #name); \
		dlclose(dl); \
		return -1; \
	}
	RSVG_FUNCS
#undef F
	rl.loaded = 1;
	return 0;
}

struct png_buf {
	unsigned char	*data;		/* the PNG so far */
	size_t		 len;		/* its length */
	size_t		 cap;		/* allocated */
};

static cairo_status_t
png_write(void *closure, const unsigned char *data, unsigned int len)
{
	struct png_buf *p = closure;
	unsigned char *n;

	if (p->len + len > p->cap) {
		size_t cap = p->cap ? p->cap : 65536;

		while (cap < p->len + len)
			cap *= 2;
		if ((n = realloc(p->data, cap)) == NULL)
			return CAIRO_STATUS_NO_MEMORY;
		p->data = n;
		p->cap = cap;
	}
	memcpy(p->data + p->len, data, len);
	p->len += len;
	return CAIRO_STATUS_SUCCESS;
}

int
docx_svg_png(const char *svg, size_t len, double scale, unsigned char **png,
    size_t *pnglen, int *width, int *height, char *err, size_t errlen)
{
	RsvgHandle *h;
	GError *gerr = NULL;
	gboolean has_w, has_h, has_vb;
	RsvgLength lw, lh;
	RsvgRectangle vb, viewport;
	cairo_surface_t *surf = NULL;
	cairo_t *cr = NULL;
	struct png_buf p = { NULL, 0, 0 };
	int w, hh, rv = -1;

	*png = NULL;
	if (rsvg_load(err, errlen) == -1)
		return -1;
	if ((h = rl.x_rsvg_handle_new_from_data((const guint8 *)svg, len,
	    &gerr)) == NULL) {
		snprintf(err, errlen, "chart: %s", gerr ? gerr->message :
		    "not an SVG document");
		rl.x_g_clear_error(&gerr);
		return -1;
	}
	rl.x_rsvg_handle_get_intrinsic_dimensions(h, &has_w, &lw, &has_h, &lh,
	    &has_vb, &vb);
	if (!has_vb || vb.width <= 0 || vb.height <= 0) {
		snprintf(err, errlen, "chart: the SVG has no viewBox");
		goto out;
	}
	w = (int)(vb.width * scale + 0.5);
	hh = (int)(vb.height * scale + 0.5);
	surf = rl.x_cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, hh);
	if (rl.x_cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "chart: %s", rl.x_cairo_status_to_string(
		    rl.x_cairo_surface_status(surf)));
		goto out;
	}
	cr = rl.x_cairo_create(surf);
	/* White paper under the chart: a page does not show through. */
	rl.x_cairo_set_source_rgb(cr, 1, 1, 1);
	rl.x_cairo_paint(cr);
	viewport.x = viewport.y = 0;
	viewport.width = w;
	viewport.height = hh;
	if (!rl.x_rsvg_handle_render_document(h, cr, &viewport, &gerr)) {
		snprintf(err, errlen, "chart: %s", gerr ? gerr->message :
		    "cannot draw it");
		rl.x_g_clear_error(&gerr);
		goto out;
	}
	rl.x_cairo_surface_flush(surf);
	if (rl.x_cairo_surface_write_to_png_stream(surf, png_write, &p) !=
	    CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "chart: cannot encode the PNG");
		free(p.data);
		goto out;
	}
	*png = p.data;
	*pnglen = p.len;
	*width = w;
	*height = hh;
	rv = 0;
out:
	if (cr != NULL)
		rl.x_cairo_destroy(cr);
	if (surf != NULL)
		rl.x_cairo_surface_destroy(surf);
	rl.x_g_object_unref(h);
	return rv;
}

int
docx_zip(const struct report_parts *parts, int64_t when, unsigned char **out,
    size_t *outlen, char *err, size_t errlen)
{
	zip_error_t ze;
	zip_source_t *src, *s;
	zip_t *za;
	zip_int64_t idx, size;
	zip_stat_t st;
	size_t i;

	*out = NULL;
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		snprintf(err, errlen, "zip: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return -1;
	}
	/* Kept past zip_close, which writes into it: the bytes are read after. */
	zip_source_keep(src);
	if ((za = zip_open_from_source(src, ZIP_TRUNCATE, &ze)) == NULL) {
		snprintf(err, errlen, "zip: %s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		zip_source_free(src);
		zip_source_free(src);
		return -1;
	}
	zip_error_fini(&ze);
	for (i = 0; i < parts->n; i++) {
		const struct report_part *p = &parts->v[i];

		if ((s = zip_source_buffer(za, p->data, p->len, 0)) == NULL ||
		    (idx = zip_file_add(za, p->name, s, ZIP_FL_ENC_UTF_8)) < 0) {
			snprintf(err, errlen, "zip: %s: %s", p->name,
			    zip_strerror(za));
			zip_source_free(s);
			zip_discard(za);
			zip_source_free(src);
			return -1;
		}
		zip_set_file_compression(za, (zip_uint64_t)idx, p->compress ?
		    ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
		zip_file_set_mtime(za, (zip_uint64_t)idx, (time_t)(when /
		    1000000), 0);
	}
	if (zip_close(za) == -1) {
		snprintf(err, errlen, "zip: %s", zip_strerror(za));
		zip_discard(za);
		zip_source_free(src);
		return -1;
	}
	if (zip_source_stat(src, &st) == -1 || zip_source_open(src) == -1) {
		snprintf(err, errlen, "zip: %s",
		    zip_error_strerror(zip_source_error(src)));
		zip_source_free(src);
		return -1;
	}
	size = (zip_int64_t)st.size;
	if ((*out = malloc((size_t)size + 1)) == NULL ||
	    zip_source_read(src, *out, (zip_uint64_t)size) != size) {
		snprintf(err, errlen, "zip: cannot read the archive back");
		free(*out);
		*out = NULL;
		zip_source_close(src);
		zip_source_free(src);
		return -1;
	}
	*outlen = (size_t)size;
	zip_source_close(src);
	zip_source_free(src);
	return 0;
}

int
docx_render(const struct report *r, unsigned char **out, size_t *outlen,
    char *err, size_t errlen)
{
	struct report_image img[2];
	struct report_parts parts;
	unsigned char *png[2] = { NULL, NULL };
	struct sbuf svg = SBUF_INIT;
	int i, rv = -1;

	memset(img, 0, sizeof(img));
	for (i = 0; i < 2; i++) {
		sbuf_truncate(&svg, 0);
		if (report_chart_svg(r, i == 0 ? REPORT_CHART_USERS :
		    REPORT_CHART_TIMELINE, &svg) == -1)
			continue;	/* nothing to draw: the draft says so */
		if (docx_svg_png(svg.data, svg.len, CHART_SCALE, &png[i],
		    &img[i].len, &img[i].width, &img[i].height, err,
		    errlen) == -1)
			goto out;
		img[i].png = png[i];
	}
	if (report_docx(r, img, &parts) == -1) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rv = docx_zip(&parts, r->now, out, outlen, err, errlen);
	report_parts_free(&parts);
out:
	sbuf_free(&svg);
	free(png[0]);
	free(png[1]);
	return rv;
}

int
docx_draft_formats(const struct report *r, const char *formats,
    const char **fmts, char **bodies, unsigned char **data, size_t *lens,
    char *err, size_t errlen)
{
	int i, n = report_render_formats(r, formats, fmts, bodies);

	for (i = 0; i < n; i++) {
		data[i] = NULL;
		lens[i] = 0;
		if (bodies[i] == NULL) {
			snprintf(err, errlen, "out of memory");
			docx_draft_free(bodies, data, n);
			return -1;
		}
	}
	if (report_format_listed(formats, "docx")) {
		fmts[n] = "docx";
		bodies[n] = NULL;
		if (docx_render(r, &data[n], &lens[n], err, errlen) == -1) {
			docx_draft_free(bodies, data, n);
			return -1;
		}
		n++;
	}
	return n;
}

void
docx_draft_free(char **bodies, unsigned char **data, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		free(bodies[i]);
		free(data[i]);
		bodies[i] = NULL;
		data[i] = NULL;
	}
}
