/// `chatfs --version`, and the version scripts/install reports: the one place it is written.
enum Version {
    static let current = "0.11.0"
}
