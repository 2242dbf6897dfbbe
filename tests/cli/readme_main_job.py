"""The README's main job (tools/run.sh) runs to the end: exit 0, the checks printed, the sample CDRs
replayed into build/sample_decisions.csv with a decision per row and the summary on stderr."""
import csv
import subprocess
import sys
from pathlib import Path

root = Path(sys.argv[1])
proc = subprocess.run(["bash", str(root / "tools/run.sh")], cwd=root, capture_output=True, text=True, timeout=850)
out, err = proc.stdout, proc.stderr
assert proc.returncode == 0, f"tools/run.sh exit {proc.returncode}\n{out[-3000:]}\n{err[-3000:]}"
for want in ("+81312345678", "GB PREMIUM_RATE", "decision     block", "110\n  invalid", "decisions: build/sample_decisions.csv"):
    assert want in out, f"{want!r} missing from the output:\n{out[-3000:]}"
rows = list(csv.DictReader(open(root / "build/sample_decisions.csv", newline="")))
sample = sum(1 for _ in open(root / "examples/data/sample_cdrs_jp.csv")) - 1
assert len(rows) == sample, f"{len(rows)} decisions for {sample} sample calls"
actions = {r["action"] for r in rows}
assert {"allow", "block"} <= actions, f"actions seen: {actions}"
print(f"tools/run.sh: ok, {len(rows)} decisions, actions {sorted(actions)}")
