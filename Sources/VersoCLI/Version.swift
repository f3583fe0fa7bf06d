// The version every Verso tool reports with --version.
public enum Verso { public static let version = "0.1.0" }
