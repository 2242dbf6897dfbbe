"""tollguard for Kamailio 5.6: the KEMI routing script (app_python3) of kamailio.cfg.

A stateful outbound proxy that asks tollguard about every new outgoing call:
  BLOCK -> 403 Forbidden with "X-Tollguard-Reason: <top reason>";
  ALERT -> relayed with "X-Tollguard-Reason: <top reason>" added, and a NOTICE log line;
  ALLOW -> relayed.
Each call that goes through is tracked by the dialog module; its end (BYE, CANCEL, failure, timeout) is
booked with tollguard (`end` with the billed seconds), and its max_duration_s becomes the dialog timeout, so
Kamailio cuts a call that goes over budget by sending BYE to both sides.

Processes. Kamailio runs many processes, forked after this module is imported. The engine lives in one
process per shard, an async task worker of the group "tollguard<N>" (kamailio.cfg): SIP workers hand each
new INVITE to the shard that owns its account (async task_group_route), and the dialog events, which run in
whichever process saw the BYE, the reply or the timeout, send the call's end to the same shard
(async task_group_data). So one engine sees all of an account's calls, in order, and no process but the
shard's ever imports tollguard: the library and numpy are loaded in the child, after the fork.

Persistence. Kamailio's children _exit() on SIGTERM without running any hook, so a shard blocks SIGTERM and
waits for the rtimer tick (ksr_tollguard_tick, once a second; its process blocks SIGTERM as well): when the
tick sees the pending SIGTERM it sends "shutdown" to every shard, which ends its live calls, saves its state
and unblocks the signal. State is also saved every TOLLGUARD_SAVE_INTERVAL seconds, and loaded at start.

Policy reload: `kamcmd app_python.reload` re-runs this script's mod_init/child_init in every process; a shard
that already has an engine reloads the policy file (engine.reload) and keeps its accounts and live calls.
README.md in this folder has the settings, headers and log lines.
"""

import os
import signal
import sys
import time
import zlib

import KSR

_ASYNC = getattr(KSR, "async")  # "async" is a Python keyword
_HEADERS_IN = ("X-Tollguard-Reason", "X-Tollguard-Score")  # never trusted from the caller

# The shard of this process, kept across `kamcmd app_python.reload` (which re-executes this module in place).
_SHARD = globals().get("_SHARD")
_TICK_BLOCKED = globals().get("_TICK_BLOCKED", False)


def _define(name, default):
    """A #!define of kamailio.cfg ($def), without its quotes; default when it is not defined."""
    value = KSR.pv.get("$def(%s)" % name)
    if value is None:
        return default
    value = str(value)
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return value


class Settings:
    """The TOLLGUARD_* defines of kamailio.cfg (read in each process)."""

    def __init__(self):
        self.enabled = _define("TOLLGUARD_ENABLED", "1") != "0"
        self.pythonpath = _define("TOLLGUARD_PYTHONPATH", "")
        self.policy = _define("TOLLGUARD_POLICY", "") or None
        self.home_country = _define("TOLLGUARD_HOME_COUNTRY", "") or None
        self.timezone = _define("TOLLGUARD_TIMEZONE", "") or None
        self.state_dir = _define("TOLLGUARD_STATE_DIR", "")
        self.save_interval = int(_define("TOLLGUARD_SAVE_INTERVAL", "300"))
        self.account_header = _define("TOLLGUARD_ACCOUNT_HEADER", "")
        self.gateway = _define("TOLLGUARD_GATEWAY", "")
        self.shards = max(1, int(_define("TOLLGUARD_SHARDS", "1")))
        self.reject_on_error = _define("TOLLGUARD_ON_ERROR", "allow") == "reject"

    def state_path(self, shard):
        if not self.state_dir:
            return None
        return os.path.join(self.state_dir, "tollguard-shard%d.state" % shard)


def _now_ms():
    return time.time_ns() // 1_000_000


def _hold_bye_reply(callid, limit_s=0.2):
    """Waits while the timeout BYEs of this call are being sent (see ksr_dialog_event); at most limit_s."""
    key = "bye::" + callid
    deadline = time.monotonic() + limit_s
    while KSR.htable.sht_get("tollguard", key) is not None and time.monotonic() < deadline:
        time.sleep(0.0005)


def _sigterm_pending():
    return signal.SIGTERM in signal.sigpending()


class Shard:
    """The engine of one shard, in its async worker process. Not thread-safe (one process, one thread)."""

    def __init__(self, index, settings):
        if settings.pythonpath and settings.pythonpath not in sys.path:
            sys.path.insert(0, settings.pythonpath)
        import tollguard  # here, in the child: the library (and numpy) are loaded after the fork

        self.tg = tollguard
        self.index = index
        self.settings = settings
        self.state = settings.state_path(index)
        self.live = {}  # call id -> (account, begin ms, max_duration_s)
        self.next_id = time.time_ns() // 1000  # call ids stay unique across restarts
        self.last_save = time.monotonic()
        self.engine = None
        self.error = None
        try:
            self.engine = tollguard.Engine(home_country=settings.home_country, timezone=settings.timezone,
                                           policy=settings.policy, state=self.state)
        except tollguard.Error as e:
            self.error = str(e)
            KSR.err("tollguard: engine failed shard=%d: %s (calls are %s)\n"
                    % (index, e, "rejected" if settings.reject_on_error else "allowed unchecked"))
            return
        # SIGTERM would _exit() this process before the state is saved: hold it until the tick says so.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        st = self.engine.stats()
        KSR.notice("tollguard: engine ready shard=%d pid=%d policy=%s state=%s accounts=%d live=%d prefixes=%d\n"
                   % (index, os.getpid(), settings.policy or "(embedded)", self.state or "(none)",
                      st["accounts"], st["live_calls"], st["prefixes"]))
        self.publish()

    # -- calls

    def begin(self, account, dialed):
        call_id = self.next_id
        self.next_id += 1
        d = self.engine.begin(dialed, account=account, call_id=call_id)
        if d.action != "block":
            self.live[call_id] = (account, _now_ms(), d.max_duration_s)
        return call_id, d

    def end(self, call_id, billed, end_ms, why):
        info = self.live.pop(call_id, None)
        account = info[0] if info else "?"
        try:
            status = self.engine.end(call_id, billed, at=end_ms / 1000.0)
            text = "ok" if status == 0 else self.tg.status_name(status)
        except self.tg.Error as e:
            text = e.status_name
        KSR.info("tollguard: end call=%d account=%s billed=%ds why=%s status=%s\n"
                 % (call_id, account, billed, why, text))
        if why == "timeout" and info and info[2] > 0:
            KSR.notice("tollguard: CUT call=%d account=%s max_duration=%ds billed=%ds\n"
                       % (call_id, account, info[2], billed))

    # -- housekeeping

    def reload(self):
        try:
            self.engine.reload(self.settings.policy)
        except self.tg.Error as e:
            KSR.err("tollguard: policy reload failed shard=%d, the old policy stays: %s\n" % (self.index, e))
            return
        KSR.notice("tollguard: policy reloaded shard=%d version=%d\n"
                   % (self.index, self.engine.stats()["policy_version"]))
        self.publish()

    def save(self, why):
        if self.state is None:
            return
        try:
            self.engine.save_state()
        except self.tg.Error as e:
            KSR.err("tollguard: state save failed shard=%d: %s\n" % (self.index, e))
            return
        self.last_save = time.monotonic()
        st = self.engine.stats()
        KSR.info("tollguard: state saved shard=%d why=%s path=%s accounts=%d live=%d\n"
                 % (self.index, why, self.state, st["accounts"], st["live_calls"]))

    def publish(self):
        """Engine counters into the htable `tollguard` (kamcmd htable.dump tollguard)."""
        for key, value in self.engine.stats().items():
            KSR.htable.sht_seti("tollguard", "shard%d.%s" % (self.index, key), int(value) & 0x7FFFFFFF)

    def tick(self):
        self.publish()
        if self.state and time.monotonic() - self.last_save >= self.settings.save_interval:
            self.save("interval")
        if _sigterm_pending():
            self.shutdown()

    def shutdown(self):
        # Kamailio keeps no dialogs across a restart: end the calls still live, billed from their start (an
        # upper bound), so the saved state holds no phantom live calls.
        now = _now_ms()
        for call_id, (_, begun, _) in list(self.live.items()):
            self.end(call_id, max(0, (now - begun) // 1000), now, "shutdown")
        self.save("shutdown")
        self.engine.close()
        KSR.notice("tollguard: shard=%d stopped\n" % self.index)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # the pending SIGTERM ends the process
        os._exit(0)


class TollguardRouter:
    """The KEMI handler object: one per process (app_python3 calls mod_init before the fork)."""

    def __init__(self):
        self.s = Settings()

    def child_init(self, rank):
        # After `kamcmd app_python.reload` this runs again in each process; a shard reloads its policy.
        if _SHARD is not None and _SHARD.engine is not None:
            _SHARD.settings = self.s
            _SHARD.reload()
        return 0

    # ---------------------------------------------------------------- SIP workers

    def ksr_request_route(self, msg):
        if KSR.maxfwd.process_maxfwd(10) < 0:
            KSR.sl.sl_send_reply(483, "Too Many Hops")
            return 1
        if KSR.sanity.sanity_check(1511, 7) < 0:
            return 1
        if KSR.is_CANCEL():
            if KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return 1
        if KSR.siputils.has_totag() > 0:
            return self.within_dialog()
        if KSR.is_ACK():
            if KSR.tm.t_check_trans() > 0:
                KSR.tm.t_relay()
            return 1
        if KSR.tmx.t_precheck_trans() > 0:  # a retransmission of a request being processed
            KSR.tm.t_check_trans()
            return 1
        KSR.tm.t_check_trans()
        if KSR.is_OPTIONS() and KSR.pv.get("$rU") is None:
            KSR.sl.sl_send_reply(200, "OK")
            return 1
        if not KSR.is_INVITE():
            KSR.sl.sl_send_reply(405, "Method Not Allowed")
            return 1
        for name in _HEADERS_IN:
            KSR.hdr.remove(name)
        if not self.s.enabled:
            return self.relay()
        account = self.account()
        if not account:
            KSR.sl.sl_send_reply(403, "Forbidden (no account)")
            return 1
        KSR.pv.sets("$avp(tg_account)", account)
        shard = self.shard_of(account)
        # The engine process of the shard continues with ksr_tollguard_invite (the transaction is suspended).
        if _ASYNC.task_group_route("ksr_tollguard_invite", "tollguard%d" % shard) < 0:
            KSR.err("tollguard: cannot reach shard %d\n" % shard)
            KSR.sl.sl_send_reply(500, "Server Error")
        return 1

    def ksr_reply_route(self, msg):
        if KSR.pv.get("$rm") == "BYE":
            _hold_bye_reply(str(KSR.pv.get("$ci")))
        return 1

    def account(self):
        if self.s.account_header:
            value = KSR.pv.get("$hdr(%s)" % self.s.account_header)
            KSR.hdr.remove(self.s.account_header)
            if value:
                return str(value).strip()
        value = KSR.pv.get("$au") or KSR.pv.get("$fU")
        return str(value) if value else None

    def within_dialog(self):
        if KSR.rr.loose_route() > 0:
            KSR.tm.t_relay()
            return 1
        if KSR.is_ACK() and KSR.tm.t_check_trans() > 0:
            KSR.tm.t_relay()
            return 1
        if not KSR.is_ACK():
            KSR.sl.sl_send_reply(404, "Not here")
        return 1

    def relay(self, timeout_s=0, tag=None):
        if timeout_s > 0:
            KSR.pv.seti("$dlg_ctx(timeout_bye)", 1)  # on timeout, BYE both sides
            KSR.pv.sets("$dlg_ctx(timeout_route)", "tollguard:timeout")  # ksr_dialog_event, before the BYEs
            KSR.pv.seti("$avp(tg_timeout)", timeout_s)  # the dialog module's timeout_avp
        KSR.dialog.dlg_manage()
        if tag:
            # before the INVITE leaves: a reply may end the dialog in another process at once
            KSR.pv.sets("$dlg_var(tg)", tag)
        KSR.rr.record_route()
        if self.s.gateway:
            KSR.setdsturi(self.s.gateway)
        if KSR.tm.t_relay() < 0:
            KSR.sl.sl_reply_error()
        return 1

    # ---------------------------------------------------------------- the shard's process

    def shard(self, index):
        global _SHARD
        if _SHARD is None:
            _SHARD = Shard(index, self.s)
        return _SHARD

    def shard_of(self, account):
        return zlib.crc32(account.encode()) % self.s.shards if self.s.shards > 1 else 0

    def ksr_tollguard_invite(self, msg):
        """The shard's half of a new INVITE (async task_group_route from ksr_request_route)."""
        account = str(KSR.pv.get("$avp(tg_account)"))
        dialed = str(KSR.pv.get("$rU") or "")
        if KSR.tm.t_is_canceled() > 0:  # CANCELled while it waited for this process: tm answered 487
            return 1
        shard = self.shard(self.shard_of(account))
        if shard.engine is None:
            return self.on_error(account, dialed, shard.error)
        try:
            call_id, d = shard.begin(account, dialed)
        except Exception as e:  # tollguard.Error (an account name too long ...), or a bug
            return self.on_error(account, dialed, e)
        try:
            return self.apply(shard, account, dialed, call_id, d)
        except Exception as e:  # never leave the transaction suspended, nor the call live in the engine
            if call_id in shard.live:
                shard.end(call_id, 0, _now_ms(), "error")
            KSR.err("tollguard: ERROR account=%s dialed=%s: %r\n" % (account, dialed, e))
            KSR.tm.t_reply(500, "Server Error")
            return 1

    def apply(self, shard, account, dialed, call_id, d):
        reason = d.top_reason or (d.status_name if d.status else "none")
        line = ("account=%s dialed=%s e164=%s country=%s type=%s score=%d top=%s reasons=%s max_duration=%d "
                "call=%d callid=%s\n" % (account, dialed, d.e164 or "-", d.country or "-", d.number_type, d.score,
                                         reason, ",".join(d.reasons) or "-", d.max_duration_s, call_id,
                                         KSR.pv.get("$ci")))
        if d.action == "block":
            KSR.notice("tollguard: BLOCK " + line)
            KSR.hdr.append_to_reply("X-Tollguard-Reason: %s\r\n" % reason)
            KSR.hdr.append_to_reply("X-Tollguard-Score: %d\r\n" % d.score)
            KSR.tm.t_reply(403, "Forbidden")
            return 1
        if d.action == "alert":
            KSR.notice("tollguard: ALERT " + line)
            KSR.hdr.append("X-Tollguard-Reason: %s\r\n" % reason)
            KSR.hdr.append("X-Tollguard-Score: %d\r\n" % d.score)
        else:
            KSR.info("tollguard: allow " + line)
        return self.relay(d.max_duration_s, "%d:%d" % (shard.index, call_id))

    def on_error(self, account, dialed, error):
        KSR.err("tollguard: ERROR account=%s dialed=%s: %s\n" % (account, dialed, error))
        if self.s.reject_on_error:
            KSR.tm.t_reply(503, "Service Unavailable")
            return 1
        return self.relay()

    def ksr_tollguard_task(self, msg, evname):
        """async task_group_data: "<shard> end <call> <billed> <end ms> <why>", "<shard> tick", "<shard> shutdown"."""
        index, command, *args = str(KSR.pv.get("$async(data)") or "0 none").split(" ")
        shard = self.shard(int(index))
        if shard.engine is None:
            return 1
        if command == "end":
            shard.end(int(args[0]), int(args[1]), int(args[2]), args[3])
        elif command == "tick":
            shard.tick()
        elif command == "shutdown":
            shard.shutdown()
        return 1

    # ---------------------------------------------------------------- any process

    def ksr_dialog_event(self, msg, evname):
        """dialog:start (answered), dialog:end (BYE or timeout), dialog:failed (non-2xx, CANCEL, no answer),
        and the dialog's timeout route (calls with a max_duration_s), run just before the timeout BYEs."""
        if evname == "dialog:start":
            KSR.pv.sets("$dlg_var(tg_ans)", str(_now_ms()))
            return 1
        if evname.endswith("timeout"):
            # Kamailio 5.6 sends the timeout BYEs to the caller, then the callee. If the caller's 200 is
            # processed (in another process) before the second BYE leaves, the dialog is already deleted:
            # the callee -- the leg that costs money -- gets no BYE and dialog:end never runs (kamailio
            # issues #4169, #4268). So replies to these BYEs wait (ksr_reply_route) until dialog:end, which
            # the dialog module runs right after sending both BYEs, removes this mark.
            KSR.htable.sht_setxi("tollguard", "bye::" + str(KSR.pv.get("$dlg(callid)")), 1, 5)
            return 1
        if evname not in ("dialog:end", "dialog:failed"):  # the dialog module also reports other states
            return 1
        tg = KSR.pv.get("$dlg_var(tg)")
        if not tg:
            return 1
        now = _now_ms()
        if evname == "dialog:end":
            answered = KSR.pv.get("$dlg_var(tg_ans)")
            billed = max(0, round((now - int(answered)) / 1000)) if answered else 0
            why = "bye" if KSR.pv.get("$rm") == "BYE" else "timeout"
            if why == "timeout":
                KSR.htable.sht_rm("tollguard", "bye::" + str(KSR.pv.get("$dlg(callid)")))
        else:
            billed = 0
            code = KSR.pv.get("$rs") if KSR.pv.get("$rm") == "INVITE" else None
            why = "failed:%s" % code if code else "failed"
        shard, call_id = tg.split(":", 1)
        _ASYNC.task_group_data("ksr_tollguard_task", "tollguard" + shard,
                               "%s end %s %d %d %s" % (shard, call_id, billed, now, why))
        return 1

    def ksr_tollguard_tick(self, msg, evname):
        """rtimer, once a second, in its own process: tick every shard; on SIGTERM, shut them down first."""
        global _TICK_BLOCKED
        if not self.s.enabled:
            return 1
        if not _TICK_BLOCKED:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            _TICK_BLOCKED = True
        stopping = _sigterm_pending()
        for shard in range(self.s.shards):
            _ASYNC.task_group_data("ksr_tollguard_task", "tollguard%d" % shard,
                                   "%d %s" % (shard, "shutdown" if stopping else "tick"))
        if stopping:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        return 1


def mod_init():
    return TollguardRouter()
