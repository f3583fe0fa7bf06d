// Process-wide settings a Verso tool makes once, first thing in main: see process.c.
#pragma once

/// Pins glibc's mmap threshold at 1 MiB.
void verso_pin_mmap_threshold(void);

/// Catches SIGINT and SIGTERM: the first one is recorded for long work to notice at its next
/// safe point; a second one ends the process at once with status 128 + its number.
void verso_catch_stop_signals(void);

/// The signal that asked the process to stop (SIGINT or SIGTERM), or 0.
int verso_stop_signal(void);
