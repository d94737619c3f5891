// duckdb_count.mjs - the DuckDB peer of bench/run.sh: reads every CloudTrail
// log object under a corpus with read_json, unnests Records, and counts calls
// per (principal, eventSource, eventName) the way the jq peer does.
// Usage: node duckdb_count.mjs CORPUS_DIR [GROUPS_TSV_OUT]
// Prints "groups N" and "records N" on stdout.
import { DuckDBInstance } from '@duckdb/node-api';
import { readdirSync, writeFileSync } from 'node:fs';
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

// Only the three fields are declared: DuckDB skips the rest of each record.
const RECORD = `STRUCT(
  userIdentity STRUCT(arn VARCHAR, sessionContext STRUCT(sessionIssuer STRUCT(arn VARCHAR))),
  eventSource VARCHAR, eventName VARCHAR)[]`;

function query(files) {
  return `
    WITH r AS (
      SELECT unnest(Records) AS e
      FROM read_json(${sqlList(files)}, format = 'auto', compression = 'gzip',
                     maximum_object_size = 1073741824,
                     columns = {Records: '${RECORD.replace(/\s+/g, ' ')}'})
    )
    SELECT coalesce(e.userIdentity.sessionContext.sessionIssuer.arn,
                    e.userIdentity.arn, '?') AS principal,
           e.eventSource AS source, e.eventName AS name, count(*) AS n
    FROM r GROUP BY ALL ORDER BY principal, source, name`;
}

async function main() {
  const [dir, out] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node duckdb_count.mjs CORPUS_DIR [GROUPS_TSV_OUT]');
    process.exit(2);
  }
  const files = logObjects(dir);
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await instance.connect();
  const reader = await con.runAndReadAll(query(files));
  const rows = reader.getRows();
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
