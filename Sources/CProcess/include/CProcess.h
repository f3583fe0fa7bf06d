// Process-wide settings a Verso tool makes once, first thing in main: see process.c.
#pragma once

/// Pins glibc's mmap threshold at 1 MiB.
void verso_pin_mmap_threshold(void);
