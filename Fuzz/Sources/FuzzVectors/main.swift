// libFuzzer target: FuzzBodies.vectors on every input (run: scripts/fuzz vectors SECONDS).
import CFuzzDriver
import Glibc
import VersoFuzzing

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzBodies.vectors(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

// SwiftPM links this file's top-level code as `main`; hand over to libFuzzer's driver.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = UnsafeMutableRawPointer(CommandLine.unsafeArgv)
    .assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
exit(LLVMFuzzerRunDriver(&argc, &argv) { testOneInput($0, $1) })
