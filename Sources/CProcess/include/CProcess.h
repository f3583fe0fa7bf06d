// Process-wide settings a Verso tool makes once, first thing in main: see process.c.
#pragma once

/// Pins glibc's mmap threshold at 1 MiB.
void verso_pin_mmap_threshold(void);

/// Blocks SIGINT and SIGTERM in this thread and every thread started after it, and hands them to
/// one thread that waits for them: no other thread is ever interrupted by them. Until
/// `verso_catch_stop_signals` is called, the first one ends the process at once (status 128 + its
/// number), as the default action would.
void verso_route_stop_signals(void);

/// From now on the first SIGINT or SIGTERM is recorded for long work to notice at its next safe
/// point; a second one ends the process at once.
void verso_catch_stop_signals(void);

/// The signal that asked the process to stop (SIGINT or SIGTERM), or 0.
int verso_stop_signal(void);
