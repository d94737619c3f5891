/*
 * skeleton.h - the shape of a call's requestParameters, kept at ingest so
 * that policy generation can tell which optional fields a call gave (does
 * CreateTrail name a CloudWatch Logs role? does RunInstances carry tags?)
 * without reading the record back.
 *
 * The skeleton is JSON with the structure of the value and none of its
 * data: an object keeps the members whose value is given (present and not
 * null, false, "", [] or {}), in their order; an array becomes the list of
 * its distinct element skeletons; a given scalar becomes 1, except a short
 * string at a key ending in "Type" (case aside), which keeps its text
 * ("logDestinationType":"s3"): the mapping compares such enumerations.
 *   {"name":"t","s3BucketName":"b","isMultiRegionTrail":false,
 *    "tagsList":[{"key":"a","value":"1"},{"key":"b","value":"2"}]}
 *   -> {"name":1,"s3BucketName":1,"tagsList":[{"key":1,"value":1}]}
 * Skeletons repeat across the calls of an API, so the store keeps each
 * once. "{}" stands for no parameters, "?" for a shape past the caps (the
 * record must then be read to know).
 */
#ifndef TT_SKELETON_H
#define TT_SKELETON_H

#include "json/json.h"

#define INGEST_SKELETON_MAX 512   /* bytes of skeleton, else "?" */
#define INGEST_SKELETON_ITEMS 8   /* distinct element shapes per array */

/* Reads the value at s->p (validating it as json_skip_value does, and
 * leaving s->p after it) and writes its skeleton into out[0..cap), cap >=
 * INGEST_SKELETON_MAX + 1. Returns the skeleton's length: "{}" when nothing
 * is given, "?" when over the caps; 0 only when the scan failed (s->status
 * says why). */
size_t ingest_skeleton(json_scanner *s, char *out, size_t cap);

#endif /* TT_SKELETON_H */
