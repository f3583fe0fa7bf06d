// glibc's malloc settings, which Swift cannot reach (malloc.h is not in its Glibc module), and the
// stop signals, whose handler must be async-signal-safe: it only stores a flag (or calls _exit).
#include <malloc.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "CProcess.h"

void verso_pin_mmap_threshold(void) {
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

static volatile sig_atomic_t stop_signal = 0;

static void on_stop_signal(int signal) {
    // A second Ctrl-C: the user does not want to wait for the safe point. SQLite's journal keeps
    // the store sound as it does under kill -9.
    if (stop_signal != 0) _exit(128 + signal);
    stop_signal = signal;
}

void verso_catch_stop_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_stop_signal;
    action.sa_flags = SA_RESTART;  // reads and writes in progress go on; the work polls the flag
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
}

int verso_stop_signal(void) { return stop_signal; }
