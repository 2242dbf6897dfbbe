"""tollguard check: normalization, destination and decision of numbers; exit statuses."""

from clihelp import MONDAY_10_JST, run

AT = ["--home-country", "JP", "--at", MONDAY_10_JST.isoformat()]


def test_sapporo_011_is_domestic_fixed_line():
    p = run("check", *AT, "011-234-5678")
    assert p.returncode == 0, p.stderr
    assert "+81112345678" in p.stdout
    assert "JP FIXED_LINE, risk tier 0" in p.stdout
    assert "decision     allow" in p.stdout


def test_jamaica_is_high_risk_in_both_dialling_forms():
    p = run("check", *AT, "+1 876 555 1234", "010-1-876-555-1234")
    assert p.returncode == 0, p.stderr
    blocks = p.stdout.split("010-1-876-555-1234\n")
    assert len(blocks) == 2
    for block in blocks:
        assert "+18765551234" in block
        assert "JM MOBILE, risk tier 2" in block
        assert "high_risk_country" in block


def test_garbage_gets_policy_treatment_and_exit_1():
    p = run("check", *AT, "garbage", "0112345678")
    assert p.returncode == 1
    garbage, good = p.stdout.split("0112345678\n")
    assert "invalid      dialed number has characters" in garbage
    assert "alert" in garbage and "the policy's treatment of invalid numbers" in garbage
    assert "+81112345678" in good  # later numbers are still checked


def test_check_usage_errors():
    assert run("check").returncode == 2
    p = run("check", "--at", "yesterday", "0112345678")
    assert p.returncode == 2 and "--at yesterday" in p.stderr
    assert run("check", "--home-country", "XX", "0112345678").returncode == 1
