import GRDB
import SitrepMerge

/// Persistence of articles, reports, claims, incidents and tolls.
public protocol SitrepStore {}
