// swift-tools-version:6.2
import PackageDescription

// One target per concern (see README "Architecture"): the filesystem never issues
// HTTP, the API client never writes SQL, the server shares no code with the client
// (so a misreading of the wire contract cannot hide on both sides at once).
let package = Package(
    name: "chatfs",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chatfs", targets: ["chatfs"]),
        .executable(name: "chatfs-server", targets: ["chatfs-server"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        // traits: [] drops swift-configuration, which we do not use (halves the build).
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/LebJe/TOMLKit.git", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CFuse", pkgConfig: "fuse3", providers: [.apt(["libfuse3-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        // SHA-256 of downloaded attachments (OpenSSL's EVP digest API).
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // SHA-256 as hex (attachment `fileHash`), on CCrypto.
        .target(name: "Checksum", dependencies: ["CCrypto"]),
        // ThreadSanitizer's annotations, called through weak symbols (no-ops without TSan).
        .target(name: "CThreadSanitizer"),
        // Every lock: Synchronization's Mutex made visible to ThreadSanitizer (the server
        // uses it too; like Checksum it knows nothing of the wire).
        .target(name: "Locking", dependencies: ["CThreadSanitizer"]),

        .target(name: "ChatAPI", dependencies: [
            "CCurl", "Locking",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatCache", dependencies: [
            "Locking",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "ChatSync", dependencies: [
            "Checksum", "Locking", "ChatAPI", "ChatCache",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Everything about sending: the queue's rules and states, the send window, the
        // sender and its retries (uses ChatSync only for its wire-to-cache conversions).
        .target(name: "ChatOutbox", dependencies: [
            "ChatAPI", "Locking", "ChatCache", "ChatSync",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Linux plumbing that knows nothing of chats: the mount table, systemd's notify socket.
        .target(name: "SystemIntegration"),
        // The config file: named accounts and their settings (TOML).
        .target(name: "ChatConfig", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),
        .target(name: "ChatFS", dependencies: [
            "CFuse", "Locking", "ChatAPI", "ChatCache", "ChatSync", "ChatOutbox", "SystemIntegration",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "chatfs", dependencies: [
            "CFuse", "Locking", "ChatAPI", "ChatCache", "ChatSync", "ChatOutbox", "ChatFS", "ChatConfig", "SystemIntegration",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "ChatServer", dependencies: [
            "Checksum", "Locking",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "chatfs-server", dependencies: [
            "ChatServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "ChatAPITests", dependencies: ["ChatAPI", "Locking", "TestSupport"]),
        // TestSupport: `chatfs search` runs as a process on a cache the tests fill.
        .testTarget(name: "ChatCacheTests", dependencies: [
            "ChatCache", "TestSupport",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ChatSyncTests", dependencies: [
            "ChatSync", "Locking", "ChatAPI", "ChatCache", "Checksum", "TestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ChatOutboxTests", dependencies: [
            "ChatOutbox", "Locking", "ChatAPI", "ChatCache",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ChatFSTests", dependencies: [
            "CFuse", "Locking", "ChatFS", "ChatCache", "ChatSync", "ChatOutbox", "ChatAPI",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ChecksumTests", dependencies: ["Checksum"]),
        .testTarget(name: "LockingTests", dependencies: ["Locking"]),
        .testTarget(name: "ChatConfigTests", dependencies: ["ChatConfig"]),
        // The command line's own rules (mount(8)'s calling convention, exit statuses).
        .testTarget(name: "ChatfsCommandTests", dependencies: ["chatfs", "ChatAPI", "ChatConfig"]),
        .testTarget(name: "SystemIntegrationTests", dependencies: ["SystemIntegration", "TestSupport"]),
        .testTarget(name: "ChatServerTests", dependencies: ["ChatServer", "Checksum", "TestSupport"]),
        // Real mounts: starts chatfs-server and chatfs as processes and drives the
        // tree with ls, cat, grep, stat... (needs root or fuse, and /dev/fuse).
        .testTarget(name: "MountTests", dependencies: ["TestSupport", "Locking", "SystemIntegration"]),
        // Starts chatfs-server and chatfs mounts as child processes for the tests above.
        .target(name: "TestSupport", dependencies: ["SystemIntegration", "Locking"], path: "Tests/Support"),
    ],
    swiftLanguageModes: [.v6]
)
