"""tollguard policy check FILE: file:line:column errors, ok + summary."""

import re

from clihelp import run

# A small valid policy: everything not given takes the library's defaults.
SMALL_POLICY = 'name: "small"\nhome_country: "JP"\ntimezone: "Asia/Tokyo"\nprofiles { name: "default" }\n'


def test_syntax_error_is_reported_with_file_line_column(tmp_path):
    path = tmp_path / "broken.textproto"
    path.write_text('name: "broken"\nrisk {\n  high_rate: "abc"\n}\n')
    p = run("policy", "check", path)
    assert p.returncode == 1
    assert p.stdout == ""
    assert re.match(rf"{re.escape(str(path))}:3:14: ", p.stderr), p.stderr


def test_unknown_field_names_its_line(tmp_path):
    path = tmp_path / "typo.textproto"
    path.write_text('name: "typo"\n\nlimits {\n  max_acounts: 10\n}\n')
    p = run("policy", "check", path)
    assert p.returncode == 1
    m = re.match(rf"{re.escape(str(path))}:(\d+):(\d+): (.*)", p.stderr)
    assert m, p.stderr
    assert m.group(1) == "4" and int(m.group(2)) > 0
    assert "max_acounts" in m.group(3)


def test_missing_file(tmp_path):
    p = run("policy", "check", tmp_path / "none.textproto")
    assert p.returncode == 1
    assert "none.textproto" in p.stderr and "cannot open" in p.stderr


def test_valid_policy_prints_ok_and_a_summary(tmp_path):
    path = tmp_path / "mine.textproto"
    path.write_text(SMALL_POLICY)
    p = run("policy", "check", path)
    assert p.returncode == 0, p.stderr
    first, second = p.stdout.splitlines()
    assert first == "ok"
    m = re.fullmatch(rf"{re.escape(str(path))}: (\d+) destination prefixes, [\d.]+ MiB held by the engine", second)
    assert m and int(m.group(1)) > 1000


def test_policy_error_also_stops_check_and_replay(tmp_path):
    path = tmp_path / "broken.textproto"
    path.write_text('name: "broken"\nrisk {\n  high_rate: "abc"\n}\n')
    for args in (["check", "--policy", path, "0112345678"], ["replay", "--policy", path, "-"]):
        p = run(*args, stdin="start,account,dialed,duration\n")
        assert p.returncode == 1
        assert f"{path}:3:14: " in p.stderr
