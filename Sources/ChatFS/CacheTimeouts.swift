/// How long the kernel may trust what we tell it, in seconds. Long timeouts are safe
/// because every change is invalidated explicitly (`ChangeNotifier`); the only node whose
/// attributes change without an event is `.chatfs/status`, whose size is recomputed on
/// every `stat`.
enum CacheTimeouts {
    /// Names and attributes of everything but the status file; also how long an unknown
    /// name stays known to be absent (new names are invalidated when they appear).
    static let stable: Double = 3600
    static let statusFileAttributes: Double = 0

    static func attributes(of node: Node) -> Double {
        if case .statusFile = node { return statusFileAttributes }
        return stable
    }
}
