// duckdb_count.mjs - the DuckDB peer of bench/run.sh. Two jobs over every
// CloudTrail log object under a corpus (read_json, unnest Records):
//   load  - the job the benchmark compares trailtrim with: load the fields
//           trailtrim stores (time, source, name, region, IP, agent, error,
//           flags, ids, the identity and the minted key) into a table of a
//           DuckDB database file, then count calls per (principal,
//           eventSource, eventName) from that table;
//   count - a lighter job shown for reference: declare only the three
//           fields the count needs and count them, storing nothing.
// Usage: node duckdb_count.mjs load|count CORPUS_DIR [GROUPS_TSV_OUT [DB_FILE]]
// Prints "groups N" and "records N" on stdout.
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function logObjects(dir) {
  return readdirSync(join(dir, 'AWSLogs'), { recursive: true })
    .map((p) => join(dir, 'AWSLogs', p))
    .filter((p) => p.endsWith('.json.gz') && p.includes('/CloudTrail/'))
    .sort();
}

function sqlList(files) {
  return '[' + files.map((f) => "'" + f.replaceAll("'", "''") + "'").join(',') + ']';
}

function readJson(files, record) {
  return `read_json(${sqlList(files)}, format = 'auto', compression = 'gzip',
                    maximum_object_size = 1073741824,
                    columns = {Records: '${record.replace(/\s+/g, ' ')}'})`;
}

// count: only the three fields are declared, so DuckDB skips the rest.
const COUNT_RECORD = `STRUCT(
  userIdentity STRUCT(arn VARCHAR, sessionContext STRUCT(sessionIssuer STRUCT(arn VARCHAR))),
  eventSource VARCHAR, eventName VARCHAR)[]`;

// load: the fields trailtrim stores for each event (docs/schema.md). The
// flags are read as text because CloudTrail writes them as booleans or as
// "true"/"false" strings.
const LOAD_RECORD = `STRUCT(
  eventVersion VARCHAR, eventTime TIMESTAMP, eventSource VARCHAR, eventName VARCHAR,
  awsRegion VARCHAR, sourceIPAddress VARCHAR, userAgent VARCHAR, errorCode VARCHAR,
  readOnly VARCHAR, eventType VARCHAR, managementEvent VARCHAR, eventID VARCHAR,
  recipientAccountId VARCHAR,
  userIdentity STRUCT(type VARCHAR, arn VARCHAR, accountId VARCHAR, principalId VARCHAR,
    accessKeyId VARCHAR, userName VARCHAR, invokedBy VARCHAR, sourceIdentity VARCHAR,
    sessionContext STRUCT(sourceIdentity VARCHAR,
      attributes STRUCT(mfaAuthenticated VARCHAR),
      sessionIssuer STRUCT(type VARCHAR, arn VARCHAR))),
  responseElements STRUCT(credentials STRUCT(accessKeyId VARCHAR)))[]`;

function loadSql(files) {
  return `
    CREATE TABLE events AS
    WITH r AS (SELECT unnest(Records) AS e FROM ${readJson(files, LOAD_RECORD)})
    SELECT e.eventTime AS t, e.eventVersion AS version, e.eventSource AS source,
           e.eventName AS name, e.awsRegion AS region, e.sourceIPAddress AS ip,
           e.userAgent AS ua, e.errorCode AS error_code, e.readOnly AS read_only,
           e.eventType AS event_type, e.managementEvent AS management,
           e.eventID AS event_id, e.recipientAccountId AS recipient,
           e.userIdentity.type AS id_type, e.userIdentity.arn AS id_arn,
           e.userIdentity.accountId AS id_account, e.userIdentity.principalId AS id_principal,
           e.userIdentity.accessKeyId AS access_key, e.userIdentity.userName AS user_name,
           e.userIdentity.invokedBy AS invoked_by,
           e.userIdentity.sessionContext.sessionIssuer.type AS issuer_type,
           e.userIdentity.sessionContext.sessionIssuer.arn AS issuer_arn,
           e.userIdentity.sessionContext.attributes.mfaAuthenticated AS mfa,
           coalesce(e.userIdentity.sessionContext.sourceIdentity,
                    e.userIdentity.sourceIdentity) AS source_identity,
           e.responseElements.credentials.accessKeyId AS minted_key,
           coalesce(e.userIdentity.sessionContext.sessionIssuer.arn,
                    e.userIdentity.arn, '?') AS principal
    FROM r`;
}

const GROUP_FROM_TABLE = `
    SELECT principal, source, name, count(*) AS n
    FROM events GROUP BY ALL ORDER BY principal, source, name`;

function countSql(files) {
  return `
    WITH r AS (SELECT unnest(Records) AS e FROM ${readJson(files, COUNT_RECORD)})
    SELECT coalesce(e.userIdentity.sessionContext.sessionIssuer.arn,
                    e.userIdentity.arn, '?') AS principal,
           e.eventSource AS source, e.eventName AS name, count(*) AS n
    FROM r GROUP BY ALL ORDER BY principal, source, name`;
}

async function run(mode, files, dbFile) {
  if (mode === 'count') {
    const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
    const con = await instance.connect();
    return (await con.runAndReadAll(countSql(files))).getRows();
  }
  rmSync(dbFile, { force: true });
  rmSync(dbFile + '.wal', { force: true });
  const instance = await DuckDBInstance.create(dbFile, { threads: '2' });
  const con = await instance.connect();
  await con.run(loadSql(files));
  await con.run('CHECKPOINT');
  return (await con.runAndReadAll(GROUP_FROM_TABLE)).getRows();
}

async function main() {
  const [mode, dir, out, db] = process.argv.slice(2);
  if ((mode !== 'load' && mode !== 'count') || !dir) {
    console.error('usage: node duckdb_count.mjs load|count CORPUS_DIR [GROUPS_TSV_OUT [DB_FILE]]');
    process.exit(2);
  }
  const rows = await run(mode, logObjects(dir), db || 'duckdb-bench.duckdb');
  let records = 0n;
  const lines = rows.map(([p, s, n, c]) => {
    records += BigInt(c);
    return `${c}\t${p}\t${s}\t${n}`;
  });
  if (out) writeFileSync(out, lines.join('\n') + '\n');
  console.log(`groups ${rows.length}`);
  console.log(`records ${records}`);
}

main().catch((err) => {
  console.error(`duckdb_count: ${err.message}`);
  process.exit(1);
});
