/* Stage report: statuses, counters and the execution report of one file in
 * every format (JSON, CSV, HTML through XSLT, the report XML it reads, and
 * the one-line-per-diagnostic text for stderr). */
#ifndef LSU_REPORT_H
#define LSU_REPORT_H

#include "base/util.h"
#include "lsu.h"

typedef struct {
    lsu_file *file; /* borrowed */
    size_t traites, importes, avec_succes, avec_alertes, rejetes;
    int file_rejected;
    int conforme;       /* no bilan rejected and the file not rejected */
    int internal_error; /* INT001 recorded */
    /* A file refused for schema reasons only (every fatal diagnostic is a
     * schema one, lsu_code_is_schema) and checked to the end: what the LSU
     * rules would make of it once those schema_errors are fixed. */
    int if_fixed;
    size_t schema_errors;
    size_t fixed_importes, fixed_avec_succes, fixed_avec_alertes, fixed_rejetes;
    lsu_bilan_status *fixed_status; /* indexed like file->index.bilans (owned) */
    lsu_bilan **order;              /* bilans in report order (owned array, borrowed items) */
    char **classes;                 /* distinct class labels, sorted (owned) */
    size_t class_count;
} lsu_report;

/* Computes statuses and counters of f into r; 0, or -1 when memory ran
 * out.  lsu_report_free releases what it made. */
int lsu_report_build(lsu_report *r, lsu_file *f);
void lsu_report_free(lsu_report *r);

/* The exit status this file calls for (lsu_exit). */
int lsu_report_exit_status(const lsu_report *r);

/* Appends the JSON report object. */
void lsu_report_json(const lsu_report *r, lsu_buf *out);
/* Appends the CSV report: UTF-8 BOM, ';' separator, CRLF, one row per
 * diagnostic, for a French spreadsheet. */
void lsu_report_csv(const lsu_report *r, lsu_buf *out);
/* Builds the report XML read by xslt/rapport-html.xsl (caller frees). */
xmlDocPtr lsu_report_xml(const lsu_report *r);
/* Appends the self-contained HTML page; 0, or -1 on failure. */
int lsu_report_html(const lsu_report *r, lsu_runtime *rt, lsu_buf *out);
/* Appends one line per diagnostic, "file:line: severity [code] message
 * (pupil, class, period)", then nothing else. */
void lsu_report_text(const lsu_report *r, lsu_buf *out);
/* Appends the one-line summary of the file. */
void lsu_report_summary(const lsu_report *r, lsu_buf *out);

/* The rules that need the school's settings, listed as not checked. */
typedef struct {
    const char *name;
    const char *why;
} lsu_unchecked_rule;
extern const lsu_unchecked_rule lsu_unchecked_rules[];
extern const size_t lsu_unchecked_rule_count;

#endif
