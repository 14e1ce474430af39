// swift-tools-version: 6.1
import PackageDescription

// One set of compiler settings for every target (as Hummingbird does).
let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Fenghuo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fenghuo", targets: ["fenghuo"]),
        .executable(name: "fenghuo-bench", targets: ["fenghuo-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Already in the graph through Hummingbird; named here because the agent uses them directly.
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),

        .target(name: "FenghuoDomain", swiftSettings: settings),
        // The wire: what central, the agent and local clients say to each other. Domain only.
        .target(name: "FenghuoProtocol", dependencies: ["FenghuoDomain"], swiftSettings: settings),
        .target(name: "FenghuoCrypto", dependencies: ["COpenSSL"], swiftSettings: settings),
        .target(name: "FenghuoStore",
                dependencies: ["FenghuoDomain", "FenghuoProtocol", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: settings),
        // Fixture loading and the generated history: central's seeding, the simulator's calls.
        .target(name: "FenghuoSeed",
                dependencies: ["FenghuoDomain", "FenghuoStore", "FenghuoCrypto", .product(name: "GRDB", package: "GRDB.swift")],
                swiftSettings: settings),
        .target(name: "FenghuoSync",
                dependencies: ["FenghuoDomain", "FenghuoProtocol", "FenghuoStore", .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "NIOHTTP1", package: "swift-nio"),
                               .product(name: "NIOExtras", package: "swift-nio-extras"),
                               .product(name: "Logging", package: "swift-log")],
                swiftSettings: settings),
        // The rest of the city: other consoles' work, sent through central like anyone's.
        .target(name: "FenghuoSimulator",
                dependencies: ["FenghuoDomain", "FenghuoProtocol", "FenghuoStore", "FenghuoSync", "FenghuoSeed",
                               .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
                swiftSettings: settings),
        .target(name: "FenghuoCentral",
                dependencies: ["FenghuoDomain", "FenghuoProtocol", "FenghuoStore", "FenghuoCrypto",
                               .product(name: "GRDB", package: "GRDB.swift"),
                               .product(name: "Hummingbird", package: "hummingbird"),
                               .product(name: "NIOCore", package: "swift-nio")],
                swiftSettings: settings),
        .target(name: "FenghuoTUI", swiftSettings: settings),
        .target(name: "FenghuoCurses", dependencies: ["FenghuoTUI", "CNcursesw"], swiftSettings: settings),
        .target(name: "FenghuoConsole", dependencies: ["FenghuoTUI", "FenghuoDomain", "FenghuoProtocol"], swiftSettings: settings),
        // Starting and stopping the real binary's processes (the demo's, the benchmarks').
        .target(name: "FenghuoLaunch",
                dependencies: ["FenghuoProtocol", "FenghuoSync", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                swiftSettings: settings),
        // The benchmarks: their own executable, run by `make bench` (`fenghuo bench` hands over to it).
        .executableTarget(name: "fenghuo-bench",
                          dependencies: ["FenghuoDomain", "FenghuoProtocol", "FenghuoStore", "FenghuoSync", "FenghuoCentral",
                                         "FenghuoConsole", "FenghuoTUI", "FenghuoLaunch",
                                         .product(name: "GRDB", package: "GRDB.swift"),
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: settings),
        .executableTarget(name: "fenghuo",
                          dependencies: ["FenghuoDomain", "FenghuoProtocol", "FenghuoStore", "FenghuoSeed", "FenghuoSimulator", "FenghuoCrypto",
                                         "FenghuoLaunch",
                                         "FenghuoTUI", "FenghuoCurses",
                                         "FenghuoConsole", "FenghuoCentral", "FenghuoSync",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser"),
                                         .product(name: "GRDB", package: "GRDB.swift"),
                                         .product(name: "Hummingbird", package: "hummingbird"),
                                         .product(name: "Logging", package: "swift-log")],
                          swiftSettings: settings),

        .target(name: "TestSupport", dependencies: ["FenghuoDomain", "FenghuoStore", "FenghuoSeed", "FenghuoCrypto"], path: "Tests/TestSupport",
                swiftSettings: settings),
        .testTarget(name: "FenghuoDomainTests", dependencies: ["FenghuoDomain"], swiftSettings: settings),
        .testTarget(name: "FenghuoCryptoTests", dependencies: ["FenghuoCrypto"], swiftSettings: settings),
        .testTarget(name: "FenghuoStoreTests", dependencies: ["FenghuoStore", "FenghuoSeed", "FenghuoProtocol", "FenghuoDomain", "FenghuoCrypto",
                                                              "TestSupport", .product(name: "GRDB", package: "GRDB.swift")], swiftSettings: settings),
        .testTarget(name: "FenghuoCentralTests", dependencies: ["FenghuoCentral", "FenghuoProtocol", "FenghuoSync", "FenghuoSeed", "FenghuoStore", "FenghuoDomain",
                                                                "FenghuoCrypto", "TestSupport",
                                                                .product(name: "Hummingbird", package: "hummingbird"),
                                                                .product(name: "NIOCore", package: "swift-nio"),
                                                                .product(name: "NIOHTTP1", package: "swift-nio"),
                                                                .product(name: "GRDB", package: "GRDB.swift"),
                                                                .product(name: "HummingbirdTesting", package: "hummingbird")],
                    swiftSettings: settings),
        .testTarget(name: "FenghuoTUITests", dependencies: ["FenghuoTUI"], swiftSettings: settings),
        .testTarget(name: "FenghuoConsoleTests",
                    dependencies: ["FenghuoConsole", "FenghuoProtocol", "FenghuoStore", "FenghuoDomain", "FenghuoTUI", "TestSupport"],
                    exclude: ["Golden"], swiftSettings: settings),
        .testTarget(name: "FenghuoEndToEndTests",
                    dependencies: ["TestSupport", "FenghuoDomain", "FenghuoProtocol", "FenghuoSync", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: settings),
    ]
)
