// Declarations only: the symbols come from libclang_rt.fuzzer, linked by -sanitize=fuzzer.
