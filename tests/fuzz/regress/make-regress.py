#!/usr/bin/env python3
"""make-regress.py - writes the crafted fuzz-regression inputs of
tests/fuzz/regress/<harness>/: each file aims at one tricky path of the
parser that harness drives (named by the file). The files are kept in git;
this script says how each was made, and rewrites them (deterministic:
gzip mtime 0). Usage: tests/fuzz/regress/make-regress.py [DIR]"""
import gzip
import io
import json
import os
import struct
import sys
import tarfile
import zipfile
import zlib

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

REC = ('{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE",'
       '"arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},'
       '"eventTime":"2026-10-01T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",'
       '"awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","userAgent":"aws-cli/2.15.0",'
       '"requestParameters":{"bucketName":"b","key":"k"},"eventID":"0b3c1a55-0000-4000-8000-000000000001",'
       '"eventType":"AwsApiCall","recipientAccountId":"111122223333"}')


def rec(**over):
    r = json.loads(REC)
    r.update(over)
    return r


def obj(records):
    return json.dumps({"Records": records}).encode()


def gz(data, level=9):
    b = io.BytesIO()
    with gzip.GzipFile(fileobj=b, mode="wb", mtime=0, compresslevel=level) as f:
        f.write(data)
    return b.getvalue()


def put(harness, name, data):
    d = os.path.join(root, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


GOOD = obj([json.loads(REC)])

# ---- json: the scanner and the CloudTrail record parser ------------------
put("json", "deep-64-ok.json", b'{"Records":[' + b'{"a":[' * 30 + b'1' + b']}' * 30 + b']}')
put("json", "deep-65-arrays.json", b'{"Records":[' + b'[' * 65 + b']' * 65 + b']}')
put("json", "deep-20k-unclosed.json", b"[" * 20000)
put("json", "deep-in-request-parameters.json",
    b'{"Records":[' + REC[:-1].encode() + b',"responseElements":' + b'{"x":' * 70 + b'1' + b'}' * 70 + b'}]}')
put("json", "utf8-overlong.json", b'{"Records":[{"eventName":"\xc0\xaf"}]}')
put("json", "utf8-surrogate-raw.json", b'{"Records":[{"eventName":"\xed\xa0\x80"}]}')
put("json", "utf8-truncated-seq.json", b'{"Records":[{"eventName":"\xe2\x82"}]}')
put("json", "utf8-above-10ffff.json", b'{"Records":[{"eventName":"\xf4\x90\x80\x80"}]}')
put("json", "utf8-continuation-only.json", b'{"Records":[{"eventName":"\x80\xbf"}]}')
put("json", "escape-lone-surrogate.json", b'{"Records":[{"eventName":"\\ud800x"}]}')
put("json", "escape-low-surrogate-first.json", b'{"Records":[{"eventName":"\\udc00\\ud800"}]}')
put("json", "escape-nul.json", obj([rec(eventName="Get\u0000Object")]))
put("json", "escape-truncated-u.json", b'{"Records":[{"eventName":"\\u12')
put("json", "escape-bad-char.json", b'{"Records":[{"eventName":"\\x41"}]}')
put("json", "control-char-raw.json", b'{"Records":[{"eventName":"a\x01b"}]}')
put("json", "bom.json", b'\xef\xbb\xbf' + GOOD)
put("json", "number-huge-exponent.json", b'{"Records":[{"eventVersion":1e999999999,"x":-1E-999999999}]}')
put("json", "number-400-digits.json", b'{"Records":[{"x":' + b'9' * 400 + b'}]}')
put("json", "number-leading-zero.json", b'{"Records":[{"x":0123}]}')
put("json", "number-minus-only.json", b'{"Records":[{"x":-}]}')
put("json", "number-dot-end.json", b'{"Records":[{"x":1.}]}')
put("json", "event-time-number.json", obj([rec(eventTime=1795176000)]))
put("json", "event-time-year-99999.json", obj([rec(eventTime="99999-01-01T00:00:00Z")]))
put("json", "event-time-feb-30.json", obj([rec(eventTime="2026-02-30T00:00:00Z")]))
put("json", "event-time-leap-second.json", obj([rec(eventTime="2026-06-30T23:59:60Z")]))
put("json", "event-time-huge-fraction.json", obj([rec(eventTime="2026-10-01T12:00:00." + "9" * 300 + "Z")]))
put("json", "string-over-64k.json", obj([rec(userAgent="A" * 65537)]))
put("json", "string-exactly-64k.json", obj([rec(userAgent="A" * 65536)]))
put("json", "nulls-everywhere.json", obj([{k: None for k in json.loads(REC)}]))
put("json", "user-identity-string.json", obj([rec(userIdentity="root")]))
put("json", "records-empty.json", b'{"Records":[]}')
put("json", "records-null.json", b'{"Records":null}')
put("json", "records-twice.json", b'{"Records":[],"Records":' + GOOD[11:])
put("json", "trailing-garbage.json", GOOD + b' }')
put("json", "two-objects.json", GOOD + GOOD)
put("json", "ndjson-mixed.ndjson", (REC + "\n" + '{"event":' + REC + "}\n" + "[1,2]\n" + "\n").encode())
put("json", "array-of-events.json", b"[" + REC.encode() + b"," + REC.encode() + b"]")
put("json", "empty.json", b"")
put("json", "whitespace-only.json", b" \n\t\r ")
put("json", "nul-bytes.json", b'{"Records":[\x00]}')
put("json", "many-keys.json", ("{" + ",".join('"k%d":%d' % (i, i) for i in range(5000)) + ',"Records":[]}').encode())
put("json", "digest-shaped.json", json.dumps({"awsAccountId": "111122223333", "digestStartTime": "x", "logFiles": []}).encode())

# ---- gzip: the member reader, its caps, then the parser -------------------
g = gz(GOOD)
put("gzip", "good.json.gz", g)
put("gzip", "truncated-header.gz", g[:5])
put("gzip", "truncated-deflate.gz", g[:len(g) // 2])
put("gzip", "truncated-trailer.gz", g[:-3])
put("gzip", "bad-crc.gz", g[:-8] + struct.pack("<I", zlib.crc32(GOOD) ^ 1) + g[-4:])
put("gzip", "bad-isize.gz", g[:-4] + struct.pack("<I", len(GOOD) + 1))
put("gzip", "isize-claims-4g.gz", g[:-4] + struct.pack("<I", 0xFFFFFFFF))
put("gzip", "bomb-8mib-zeros.gz", gz(b"\0" * (8 << 20)))
put("gzip", "bomb-8mib-json-spaces.gz", gz(b'{"Records":[' + b" " * (8 << 20) + b"]}"))
put("gzip", "bad-method.gz", g[:2] + b"\x07" + g[3:])
put("gzip", "reserved-flags.gz", g[:3] + b"\xe0" + g[4:])
# FEXTRA with a length past the end; FNAME and FCOMMENT without their NUL.
hdr = b"\x1f\x8b\x08"
put("gzip", "fextra-overlong.gz", hdr + b"\x04" + b"\0" * 6 + b"\xff\xff" + b"abc")
put("gzip", "fname-unterminated.gz", hdr + b"\x08" + b"\0" * 6 + b"name-without-end")
put("gzip", "fcomment-unterminated.gz", hdr + b"\x10" + b"\0" * 6 + b"comment")
put("gzip", "fhcrc-wrong.gz", hdr + b"\x02" + b"\0" * 6 + b"\x00\x00" + g[10:])
put("gzip", "two-members.gz", g + g)
put("gzip", "trailing-zeros.gz", g + b"\0" * 64)
put("gzip", "trailing-garbage.gz", g + b"garbage")
put("gzip", "magic-only.gz", b"\x1f\x8b")
put("gzip", "empty-member.gz", gz(b""))
put("gzip", "stored-block.gz", gz(GOOD, level=0))
put("gzip", "inner-deep-json.gz", gz(b"[" * 5000))
put("gzip", "inner-bad-utf8.gz", gz(b'{"Records":[{"eventName":"\xc3\x28"}]}'))
put("gzip", "not-gzip.gz", GOOD)

# ---- bundle: tar, tar.gz and zip, each entry gunzipped and parsed ---------
def tar(entries, mode="w"):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode=mode, format=tarfile.PAX_FORMAT) as t:
        for name, data, kind in entries:
            ti = tarfile.TarInfo(name)
            ti.mtime = 0
            if kind == "sym":
                ti.type = tarfile.SYMTYPE
                ti.linkname = data
                t.addfile(ti)
            elif kind == "dir":
                ti.type = tarfile.DIRTYPE
                t.addfile(ti)
            else:
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
    return b.getvalue()


def targz(entries):
    return gz(tar(entries))


T = tar([("AWSLogs/a.json.gz", g, "f"), ("AWSLogs/b.json", GOOD, "f")])
put("bundle", "good.tar", T)
put("bundle", "good.tgz", gz(T))
put("bundle", "truncated-in-header.tar", T[:300])
put("bundle", "truncated-in-data.tar", T[:512 + 100])
put("bundle", "bad-checksum.tar", T[:148] + b"0000000\0" + T[156:])
put("bundle", "size-field-huge.tar", T[:124] + b"77777777777\0" + T[136:])
put("bundle", "symlink-and-dir.tar", tar([("d/", b"", "dir"), ("d/link.json.gz", "../../etc/passwd", "sym"), ("d/x.json.gz", g, "f")]))
put("bundle", "long-pax-name.tar", tar([("a/" * 200 + "x.json.gz", g, "f")]))
put("bundle", "entry-bomb.tgz", targz([("bomb.json.gz", gz(b"\0" * (8 << 20)), "f")]))
put("bundle", "entry-truncated-gzip.tar", tar([("t.json.gz", g[:20], "f")]))
put("bundle", "entry-deep-json.tar", tar([("deep.json", b"[" * 5000, "f")]))
put("bundle", "tar-in-tar.tar", tar([("inner.tar", T, "f")]))
put("bundle", "empty-entries.tar", tar([("e1.json.gz", b"", "f"), ("e2.json", b"", "f")]))
put("bundle", "zeros-only.tar", b"\0" * 2048)
put("bundle", "truncated.tgz", gz(T)[:200])


def zipf(entries, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = method
            z.writestr(zi, data)
    return b.getvalue()


Z = zipf([("a.json.gz", g), ("b.json", GOOD)])
put("bundle", "good.zip", Z)
put("bundle", "stored.zip", zipf([("a.json", GOOD)], zipfile.ZIP_STORED))
put("bundle", "zip-no-central-dir.zip", Z[:Z.rfind(b"PK\x01\x02")])
put("bundle", "zip-truncated.zip", Z[:len(Z) // 2])
put("bundle", "zip-bomb-entry.zip", zipf([("zeros.json", b"\0" * (8 << 20))]))
# The central directory's offset points past the end.
eocd = Z.rfind(b"PK\x05\x06")
put("bundle", "zip-bad-cd-offset.zip", Z[:eocd + 16] + struct.pack("<I", 0x7FFFFFFF) + Z[eocd + 20:])
put("bundle", "zip-empty.zip", zipf([]))

# ---- digest: the digest-file reader ---------------------------------------
D = {"awsAccountId": "111122223333", "digestStartTime": "2026-03-01T00:00:00Z",
     "digestEndTime": "2026-03-01T01:00:00Z", "digestS3Bucket": "trail-bucket",
     "digestS3Object": "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/01/d.json.gz",
     "digestPublicKeyFingerprint": "0123456789abcdef0123456789abcdef",
     "digestSignatureAlgorithm": "SHA256withRSA", "newestEventTime": "2026-03-01T00:30:00Z",
     "oldestEventTime": "2026-03-01T00:15:00Z", "previousDigestS3Bucket": None,
     "previousDigestS3Object": None, "previousDigestHashValue": None,
     "previousDigestHashAlgorithm": None, "previousDigestSignature": None,
     "logFiles": [{"s3Bucket": "trail-bucket", "s3Object": "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/l.json.gz",
                   "hashValue": "ab" * 32, "hashAlgorithm": "SHA-256",
                   "newestEventTime": "2026-03-01T00:30:00Z", "oldestEventTime": "2026-03-01T00:15:00Z"}]}


def dig(name, **over):
    d = json.loads(json.dumps(D))
    for k, v in over.items():
        if v is KeyError:
            d.pop(k, None)
        else:
            d[k] = v
    put("digest", name, json.dumps(d))


dig("good.json")
dig("no-log-files.json", logFiles=[])
dig("log-files-object.json", logFiles={"s3Object": "x"})
dig("log-files-missing.json", logFiles=KeyError)
dig("log-file-fields-null.json", logFiles=[{"s3Bucket": None, "s3Object": None, "hashValue": None}])
dig("log-file-hash-number.json", logFiles=[{"s3Bucket": "b", "s3Object": "o", "hashValue": 12}])
dig("log-file-hash-huge.json", logFiles=[{"s3Bucket": "b", "s3Object": "o", "hashValue": "f" * 70000}])
dig("end-before-start.json", digestEndTime="2026-02-28T00:00:00Z")
dig("times-not-iso.json", digestStartTime="yesterday", digestEndTime="1795176000")
dig("start-missing.json", digestStartTime=KeyError)
dig("account-number.json", awsAccountId=111122223333)
dig("previous-half-null.json", previousDigestS3Object="x.json.gz")
dig("previous-signature-not-hex.json", previousDigestS3Bucket="b", previousDigestS3Object="p.json.gz",
    previousDigestHashValue="zz", previousDigestSignature="not hex at all")
dig("fingerprint-empty.json", digestPublicKeyFingerprint="")
dig("bucket-with-nul.json", digestS3Bucket="trail\u0000bucket")
dig("many-log-files.json", logFiles=[dict(D["logFiles"][0], s3Object="l%05d.json.gz" % i) for i in range(300)])
put("digest", "deep.json", b'{"logFiles":' + b"[" * 1000)
put("digest", "not-an-object.json", b'["digest"]')
put("digest", "empty.json", b"")
put("digest", "bad-utf8.json", json.dumps(D).encode().replace(b"trail-bucket", b"trail-\xff\xfe", 1))

# ---- authz: get-account-authorization-details -----------------------------
A = "111122223333"


def user(name, docs, **kw):
    u = {"Path": "/", "UserName": name, "UserId": "AIDA" + name.upper()[:8], "Arn": "arn:aws:iam::%s:user/%s" % (A, name),
         "CreateDate": "2020-01-01T00:00:00Z",
         "UserPolicyList": [{"PolicyName": "p%d" % i, "PolicyDocument": d} for i, d in enumerate(docs)],
         "GroupList": [], "AttachedManagedPolicies": [], "Tags": []}
    u.update(kw)
    return u


def role(name, docs, **kw):
    r = {"Path": "/", "RoleName": name, "RoleId": "AROA" + name.upper()[:8], "Arn": "arn:aws:iam::%s:role/%s" % (A, name),
         "CreateDate": "2020-01-01T00:00:00Z",
         "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
         "RolePolicyList": [{"PolicyName": "p%d" % i, "PolicyDocument": d} for i, d in enumerate(docs)],
         "AttachedManagedPolicies": [], "InstanceProfileList": [], "Tags": []}
    r.update(kw)
    return r


def authz(name, users=(), roles=(), groups=(), policies=(), **kw):
    d = {"UserDetailList": list(users), "GroupDetailList": list(groups), "RoleDetailList": list(roles),
         "Policies": list(policies)}
    d.update(kw)
    put("authz", name, json.dumps(d))


def doc(*stmts):
    return {"Version": "2012-10-17", "Statement": list(stmts)}


ALLOW = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
authz("wide-1200-ec2-star.json", users=[user("alice", [doc(*[
    {"Sid": "S%d" % i, "Effect": "Allow", "Action": "ec2:*", "Resource": "*"} for i in range(1200)])])])
authz("statement-object.json", users=[user("a", [{"Version": "2012-10-17", "Statement": ALLOW}])])
authz("statement-empty.json", users=[user("a", [doc()])])
authz("action-star.json", roles=[role("r", [doc({"Effect": "Allow", "Action": "*", "Resource": "*"})])])
authz("action-wildcards.json", roles=[role("r", [doc({"Effect": "Allow", "Action": ["*:*", "s3:*Object*", "?3:Get*", "iam:*", ":", "s3:", "nosuch:Thing"], "Resource": "*"})])])
authz("not-action-star.json", roles=[role("r", [doc({"Effect": "Allow", "NotAction": "*", "Resource": "*"})])])
authz("not-action-deny.json", roles=[role("r", [doc(ALLOW, {"Effect": "Deny", "NotAction": ["s3:Get*"], "NotResource": "arn:aws:s3:::b/*"})])])
authz("action-and-not-action.json", users=[user("a", [doc({"Effect": "Allow", "Action": "s3:GetObject", "NotAction": "s3:PutObject", "Resource": "*"})])])
authz("action-number.json", users=[user("a", [doc({"Effect": "Allow", "Action": 42, "Resource": "*"})])])
authz("action-nested-array.json", users=[user("a", [doc({"Effect": "Allow", "Action": [["s3:GetObject"]], "Resource": "*"})])])
authz("effect-lowercase.json", users=[user("a", [doc({"Effect": "allow", "Action": "s3:GetObject", "Resource": "*"})])])
authz("sid-norepo.json", roles=[role("r", [doc(dict(ALLOW, Sid="NOREPOkeep"), dict(ALLOW, Sid="norepo"))])])
authz("conditions.json", roles=[role("r", [doc(dict(ALLOW, Condition={"StringEquals": {"aws:RequestedRegion": ["us-east-1"]}}),
                                            {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])])
authz("urlencoded.json", users=[user("a", ["%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D"])])
authz("urlencoded-bad-escape.json", users=[user("a", ["%7B%22Version%22%3A%ZZ"])])
authz("urlencoded-trailing-percent.json", users=[user("a", ["%7B%7D%"])])
authz("urlencoded-nul.json", users=[user("a", ["%7B%22Version%22%00%7D"])])
authz("urlencoded-plus-and-utf8.json", users=[user("a", ["%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Sid%22%3A%22%C3%A9+x%22%2C%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22*%22%7D%5D%7D"])])
authz("urlencoded-bad-utf8.json", users=[user("a", ["%7B%22Sid%22%3A%22%FF%FE%22%7D"])])
authz("document-string-not-json.json", users=[user("a", ["just text"])])
authz("document-deep.json", users=[user("a", [json.loads("[" * 70 + "]" * 70)])])
authz("managed-versions.json",
      users=[user("a", [], AttachedManagedPolicies=[{"PolicyName": "M", "PolicyArn": "arn:aws:iam::%s:policy/M" % A}])],
      policies=[{"PolicyName": "M", "Arn": "arn:aws:iam::%s:policy/M" % A, "DefaultVersionId": "v9",
                 "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": False, "Document": doc({"Effect": "Allow", "Action": "iam:*", "Resource": "*"})},
                                       {"VersionId": "v2", "IsDefaultVersion": True, "Document": doc(ALLOW)},
                                       {"VersionId": "v3", "IsDefaultVersion": True, "Document": doc(ALLOW)}]}])
authz("managed-missing.json", users=[user("a", [], AttachedManagedPolicies=[{"PolicyName": "Gone", "PolicyArn": "arn:aws:iam::aws:policy/Gone"}])])
authz("group-missing.json", users=[user("a", [], GroupList=["nosuch"])])
authz("boundary-missing.json", roles=[role("r", [doc(ALLOW)], PermissionsBoundary={"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::%s:policy/B" % A})])
authz("boundary-empty.json", roles=[role("r", [doc({"Effect": "Allow", "Action": "*", "Resource": "*"})],
                                    PermissionsBoundary={"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::%s:policy/B" % A})],
      policies=[{"PolicyName": "B", "Arn": "arn:aws:iam::%s:policy/B" % A, "DefaultVersionId": "v1",
                 "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True, "Document": doc({"Effect": "Deny", "Action": "*", "Resource": "*"})}]}])
authz("names-hostile.json", users=[user("mallory<script>\"'&", [doc(ALLOW)], Arn="arn:aws:iam::%s:user/../../x" % A)],
      roles=[role("r" * 2000, [doc(ALLOW)])])
authz("create-dates.json", users=[user("a", [doc(ALLOW)], CreateDate="2023-03-09 10:41:45+00:00"),
                                  user("b", [doc(ALLOW)], CreateDate="2023-03-09T10:41:45.123456+0000"),
                                  user("c", [doc(ALLOW)], CreateDate="not a date"),
                                  user("d", [doc(ALLOW)], CreateDate=1678358505)])
authz("duplicate-principals.json", users=[user("a", [doc(ALLOW)]), user("a", [doc(ALLOW)])])
authz("kinds-wrong-type.json", UserDetailList={"a": 1})
authz("is-truncated.json", users=[user("a", [doc(ALLOW)])], IsTruncated=True, Marker="x")
put("authz", "empty-object.json", b"{}")
put("authz", "empty.json", b"")
put("authz", "top-array.json", b"[]")
