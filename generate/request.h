/*
 * request.h - a call's requestParameters, read from its record, and the
 * test the mapping's conditions make on them: is a field given? Field
 * paths are iam-dataset's (SDK names: "IamInstanceProfile.Arn",
 * "TagSpecifications[].ResourceType"); CloudTrail logs them in other cases
 * and, for EC2, as "tagSpecificationSet": {"items": [...]}. The test
 * bridges both, so one path fits either spelling.
 */
#ifndef GEN_REQUEST_H
#define GEN_REQUEST_H

#include "json/jdom.h"

#include <stddef.h>

typedef struct gen_request {
    json_dom_node root;           /* the whole record */
    const json_dom_node *params;  /* its requestParameters, or NULL */
    const json_dom_node *response; /* its responseElements, or NULL */
} gen_request;

/* Parses the record rec[0..len) (borrowed only during the call). Returns 0,
 * or -1 when it is not one JSON object within the caps; q must be released
 * with gen_request_free() either way. */
int gen_request_parse(gen_request *q, const char *rec, size_t len);
void gen_request_free(gen_request *q); /* accepts NULL */

/* Whether the request gives any of the fields cond[0..len) names, "A|B.C"
 * ("F=v": when a string at F is v, without case):
 * keys compare without case; an array matches when any element does ("[]"
 * is optional); a key "Xs" also matches CloudTrail's "xSet", and a missing
 * key is looked up in the elements of an "items" array. A field is given
 * when it is present and not null, false, "", [] or {}. q NULL: 0. */
int gen_request_has(const gen_request *q, const char *cond, size_t len);

/* The first string at the field path (same matching) under node, or NULL.
 * Borrowed from q. */
const char *gen_request_str(const json_dom_node *node, const char *path);

#endif /* GEN_REQUEST_H */
