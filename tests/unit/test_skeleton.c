/*
 * test_skeleton.c - the skeletons of requestParameters kept at ingest
 * (ingest/skeleton.h): what is given stays with its structure, what is not
 * goes, arrays keep their distinct element shapes, enumerations at "...Type"
 * keys keep their text, caps turn into "?", and the input is validated as
 * the scanner validates every value. Request shapes are those CloudTrail
 * logs (CreateTrail, RunInstances, CreateFlowLogs, BatchGetSecretValue).
 */
#include "check.h"

#include "json/json.h"
#include "ingest/skeleton.h"

static const char *skel_of(const char *in, char *out, size_t cap)
{
    json_scanner s;
    json_init(&s, in, strlen(in), 64);
    size_t n = ingest_skeleton(&s, out, cap);
    out[n] = '\0';
    if (n && json_peek(&s) != -1)
        return "(not at the end)";
    return n ? out : "(failed)";
}

#define SKEL(in, want)                                                       \
    do {                                                                     \
        char buf_[INGEST_SKELETON_MAX + 1];                                  \
        CHECK_STR(skel_of(in, buf_, sizeof buf_), want);                     \
    } while (0)

static void test_given(void)
{
    /* CreateTrail without and with a CloudWatch Logs role. */
    SKEL("{\"name\":\"t\",\"s3BucketName\":\"b\",\"isMultiRegionTrail\":false,"
         "\"cloudWatchLogsRoleArn\":null,\"kmsKeyId\":\"\"}",
         "{\"name\":1,\"s3BucketName\":1}");
    SKEL("{\"name\":\"t\",\"cloudWatchLogsRoleArn\":\"arn:aws:iam::1:role/r\","
         "\"cloudWatchLogsLogGroupArn\":\"arn:aws:logs:x\"}",
         "{\"name\":1,\"cloudWatchLogsRoleArn\":1,\"cloudWatchLogsLogGroupArn\":1}");
    /* Numbers, zero included, and true are given. */
    SKEL("{\"durationSeconds\":0,\"includeGlobalServiceEvents\":true,\"x\":[],\"y\":{}}",
         "{\"durationSeconds\":1,\"includeGlobalServiceEvents\":1}");
    SKEL("{}", "{}");
    SKEL("null", "{}");
    SKEL("{\"a\":{\"b\":null,\"c\":[null,false,\"\"]}}", "{}");
}

static void test_arrays(void)
{
    /* RunInstances as CloudTrail logs it: EC2's "xSet": {"items": [...]}. */
    SKEL("{\"instancesSet\":{\"items\":[{\"imageId\":\"ami-1\",\"minCount\":1,\"maxCount\":1}]},"
         "\"iamInstanceProfile\":{\"name\":\"p\"},"
         "\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"instance\","
         "\"tags\":[{\"key\":\"a\",\"value\":\"1\"},{\"key\":\"b\",\"value\":\"2\"}]}]}}",
         "{\"instancesSet\":{\"items\":[{\"imageId\":1,\"minCount\":1,\"maxCount\":1}]},"
         "\"iamInstanceProfile\":{\"name\":1},"
         "\"tagSpecificationSet\":{\"items\":[{\"resourceType\":\"instance\","
         "\"tags\":[{\"key\":1,\"value\":1}]}]}}");
    /* Distinct element shapes are all kept, in order. */
    SKEL("{\"f\":[{\"a\":1},{\"b\":2},{\"a\":3}]}", "{\"f\":[{\"a\":1},{\"b\":1}]}");
    /* Past INGEST_SKELETON_ITEMS distinct shapes: not known. */
    SKEL("{\"f\":[{\"a\":1},{\"b\":1},{\"c\":1},{\"d\":1},{\"e\":1},{\"f\":1},{\"g\":1},{\"h\":1},"
         "{\"i\":1}]}",
         "?");
}

static void test_enumerations(void)
{
    /* CreateFlowLogs: the destination's type decides logs:CreateLogDelivery. */
    SKEL("{\"logDestinationType\":\"s3\",\"logDestination\":\"arn:aws:s3:::b\","
         "\"resourceIds\":[\"vpc-1\"],\"trafficType\":\"ALL\"}",
         "{\"logDestinationType\":\"s3\",\"logDestination\":1,\"resourceIds\":[1],"
         "\"trafficType\":\"ALL\"}");
    /* Other strings never keep their data; long or escaped ones neither. */
    SKEL("{\"secretType\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"keyType\":\"a\\\"b\"}",
         "{\"secretType\":1,\"keyType\":1}");
}

static void test_caps_and_errors(void)
{
    char big[4096];
    size_t n = (size_t)snprintf(big, sizeof big, "{");
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "%s\"field%03d\":1", i ? "," : "", i);
    snprintf(big + n, sizeof big - n, "}");
    SKEL(big, "?");
    /* Invalid JSON fails as the scanner fails. */
    SKEL("{\"a\":tru}", "(failed)");
    SKEL("{\"a\":[1,}", "(failed)");
    SKEL("{\"a\":\"\\x\"}", "(failed)");
}

int main(void)
{
    test_given();
    test_arrays();
    test_enumerations();
    test_caps_and_errors();
    return check_done();
}
