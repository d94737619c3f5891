#!/usr/bin/env python3
"""policy_precision.py - per-call and policy-level precision and recall of
`trailtrim policy --all` over CloudTrail captures, against a hand-checked
table of the actions each call needs (tests/fixtures/stratus-needed.tsv).

  tests/policy_precision.py TRAILTRIM CAPTURES_DIR TABLE [--require PCT]

Each capture file is ingested into its own store; every principal's policy
and report are written. Per call: the actions the report grants for the
call's (source, event) against the table's, weighted by the calls; a call
the table does not know counts as a failure. Policy level: each policy's
actions against the union of the table's sets for the calls it covers.
Prints the figures; with --require, exits 1 when any is below PCT.
"""
import glob, json, os, subprocess, sys, tempfile


def load_table(path):
    t = {}
    for line in open(path):
        if line.startswith("#") or not line.strip():
            continue
        f = line.rstrip("\n").split("\t")
        t[(f[0], f[1])] = set() if f[2] == "-" else set(f[2].split())
    return t


def run(tt, capture, work):
    db = os.path.join(work, "s.db")
    out = os.path.join(work, "p")
    subprocess.run([tt, "--db", db, "ingest", "-q", capture], check=True)
    subprocess.run([tt, "--db", db, "policy", "--all", "-q", "-o", out, "--until", "2025-01-01", "--days", "400"],
                   check=True)
    return out


def main():
    args = sys.argv[1:]
    require = None
    if "--require" in args:
        i = args.index("--require")
        require = float(args[i + 1])
        del args[i:i + 2]
    tt, captures, table_path = args
    table = load_table(table_path)
    c = dict(tp=0, fp=0, fn=0, ptp=0, pfp=0, pfn=0, calls=0, unknown=[])
    for capture in sorted(glob.glob(os.path.join(captures, "*.json"))):
        with tempfile.TemporaryDirectory() as work:
            out = run(tt, capture, work)
            for rep in glob.glob(os.path.join(out, "*.report.json")):
                r = json.load(open(rep))
                want_all, got_all = set(), set()
                pol = rep[: -len(".report.json")] + ".json"
                for part in sorted(glob.glob(pol[:-5] + "*.json")):
                    if part.endswith(".report.json") or part.endswith(".resources.tsv"):
                        continue
                    if part != pol and not part[len(pol) - 5:].lstrip("-").split(".")[0].isdigit():
                        continue
                    for s in json.load(open(part))["Statement"]:
                        got_all |= set(s["Action"])
                for kind in ("granted", "no_permission_needed", "unmapped"):
                    for it in r.get(kind, []):
                        key = (it["source"], it["event"])
                        got = set(it["detail"].split()) if kind == "granted" else set()
                        if key not in table:
                            c["unknown"].append(key)
                            continue
                        want = table[key]
                        n = int(it["calls"])
                        c["calls"] += n
                        c["tp"] += n * len(got & want)
                        c["fp"] += n * len(got - want)
                        c["fn"] += n * len(want - got)
                        want_all |= want
                c["ptp"] += len(got_all & want_all)
                c["pfp"] += len(got_all - want_all)
                c["pfn"] += len(want_all - got_all)
    pct = lambda a, b: 100.0 * a / b if b else 100.0
    figures = {
        "per-call precision": pct(c["tp"], c["tp"] + c["fp"]),
        "per-call recall": pct(c["tp"], c["tp"] + c["fn"]),
        "policy-level precision": pct(c["ptp"], c["ptp"] + c["pfp"]),
        "policy-level recall": pct(c["ptp"], c["ptp"] + c["pfn"]),
    }
    print(f"{c['calls']} successful direct calls of {len(glob.glob(os.path.join(captures, '*.json')))} captures")
    for k, v in figures.items():
        print(f"{k}: {v:.1f}%")
    print(f"policy-level extras: {c['pfp']}, misses: {c['pfn']}")
    for k in sorted(set(c["unknown"])):
        print(f"not in the table: {k[0]} {k[1]}", file=sys.stderr)
    if require is not None and (c["unknown"] or any(v < require for v in figures.values())):
        sys.exit(1)


if __name__ == "__main__":
    main()
