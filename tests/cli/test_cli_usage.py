"""--help, --version and usage errors (exit status 2)."""

import re

from clihelp import run


def test_help_lists_commands_and_exit_statuses():
    p = run("--help")
    assert p.returncode == 0
    for word in ("check", "replay", "policy check", "--strict", "--format csv|asterisk", "--state FILE",
                 "exit status", "2  usage error"):
        assert word in p.stdout, word


def test_version():
    p = run("--version")
    assert p.returncode == 0
    assert re.fullmatch(r"tollguard \d+\.\d+\.\d+ \(libtollguard \d+\.\d+\.\d+\)\n", p.stdout)


def test_usage_errors_exit_2():
    for args in ([], ["frobnicate"], ["check", "--bogus", "1"], ["replay"], ["replay", "a.csv", "b.csv"],
                 ["replay", "--format", "xml", "a.csv"], ["check", "--state", "s", "0112345678"],
                 ["replay", "--account", "x", "a.csv"], ["policy"], ["policy", "lint", "x"],
                 ["replay", "--policy"]):
        p = run(*args)
        assert p.returncode == 2, (args, p.stderr)
        assert p.stderr.startswith("tollguard: "), args
