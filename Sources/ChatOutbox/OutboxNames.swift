import ChatCache

/// Which names in an outbox are drafts, and how a failed or refused file is listed.
public enum OutboxNames {
    public static let failedSuffix = ".failed"
    public static let refusedSuffix = ".refused"
    static let draftSuffixes = ["~", ".swp", ".swx", ".tmp", ".part"]

    /// Editors write temporaries and rename them over the real name: names starting with
    /// `.` or ending in `~`, `.swp`, `.swx`, `.tmp`, `.part` are never sent.
    public static func isDraft(_ name: String) -> Bool {
        name.hasPrefix(".") || draftSuffixes.contains { name.hasSuffix($0) }
    }

    /// A valid name for an outbox file (the suffixes are how failed and refused files are
    /// listed, so no file may be given one).
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.contains("/") && !name.contains("\0")
            && name.utf8.count <= 255 && !name.hasSuffix(failedSuffix) && !name.hasSuffix(refusedSuffix)
    }

    /// The name `ls outbox/` shows for a stored name in a state.
    static func listed(_ name: String, _ state: OutboxState) -> String {
        switch state {
        case .failed: name + failedSuffix
        case .refused: name + refusedSuffix
        case .writing, .draft, .waiting, .sending: name
        }
    }

    /// The stored names a listed name can stand for: itself, or the file whose failure or
    /// refusal is listed under it.
    static func candidates(forListed listed: String) -> [(name: String, state: OutboxState?)] {
        var found: [(String, OutboxState?)] = [(listed, nil)]
        for (suffix, state) in [(failedSuffix, OutboxState.failed), (refusedSuffix, .refused)] where listed.hasSuffix(suffix) {
            found.append((String(listed.dropLast(suffix.count)), state))
        }
        return found
    }
}

extension OutboxRecord {
    /// The name `ls outbox/` shows.
    public var listedName: String { OutboxNames.listed(name, state) }

    /// An earlier attempt may have reached the server and nobody has looked yet: changing
    /// the item now could make the server hold a message the user was told is gone.
    public var isInDoubt: Bool { needsCheck && (state == .waiting || state == .sending) }
}
