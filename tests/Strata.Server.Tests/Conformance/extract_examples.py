#!/usr/bin/env python3
"""Turns query-examples.md into examples.json, the data of the conformance suite.

Usage (from the repository root):

    python3 tests/Strata.Server.Tests/Conformance/extract_examples.py ../shared/reference/query-examples.md

Regular examples (E, M and P sections: "write datasets, run one query") are parsed from the
markdown. Examples whose setup is a sequence of steps (continuous queries, delete/drop,
permissions, M05, P13) are written by hand in examples.overrides.json next to this script; every
query and expected body given there is checked to occur in that example's markdown text, unless
the step says "from_prose" (an expectation stated in words, e.g. "still returns 6") or
"deviation" (a setup request that must differ from the markdown, with the reason).

Output: examples.json next to this script. Standard library only.
"""

import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "examples.json")
OVERRIDES = os.path.join(HERE, "examples.overrides.json")

ROOT = "u=root&p=root"
EXAMPLE_ID = re.compile(r"^[A-Z]\d{2,3}$")
SELECT_STAR = re.compile(r"^\s*(explain\s+)?select\s+\*", re.IGNORECASE)


def fail(message):
    sys.exit("extract_examples: " + message)


def split_sections(text):
    """Returns (level, heading, body_lines) for every '## ' and '### ' heading in order."""
    sections = []
    current = None
    in_code = False
    for line in text.split("\n"):
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and (line.startswith("## ") or line.startswith("### ")):
            level = 2 if line.startswith("## ") else 3
            current = (level, line[level + 1:].strip(), [])
            sections.append(current)
        elif current is not None:
            current[2].append(line)
    return sections


def items(lines):
    """Splits a section body into ('text', line) and ('code', lang, content) items."""
    result = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            lang = line[3:].strip()
            j = i + 1
            content = []
            while j < len(lines) and lines[j] != "```":
                content.append(lines[j])
                j += 1
            if j == len(lines):
                fail("unterminated code block")
            result.append(("code", lang, "\n".join(content)))
            i = j + 1
        else:
            result.append(("text", line))
            i += 1
    return result


def series_path(precision=None, user="root", password="root"):
    path = "/db/db1/series?u=" + user + "&p=" + password
    if precision:
        path += "&time_precision=" + precision
    return path


def write_step(datasets, name):
    if name not in datasets:
        fail("unknown dataset " + name)
    d = datasets[name]
    return {"method": "POST", "path": series_path(d["precision"]), "dataset": name, "body": d["body"],
            "status": 200, "match": "status"}


def query_step(query, precision, status, expected, lang, notes="", user="root", password="root"):
    step = {"method": "GET", "path": series_path(precision, user, password), "query": query, "status": status}
    if lang == "json":
        step["match"] = "json"
        step["json"] = expected
    elif expected is not None:
        step["match"] = "syntax_error" if expected.startswith("syntax error, ") else "text"
        step["text"] = expected
    else:
        step["match"] = "status"
    lowered = notes.lower()
    step["columns_any_order"] = bool(SELECT_STAR.match(query)) or "columns in any order" in lowered
    step["rows_any_order"] = "rows in any order" in lowered
    return step


def parse_datasets(sections):
    datasets = {}
    for level, heading, lines in sections:
        m = re.match(r"^Dataset (\w+)$", heading)
        if level != 3 or not m:
            continue
        its = items(lines)
        texts = " ".join(t[1] for t in its if t[0] == "text")
        pm = re.search(r"time_precision=(\w+)`", texts)
        codes = [t for t in its if t[0] == "code"]
        if not pm or len(codes) != 1:
            fail("cannot parse dataset " + m.group(1))
        json.loads(codes[0][2])  # must be valid JSON
        datasets[m.group(1)] = {"precision": pm.group(1), "body": codes[0][2]}
    return datasets


def parse_regular(example_id, lines, datasets):
    """E and M examples: Data line, query block, Expect line, body block, notes."""
    its = items(lines)
    data = next((t[1] for t in its if t[0] == "text" and t[1].startswith("Data:")), None)
    if data is None:
        raise ValueError("no Data line")
    dm = re.match(r"^Data: (.*) · query `time_precision=(\w+)`$", data)
    if not dm:
        raise ValueError("irregular Data line")
    names = re.findall(r"\*\*([A-Z0-9]+)\*\*", dm.group(1))
    precision = dm.group(2)
    codes = [i for i, t in enumerate(its) if t[0] == "code"]
    if len(codes) != 2:
        raise ValueError("expected 2 code blocks, found %d" % len(codes))
    query = its[codes[0]][2]
    between = " ".join(t[1] for t in its[codes[0] + 1:codes[1]] if t[0] == "text")
    sm = re.search(r"Expect `(\d{3})`", between)
    if not sm:
        raise ValueError("no Expect line")
    _, lang, body = its[codes[1]]
    expected = json.loads(body) if lang == "json" else body
    notes = " ".join(t[1].strip() for t in its[codes[1] + 1:] if t[0] == "text" and t[1].strip())
    steps = [write_step(datasets, n) for n in names]
    steps.append(query_step(query, precision, int(sm.group(1)), expected, lang, notes))
    return {"datasets": names, "time_precision": precision, "notes": notes, "steps": steps}


def parse_syntax(example_id, lines, datasets):
    """P examples: query block and body block; status 400, data any (CPU is written)."""
    its = items(lines)
    codes = [t for t in its if t[0] == "code"]
    if len(codes) != 2:
        raise ValueError("expected 2 code blocks, found %d" % len(codes))
    notes = " ".join(t[1].strip() for t in its if t[0] == "text" and t[1].strip())
    steps = [write_step(datasets, "CPU"), query_step(codes[0][2], None, 400, codes[1][2], "text", notes)]
    return {"datasets": ["CPU"], "time_precision": None, "notes": notes, "steps": steps}


def inline_json_values(text):
    values = []
    for span in re.findall(r"`([^`]+)`", text):
        try:
            values.append(json.loads(span))
        except ValueError:
            pass
    return values


def expand_override(example_id, spec, section_text, datasets):
    """Normalises a hand-written example and checks it against its markdown text."""
    code_values = []
    for t in items(section_text.split("\n")):
        if t[0] == "code" and t[1] == "json":
            code_values.append(json.loads(t[2]))
    known_json = code_values + inline_json_values(section_text)
    steps = []
    for n, raw in enumerate(spec["steps"], 1):
        where = "%s step %d" % (example_id, n)
        prose = raw.get("from_prose", False)
        if "dataset" in raw:
            steps.append(write_step(datasets, raw["dataset"]))
            continue
        if "write" in raw:
            if raw["write"] not in section_text:
                fail(where + ": write body not found verbatim in the markdown")
            steps.append({"method": "POST", "path": series_path(raw.get("precision")), "body": raw["write"],
                          "status": 200, "match": "status"})
            continue
        if raw.get("method") == "POST":
            deviation = raw.get("deviation")
            if not prose and not deviation and (raw["path"] not in section_text or (raw.get("body") and raw["body"] not in section_text)):
                fail(where + ": POST path or body not found verbatim in the markdown")
            step = {"method": "POST", "path": raw["path"], "body": raw.get("body"), "status": raw["status"], "match": "status"}
            if deviation:
                step["deviation"] = deviation
            steps.append(step)
            continue
        query = raw["query"]
        if not prose and "`" + query + "`" not in section_text and "\n" + query + "\n" not in section_text:
            fail(where + ": query not found verbatim in the markdown: " + query)
        if "json" in raw:
            expected, lang = raw["json"], "json"
            if not prose and expected not in known_json:
                fail(where + ": expected JSON not found in the markdown")
        elif "text" in raw:
            expected, lang = raw["text"], "text"
            if not prose and expected not in section_text:
                fail(where + ": expected text not found verbatim in the markdown")
        else:
            expected, lang = None, None
        step = query_step(query, raw.get("precision"), raw["status"], expected, lang,
                          raw.get("notes", ""), raw.get("user", "root"), raw.get("password", "root"))
        for key in ("columns_any_order", "rows_any_order", "match"):
            if key in raw:
                step[key] = raw[key]
        if raw.get("poll_seconds"):
            step["poll_seconds"] = raw["poll_seconds"]
        if prose:
            step["from_prose"] = True
        steps.append(step)
    names = [s["dataset"] for s in steps if "dataset" in s]
    precisions = {s["path"].split("time_precision=")[1] for s in steps
                  if s["method"] == "GET" and "time_precision=" in s["path"]}
    return {"datasets": names, "time_precision": precisions.pop() if len(precisions) == 1 else None,
            "notes": spec.get("notes", ""), "steps": steps}


def render(document):
    """Pretty JSON with one line per dataset and per step, so diffs show which step changed."""
    def one(value):
        return json.dumps(value, ensure_ascii=False)

    out = ["{"]
    for key in ("source", "conventions", "count"):
        out.append(' %s: %s,' % (one(key), one(document[key])))
    out.append(' "datasets": {')
    names = list(document["datasets"])
    for i, name in enumerate(names):
        out.append('  %s: %s%s' % (one(name), one(document["datasets"][name]), "," if i < len(names) - 1 else ""))
    out.append(' },')
    out.append(' "examples": [')
    for i, example in enumerate(document["examples"]):
        head = ", ".join("%s: %s" % (one(k), one(v)) for k, v in example.items() if k != "steps")
        out.append('  {' + head + ', "steps": [')
        steps = example["steps"]
        for j, step in enumerate(steps):
            out.append('   ' + one(step) + ("," if j < len(steps) - 1 else ""))
        out.append('  ]}' + ("," if i < len(document["examples"]) - 1 else ""))
    out.append(' ]')
    out.append('}')
    text = "\n".join(out) + "\n"
    if json.loads(text) != document:
        fail("BUG: rendered JSON does not round-trip")
    return text


def main():
    if len(sys.argv) != 2:
        fail("usage: extract_examples.py path/to/query-examples.md")
    with open(sys.argv[1], encoding="utf-8") as f:
        text = f.read()
    with open(OVERRIDES, encoding="utf-8") as f:
        overrides = json.load(f)

    sections = split_sections(text)
    datasets = parse_datasets(sections)
    examples = []
    seen = set()
    chapter = None
    for level, heading, lines in sections:
        if level == 2:
            chapter = heading
            continue
        m = re.match(r"^([A-Z]\d{2,3}) — (.*)$", heading)
        if not m:
            continue
        example_id, title = m.group(1), m.group(2)
        if example_id in seen:
            fail("duplicate id " + example_id)
        seen.add(example_id)
        body = "\n".join(lines)
        if example_id in overrides["examples"]:
            parsed = expand_override(example_id, overrides["examples"][example_id], body, datasets)
        else:
            try:
                parser = parse_syntax if example_id.startswith("P") else parse_regular
                parsed = parser(example_id, lines, datasets)
            except ValueError as e:
                fail("%s: %s; describe it in examples.overrides.json" % (example_id, e))
        examples.append(dict({"id": example_id, "section": chapter, "title": title}, **parsed))

    # Examples without a '###' heading of their own, e.g. the table of '## 17. Read permissions'.
    for example_id, spec in overrides["examples"].items():
        if example_id in seen:
            continue
        chapter_heading = spec.get("chapter")
        match = [s for s in sections if s[0] == 2 and s[1] == chapter_heading]
        if not match:
            fail("%s: chapter %r not found" % (example_id, chapter_heading))
        parsed = expand_override(example_id, spec, "\n".join(match[0][2]), datasets)
        examples.append(dict({"id": example_id, "section": chapter_heading, "title": spec["title"]}, **parsed))
        seen.add(example_id)

    for example_id, patch in overrides.get("patches", {}).items():
        target = next((e for e in examples if e["id"] == example_id), None)
        if target is None:
            fail("patch for unknown example " + example_id)
        target["steps"][-1].update(patch)

    for e in examples:
        if not EXAMPLE_ID.match(e["id"]):
            fail("bad id " + e["id"])

    document = {
        "source": "query-examples.md (InfluxDB 0.8.8 behaviour); generated by extract_examples.py, do not edit",
        "conventions": {
            "setup": "every example runs on a fresh server with a fresh database db1; steps run in order",
            "match": {
                "json": "200 bodies compared as JSON values, numbers by value",
                "text": "plain-text body compared exactly",
                "syntax_error": "first line up to ', expecting' and the two following lines exact",
                "status": "status only",
            },
            "columns_any_order": "columns compared by name; time, sequence_number first and _orig_series last stay in place",
            "rows_any_order": "rows compared as a multiset",
            "poll_seconds": "repeat the request every 200 ms until it matches or the time is up",
        },
        "count": len(examples),
        "datasets": datasets,
        "examples": examples,
    }
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(render(document))
    print("wrote %d examples, %d datasets to %s" % (len(examples), len(datasets), OUT))


if __name__ == "__main__":
    main()
