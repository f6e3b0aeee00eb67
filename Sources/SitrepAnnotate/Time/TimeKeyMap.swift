import SitrepText

/// The time tagger's token-key tables: the shared open-addressing map with Int32 payloads.
typealias TimeKeyMap = KeyMap<Int32>
