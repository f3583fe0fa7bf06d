// glibc's malloc settings, which Swift cannot reach (malloc.h is not in its Glibc module), and the
// stop signals, routed to one thread that waits for them with sigwait.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include "CProcess.h"

void verso_pin_mmap_threshold(void) {
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
#endif
}

// A handler would run on whichever thread the kernel picks, in the middle of whatever it does
// (a oneDNN product, a GCD wait, SQLite's read), and interrupt its system calls: Ctrl-C during
// training then corrupted the heap now and then. A thread that only waits for the signals, with
// them blocked everywhere else, takes them synchronously instead.
static sigset_t stop_signals;
static volatile sig_atomic_t stop_signal = 0;
static volatile sig_atomic_t catching = 0;

static void *wait_for_stop_signals(void *unused) {
    (void)unused;
    for (;;) {
        int signal = 0;
        if (sigwait(&stop_signals, &signal) != 0) continue;
        // Nothing polls the flag yet, or this is the second signal: the user does not want to
        // wait. SQLite's journal keeps the store sound, as under kill -9.
        if (!catching || stop_signal != 0) _exit(128 + signal);
        stop_signal = signal;
    }
    return NULL;
}

void verso_route_stop_signals(void) {
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);
    pthread_t waiter;
    if (pthread_create(&waiter, NULL, wait_for_stop_signals, NULL) == 0) {
        pthread_detach(waiter);
    } else {
        pthread_sigmask(SIG_UNBLOCK, &stop_signals, NULL);  // no waiter: the default action stays
    }
}

void verso_catch_stop_signals(void) { catching = 1; }

int verso_stop_signal(void) { return stop_signal; }
