/*
 * key_render.h - the leaked-key report (forensics/key_model.h) written as
 * text, JSON or CSV sections (key_report.c) or one self-contained HTML page
 * (key_html.c). Renderers only: they take the built model and never open
 * the store or the logs.
 */
#ifndef TT_KEY_RENDER_H
#define TT_KEY_RENDER_H

#include "out.h"

#include "forensics/key_model.h"

#include <stddef.h>
#include <stdio.h>

/* The report's sections, in order: "key", "findings", ... "evidence". */
#define KEY_NSECTIONS 10
extern const char *const key_report_sections[KEY_NSECTIONS];

/* The index of a section's name, or -1. */
int key_report_section(const char *name);

/* Writes it as a table, JSON or CSV document (out.h) on f: every section
 * (only < 0), or the one section of that index, as a document of one
 * table (a JSON array, or an object for "key"; CSV with one header). */
void key_report_write(const key_report *r, out_format fmt, int only, FILE *f);

/* Writes it as one self-contained HTML page. */
void key_report_html(const key_report *r, FILE *f);

/* Display helpers shared by the writers. */
void key_event_label(const key_event *e, char *buf, size_t n); /* "iam:CreateUser" */
const char *key_node_key(const key_report *r, int node);

#endif /* TT_KEY_RENDER_H */
