/* tollguard in a C program (a PBX, an SBC, firmware): decide each call on a routing thread, end it when it
 * hangs up, reload the policy on SIGHUP, save the state on exit.
 *   usage: tollguard_example POLICY STATE < calls     (a line per call: ACCOUNT DIALED [BILLED_SECONDS])
 * Build: CMakeLists.txt (find_package) or Makefile (pkg-config), against an installed tollguard. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <tollguard/tollguard.h>

static volatile sig_atomic_t reload_wanted = 0;         /* set by SIGHUP; the handler does nothing else */
static atomic_int routing_done;
static void on_sighup(int sig) { (void)sig; reload_wanted = 1; }

static void* routing_thread(void* arg) {                /* your SIP stack's thread that routes calls */
  tg_engine* engine = arg;
  char account[128], dialed[128], line[512];
  uint64_t call_id = 0;
  while (fgets(line, sizeof line, stdin)) {
    int billed = 0;
    if (sscanf(line, "%127s %127s %d", account, dialed, &billed) < 2) continue;
    tg_call call = TG_CALL_INIT;                         /* struct_size set: newer libraries stay compatible */
    call.account = (tg_str){account, strlen(account)};
    call.dialed = (tg_str){dialed, strlen(dialed)};
    call.call_id = ++call_id;                            /* start_unix_ms 0: now */
    tg_decision d = TG_DECISION_INIT;
    tg_status st = tg_call_begin(engine, &call, &d);     /* no allocation, no lock held across a reload */
    if (st != TG_OK && st != TG_E_NUMBER_TOO_SHORT) printf("call %llu: %s\n", (unsigned long long)call_id,
                                                          tg_status_string(st));
    const char* reason = d.top_reason >= 0 ? tg_reason_name(d.top_reason) : "-";
    printf("call %llu %s %s: %s score=%d reason=%s e164=%s max_duration=%ds\n", (unsigned long long)call_id,
           account, dialed, tg_action_name(d.action), d.score, reason, d.e164, d.max_duration_s);
    if (d.action != TG_ACTION_BLOCK)                     /* ...relay it; when it hangs up: */
      tg_call_end(engine, call_id, 0, billed);           /* end time 0: now; books billed seconds */
    fflush(stdout);
  }
  routing_done = 1;
  return NULL;
}

int main(int argc, char** argv) {
  if (argc != 3) { fprintf(stderr, "usage: %s POLICY STATE < calls\n", argv[0]); return 2; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sighup;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGHUP, &sa, NULL);
  tg_engine_options options = TG_ENGINE_OPTIONS_INIT;
  options.policy_path = argv[1];
  options.state_path = argv[2];                          /* loaded now if it exists */
  tg_engine* engine = NULL;
  tg_error err = TG_ERROR_INIT;
  if (tg_engine_create(&options, &engine, &err) != TG_OK) {
    fprintf(stderr, "tollguard: %s\n", err.message);    /* file:line:column: what is wrong */
    return 1;
  }
  sigset_t hup, old;                                     /* the router starts with SIGHUP blocked, so the */
  sigemptyset(&hup);                                     /* handler runs on this (the main) thread */
  sigaddset(&hup, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &hup, &old);
  pthread_t router;
  if (pthread_create(&router, NULL, routing_thread, engine) != 0) return 1;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  while (!routing_done) {                                /* the main loop of the application */
    if (reload_wanted) {
      reload_wanted = 0;                                 /* deciding threads keep running meanwhile */
      if (tg_engine_reload(engine, NULL, &err) != TG_OK) fprintf(stderr, "reload: %s\n", err.message);
      else printf("policy reloaded\n");
      fflush(stdout);
    }
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
  }
  pthread_join(router, NULL);
  if (tg_engine_save_state(engine, NULL, &err) != TG_OK) fprintf(stderr, "save: %s\n", err.message);
  else printf("state saved to %s\n", argv[2]);
  tg_engine_destroy(engine);                             /* the last call on the engine */
  return 0;
}
