// libFuzzer target: FuzzBodies.fastText on every input (run: scripts/fuzz fasttext SECONDS).
import CFuzzDriver
import Glibc
import VersoFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzBodies.fastText(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

exit(verso_run_fuzzer(CommandLine.argc, CommandLine.unsafeArgv, testOneInput))   // SwiftPM links this as main
