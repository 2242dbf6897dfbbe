#!/usr/bin/python3
"""Kamailio CPU per call with and without tollguard (docs/PERFORMANCE.md, section Kamailio). Not a ctest.

Runs examples/kamailio/kamailio.cfg twice under the same SIPp load -- TOLLGUARD_ENABLED 0 (the same Python
KEMI proxy: dialog + record-route + t_relay, no tollguard) and 1 (each INVITE handed to the shard process,
decided, its end booked) -- and reads utime+stime of every Kamailio process from /proc/<pid>/stat before
and after a fixed number of calls. Calls are short (INVITE, 200, ACK, BYE, 200, no hold), from 1000 accounts
to domestic and international numbers that the policy allows, so every call takes the same SIP path in both
runs. Logging at NOTICE (no line per allowed call), as in production.

Usage: kamailio_cpu.py --python-path BUILD/python --lib-dir BUILD/lib [--calls 40000] [--rate 2000]
       [--children 4] [--runs 1]
"""

import argparse
import os
import re
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kamailio_e2e as e2e  # noqa: E402

POLICY = """name: "cpu"
profiles { name: "default" hours { always_open: true } }
"""
TICK = os.sysconf("SC_CLK_TCK")


def process_tree(root):
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                todo += [int(x) for x in f.read().split()]
        except OSError:
            pass
    return pids


def cpu_seconds(pids):
    """{pid: (name, utime+stime seconds)}"""
    out = {}
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open("/proc/%d/cmdline" % pid) as f:
                name = f.read().split("\0")[0]
        except OSError:
            continue
        out[pid] = (name, (int(fields[11]) + int(fields[12])) / TICK)
    return out


def kamailio_roles(run):
    """pid -> Kamailio's process description (kamcmd core.psx)."""
    roles = {}
    out = run.kamcmd("core.psx")
    for m in re.finditer(r"PID: (\d+)\s+DSC: ([^\n]+)", out):
        roles[int(m.group(1))] = m.group(2).strip()
    return roles


def measure(args, enabled):
    run = e2e.Run(args)  # its temporary folder; kept with --keep
    try:
        with open(run.policy, "w") as f:
            f.write(POLICY)
        with open(os.path.join(e2e.EXAMPLE, "kamailio.cfg")) as src, \
                open(os.path.join(run.tmp, "kamailio.cfg"), "w") as dst:
            dst.write(src.read())
        local = e2e.LOCAL_CFG.format(kam_port=run.kam_port, uas_port=run.uas_port, ctl=run.ctl, policy=run.policy,
                                     state_dir=run.state_dir, python_path=args.python_path,
                                     script=os.path.join(e2e.EXAMPLE, "tollguard_kemi.py"))
        local = local.replace("TOLLGUARD_CHILDREN 2", "TOLLGUARD_CHILDREN %d" % args.children)
        local = local.replace("TOLLGUARD_DEBUG 2", "TOLLGUARD_DEBUG 1")
        local += "#!define TOLLGUARD_ENABLED %d\n" % enabled
        with open(os.path.join(run.tmp, "tollguard-local.cfg"), "w") as f:
            f.write(local)
        uas_dir = os.path.join(run.tmp, "uas")
        os.makedirs(uas_dir)
        run.start("sipp-uas", ["sipp", "-sf", os.path.join(e2e.SIPP_DIR, "uas.xml"), "-i", "127.0.0.1", "-p",
                               str(run.uas_port), "-nostdin"], cwd=uas_dir)
        with open(run.kam_log, "a") as log:
            run.kam = run.start("kamailio", ["kamailio", "-f", os.path.join(run.tmp, "kamailio.cfg"), "-DD", "-E",
                                             "-Y", run.tmp, "-w", run.tmp, "-m", "256"], stdout=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not os.path.exists(run.ctl):
            time.sleep(0.1)
        time.sleep(2.5)  # the shard loads the engine on its first tick
        rows = []
        for i in range(1000):
            number = "0312345%03d" % i if i % 5 else "+4930123%03d" % i  # 80% domestic, 20% Germany
            rows.append(("office-%d" % i, number))
        # warm-up: Python imports, the shard's first calls, SIPp
        p, folder = run.uac("warmup", "uac.xml", rows[:500], ["-r", "500", "-d", "0", "-l", "2000"], run.uac_port,
                            logs=False)
        run.wait_uac(p, folder, "warm-up", timeout=60)
        time.sleep(1.5)
        pids = process_tree(run.kam.pid)
        roles = kamailio_roles(run)
        before = cpu_seconds(pids)
        t0 = time.monotonic()
        argv_extra = ["-r", str(args.rate), "-rp", "1000", "-d", "0", "-l", "5000", "-m", str(args.calls)]
        p, folder = run.uac("load", "uac.xml", rows, argv_extra, run.uac_port + 1, logs=False)
        code = p.wait(args.calls / args.rate * 4 + 60)
        wall = time.monotonic() - t0
        time.sleep(1.5)  # the shard books the last ends
        after = cpu_seconds(pids)
        stat = run.sipp_stat(folder)
        ok = int(stat["SuccessfulCall(C)"])
        failed = int(stat["FailedCall(C)"])
        per_role = {}
        for pid, (_, sec) in after.items():
            role = roles.get(pid, "main" if pid == run.kam.pid else "?")
            role = re.sub(r"\s+(\d+|127\.0\.0\.1:\d+|\(\d+\)).*$", "", role) if "receiver" in role else role
            per_role[role] = per_role.get(role, 0.0) + sec - before.get(pid, ("", sec))[1]
        total = sum(per_role.values())
        out = run.log()
        engine = {}
        if enabled:
            time.sleep(1.2)  # the next tick publishes the counters
            engine = run.htable()
            m = re.findall(r"tollguard: ERROR|Unhandled exception", out)
            if m:
                raise e2e.Failure("errors in kamailio.log: %d" % len(m))
        return {"enabled": enabled, "sipp_exit": code, "calls": ok, "failed": failed, "wall": wall,
                "cps": ok / wall, "cpu": total, "us_per_call": total / max(ok, 1) * 1e6, "roles": per_role,
                "engine": engine}
    finally:
        run.stop_all()
        if not args.keep:
            shutil.rmtree(run.tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--python-path", required=True)
    ap.add_argument("--lib-dir", required=True)
    ap.add_argument("--calls", type=int, default=40000)
    ap.add_argument("--rate", type=int, default=2000)
    ap.add_argument("--children", type=int, default=4)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    results = []
    for _ in range(args.runs):
        for enabled in (0, 1):
            r = measure(args, enabled)
            results.append(r)
            print("tollguard %-3s  calls %6d (failed %d, sipp exit %s)  %.0f calls/s  Kamailio CPU %.2f s  "
                  "= %.1f us/call" % ("on" if enabled else "off", r["calls"], r["failed"], r["sipp_exit"],
                                      r["cps"], r["cpu"], r["us_per_call"]), flush=True)
            if r["engine"]:
                print("    engine: %d decisions, %d live calls left" % (r["engine"].get("shard0.decisions", -1),
                                                                      r["engine"].get("shard0.live_calls", -1)))
            for role, sec in sorted(r["roles"].items(), key=lambda kv: -kv[1]):
                if sec > 0.005:
                    print("    %-45s %6.2f s  %6.1f us/call" % (role, sec, sec / max(r["calls"], 1) * 1e6))
    return 0


if __name__ == "__main__":
    sys.exit(main())
