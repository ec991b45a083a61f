"""Prints the five slowest units of a `cargo build --timings` HTML report."""
import json, re, sys

html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
units = json.loads(m.group(1))
units.sort(key=lambda u: u["duration"], reverse=True)
print(", ".join(f'{u["name"]}{"(build)" if u.get("target","").strip()=="build script" or "run-custom-build" in u.get("mode","") else ""} {u["duration"]:.0f}s' for u in units[:5]))
