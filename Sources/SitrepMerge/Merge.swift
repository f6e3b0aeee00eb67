import SitrepExtract

/// Cross-article merging: near-duplicate articles, incidents, reconciled figures, toll history.
public enum Merge {}
