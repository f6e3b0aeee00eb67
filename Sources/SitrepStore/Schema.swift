import Foundation
import GRDB

/// Named migrations of the sitrep database. Never edit a shipped migration: add a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1-articles") { db in
            try db.execute(sql: """
                CREATE TABLE articles (
                  id INTEGER PRIMARY KEY,
                  hash TEXT NOT NULL UNIQUE,
                  dup_group TEXT NOT NULL,
                  minhash BLOB,
                  dup_of TEXT,
                  similarity REAL,
                  superseded_by TEXT,
                  version INTEGER NOT NULL DEFAULT 1,
                  source TEXT, url TEXT, published TEXT, title TEXT, origin TEXT,
                  -- the large columns last: lookups of the small ones never read overflow pages
                  text TEXT NOT NULL,
                  analysis TEXT NOT NULL
                );
                CREATE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
                CREATE INDEX articles_group ON articles(dup_group);
                CREATE INDEX articles_source ON articles(source, published);
                CREATE TABLE minhash_bands (band INTEGER NOT NULL, article INTEGER NOT NULL);
                CREATE INDEX minhash_bands_band ON minhash_bands(band, article);
                CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id');
                """)
        }
        m.registerMigration("v1-reports") { db in
            try db.execute(sql: """
                CREATE TABLE events (
                  id INTEGER PRIMARY KEY,
                  key TEXT NOT NULL UNIQUE,
                  article INTEGER NOT NULL REFERENCES articles(id),
                  idx INTEGER NOT NULL,
                  type TEXT, subtype TEXT, actor1 TEXT, actor2 TEXT,
                  date_start TEXT, date_end TEXT, precision TEXT,
                  location TEXT, country TEXT, lat REAL, lon REAL,
                  fatalities_low INTEGER, fatalities_best INTEGER, fatalities_high INTEGER,
                  claimant TEXT, stance TEXT,
                  active INTEGER NOT NULL DEFAULT 1,
                  report TEXT NOT NULL
                );
                CREATE INDEX events_article ON events(article);
                CREATE TABLE casualties (
                  article INTEGER NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
                  outcome TEXT, low INTEGER, best INTEGER, high INTEGER, qualifier TEXT, victims TEXT, side TEXT,
                  scope TEXT, period_start TEXT, period_end TEXT, claimant_id TEXT, claimant TEXT,
                  snippet TEXT, figure TEXT, rule TEXT,
                  PRIMARY KEY (article, idx)
                ) WITHOUT ROWID;
                CREATE TABLE claims (
                  article INTEGER NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
                  claimant_id TEXT, claimant TEXT, verb TEXT, stance TEXT, content TEXT,
                  about_event INTEGER, about_casualty INTEGER, denies INTEGER, rule TEXT,
                  PRIMARY KEY (article, idx)
                ) WITHOUT ROWID;
                CREATE INDEX claims_claimant ON claims(claimant_id);
                CREATE TABLE toll_observations (
                  article INTEGER NOT NULL REFERENCES articles(id), idx INTEGER NOT NULL,
                  claimant_id TEXT NOT NULL, claimant TEXT NOT NULL, outcome TEXT NOT NULL, victims TEXT NOT NULL,
                  as_of TEXT NOT NULL, low INTEGER, best INTEGER, high INTEGER, qualifier TEXT,
                  source TEXT, snippet TEXT, rule TEXT, active INTEGER NOT NULL DEFAULT 1,
                  PRIMARY KEY (article, idx)
                ) WITHOUT ROWID;
                CREATE INDEX tolls_series ON toll_observations(claimant_id, outcome, victims, as_of);
                """)
        }
        m.registerMigration("v1-incidents") { db in
            try db.execute(sql: """
                CREATE TABLE incidents (
                  rid INTEGER PRIMARY KEY,
                  id TEXT NOT NULL UNIQUE,
                  day_start INTEGER NOT NULL, day_end INTEGER NOT NULL,
                  date_start TEXT NOT NULL, date_end TEXT NOT NULL, precision TEXT,
                  type TEXT, subtype TEXT, actor1 TEXT, actor1_id TEXT, actor2 TEXT, actor2_id TEXT,
                  country TEXT, admin1 TEXT, location TEXT, lat REAL, lon REAL, geo_precision TEXT,
                  fatalities_low INTEGER, fatalities_best INTEGER, fatalities_high INTEGER,
                  fatalities_conservative INTEGER,
                  claimants TEXT, contested INTEGER NOT NULL DEFAULT 0, sources TEXT,
                  n_sources INTEGER NOT NULL DEFAULT 0, n_reports INTEGER NOT NULL DEFAULT 0,
                  -- 1 when the incident spans more than 31 days (coarse dates): date queries look
                  -- those up separately, so the common case scans only a window of day_start
                  long INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX incidents_day ON incidents(long, day_start, id, day_end);
                -- the whole record (figures with provenance, link evidence), kept out of the
                -- incidents rows so that listing scans small rows
                CREATE TABLE incident_records (id TEXT PRIMARY KEY, record TEXT NOT NULL) WITHOUT ROWID;
                CREATE INDEX incidents_country ON incidents(country, day_start);
                CREATE INDEX incidents_type ON incidents(type, day_start);
                CREATE INDEX incidents_lat ON incidents(lat);
                CREATE TABLE incident_links (
                  event_key TEXT PRIMARY KEY,
                  incident TEXT NOT NULL,
                  evidence TEXT
                ) WITHOUT ROWID;
                CREATE INDEX incident_links_incident ON incident_links(incident);
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v2-analysis-deflate") { db in
            // No DDL: from here on `articles.analysis` is written as a BLOB (the contract line
            // deflated, see `Deflate`); rows written before stay TEXT. `sitrep_analysis(analysis)`
            // reads both. Recorded so a dump or another tool can tell.
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('analysis_format', 'deflate-v1 (BLOB) or text')")
        }
        m.registerMigration("v2-fts-merge") { db in
            // FTS5 merges its index segments as they accumulate: by default every 4 segments of a
            // level (`automerge`), and it must at 16 (`crisismerge`). Ingest adds one segment per
            // transaction, so each posting is rewritten once per level: merging 16 at a time cuts
            // the full-text share of ingest by about a third; a term lookup reads a few more segments.
            try db.execute(sql: "INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16)")
            try db.execute(sql: "INSERT INTO articles_fts (articles_fts, rank) VALUES ('crisismerge', 64)")
        }
        m.registerMigration("v2-incident-records-rowid") { db in
            // Records average 1.3 kB: in a WITHOUT ROWID table (keyed by the random incident id)
            // most spilled to overflow pages and every insert split pages in the middle of the
            // tree. As a rowid table they are appended, and only the small id index takes random
            // inserts (ingest's cost of this table: 0.14 → 0.05 ms per article, 20,000 articles).
            try db.execute(sql: """
                CREATE TABLE incident_records_v2 (id TEXT PRIMARY KEY, record TEXT NOT NULL);
                INSERT INTO incident_records_v2 (id, record) SELECT id, record FROM incident_records;
                DROP TABLE incident_records;
                ALTER TABLE incident_records_v2 RENAME TO incident_records;
                """)
        }
        m.registerMigration("v2-drop-unused-indexes") { db in
            // `claims` and `tolls` filter a claimant as `id = ? OR name LIKE '%…%'`, which SQLite
            // answers with a scan whatever the indexes (EXPLAIN QUERY PLAN: SCAN), so these two
            // indexes were only written: one entry per claim (≈ 24 per article) and per toll.
            try db.execute(sql: "DROP INDEX IF EXISTS claims_claimant; DROP INDEX IF EXISTS tolls_series;")
        }
        m.registerMigration("v3-derived-incident-records") { db in
            // An incident's record (figures with provenance, link evidence) is a function of its
            // linked reports: `record(_:)` rebuilds it from `incident_links` and `events`. The stored
            // copy (1.3 kB JSON per incident, rewritten whole on every change) was a sixth of the
            // database and of ingest's writes.
            try db.execute(sql: "DROP TABLE IF EXISTS incident_records")
        }
        m.registerMigration("v3-lean-random-indexes") { db in
            // Inserts at random places of an index dirty one page each once the index outgrows the
            // page cache, so ingest slows as the database grows; these two kept more than they need.
            // `incident_links` was keyed by the event key WITHOUT ROWID, its whole rows (evidence
            // JSON, ~240 bytes) in that random-order tree: as a rowid table the rows are appended
            // and the random-order unique index holds the key alone.
            // `articles_group` indexed every article under its own near-duplicate group, almost
            // always itself: regrouping looks the group's founder up by hash, so only articles
            // that joined another group need the index.
            try db.execute(sql: """
                CREATE TABLE incident_links_v3 (event_key TEXT NOT NULL UNIQUE, incident TEXT NOT NULL, evidence TEXT);
                INSERT INTO incident_links_v3 (event_key, incident, evidence) SELECT event_key, incident, evidence FROM incident_links;
                DROP TABLE incident_links;
                ALTER TABLE incident_links_v3 RENAME TO incident_links;
                CREATE INDEX incident_links_incident ON incident_links(incident);
                DROP INDEX articles_group;
                CREATE INDEX articles_group ON articles(dup_group) WHERE dup_group <> hash;
                """)
        }
        m.registerMigration("v3-bands-without-rowid") { db in
            // Eight bands per article, looked up by band: one tree keyed (band, article) instead of
            // a rowid table plus an index holding the same two columns.
            try db.execute(sql: """
                CREATE TABLE minhash_bands_v3 (band INTEGER NOT NULL, article INTEGER NOT NULL,
                  PRIMARY KEY (band, article)) WITHOUT ROWID;
                INSERT OR IGNORE INTO minhash_bands_v3 (band, article) SELECT band, article FROM minhash_bands;
                DROP TABLE minhash_bands;
                ALTER TABLE minhash_bands_v3 RENAME TO minhash_bands;
                """)
        }
        m.registerMigration("v4-integer-keys") { db in
            // Links reference their event and incident by integer row id (`events.id`,
            // `incidents.rid`): a new event's link is appended at the end of the table and of its
            // incident index, where the text keys (`<article hash>#<n>`, `INC-…`) landed at random
            // pages of two indexes once those outgrew the page cache.
            // `events` keeps its row id, article, index, `active` and the report: the key is the
            // article's hash and the index (no random-order unique index on it), and the columns that
            // repeated the report (type, actors, dates, place, fatalities, claimant, stance) were
            // read by no query. From here `report` is a BLOB (`ReportCodec`: compact, without the
            // key, article and group, which the rows give); rows written before stay JSON text and
            // are read as such.
            try db.execute(sql: """
                CREATE TABLE incident_links_v4 (event INTEGER PRIMARY KEY, incident INTEGER NOT NULL, evidence TEXT);
                INSERT INTO incident_links_v4 (event, incident, evidence)
                  SELECT e.id, i.rid, l.evidence FROM incident_links l JOIN events e ON e.key = l.event_key
                  JOIN incidents i ON i.id = l.incident ORDER BY e.id;
                DROP TABLE incident_links;
                ALTER TABLE incident_links_v4 RENAME TO incident_links;
                CREATE INDEX incident_links_incident ON incident_links(incident);
                CREATE TABLE events_v4 (
                  id INTEGER PRIMARY KEY,
                  article INTEGER NOT NULL,
                  idx INTEGER NOT NULL,
                  active INTEGER NOT NULL DEFAULT 1,
                  report BLOB NOT NULL
                );
                INSERT INTO events_v4 (id, article, idx, active, report) SELECT id, article, idx, active, report FROM events ORDER BY id;
                DROP TABLE events;
                ALTER TABLE events_v4 RENAME TO events;
                CREATE INDEX events_article ON events(article);
                INSERT OR REPLACE INTO meta (key, value) VALUES ('report_format', 'compact-v1 (BLOB) or JSON text');
                """)
        }
        m.registerMigration("v4-casualties-per-article") { db in
            // Casualties are written per article and no query reads them one by one (they are also
            // in the stored analysis): one row per article, a JSON array of arrays of the old columns
            // in their order (`PreparedArticle.casualtyFields`; `json_each` opens it), instead of ten
            // rows with their keys.
            try db.execute(sql: """
                CREATE TABLE casualties_v4 (article INTEGER PRIMARY KEY, rows TEXT NOT NULL);
                INSERT INTO casualties_v4 (article, rows)
                  SELECT article, json_group_array(json_array(idx, outcome, low, best, high, qualifier, victims, side,
                    scope, period_start, period_end, claimant_id, claimant, snippet, figure, rule))
                  FROM (SELECT * FROM casualties ORDER BY article, idx) GROUP BY article;
                DROP TABLE casualties;
                ALTER TABLE casualties_v4 RENAME TO casualties;
                """)
        }
        m.registerMigration("v4-claims-per-article") { db in
            // Claims likewise (≈ 24 per article): one row per article, a JSON array of arrays
            // [idx, claimant_id, claimant, verb, stance, content, about_event, about_casualty, denies,
            // rule]; `claims(…)` filters and orders them through `json_each`.
            try db.execute(sql: """
                CREATE TABLE claims_v4 (article INTEGER PRIMARY KEY, rows TEXT NOT NULL);
                INSERT INTO claims_v4 (article, rows)
                  SELECT article, json_group_array(json_array(idx, claimant_id, claimant, verb, stance, content,
                    about_event, about_casualty, denies, rule))
                  FROM (SELECT * FROM claims ORDER BY article, idx) GROUP BY article;
                DROP TABLE claims;
                ALTER TABLE claims_v4 RENAME TO claims;
                """)
        }
        m.registerMigration("v5-zstd") { db in
            // No DDL: from here on the compressed BLOBs (`articles.analysis`, `claims.rows`,
            // `casualties.rows`) are zstd frames (`StoredBlob`); deflated rows written before stay
            // as they are and read the same (`sitrep_analysis`, `sitrep_text`).
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('analysis_format', 'zstd (BLOB), deflate-v1 (BLOB) or text')")
        }
        m.registerMigration("v6-lz4") { db in
            // No DDL: from here on the compressed BLOBs are LZ4 blocks (`LZ4Blob`: `SLZ4`, version,
            // size, block); zstd and deflated rows written before read the same.
            try db.execute(sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('analysis_format', 'lz4 (BLOB), zstd (BLOB), deflate-v1 (BLOB) or text')")
        }
        m.registerMigration("v7-article-bands") { db in
            // The LSH bands per article, appended in row-id order, instead of a tree keyed
            // (band, article) that took 8 inserts at random pages per article; ingest looks the
            // bands up in memory (`BandIndex`, built from this table when the writer starts).
            try db.execute(sql: "CREATE TABLE article_bands (article INTEGER PRIMARY KEY, bands BLOB NOT NULL)")
            let insert = try db.makeStatement(sql: "INSERT INTO article_bands (article, bands) VALUES (?, ?)")
            var article: Int64?
            var keys: [Int64] = []
            func flush() throws {
                guard let article, !keys.isEmpty else { return }
                try insert.execute(arguments: [article, Data(BandIndex.encode(keys))])
            }
            let rows = try Row.fetchCursor(db, sql: "SELECT article, band FROM minhash_bands ORDER BY article, band")
            while let row = try rows.next() {
                let a: Int64 = row[0]
                if a != article {
                    try flush()
                    article = a
                    keys.removeAll(keepingCapacity: true)
                }
                keys.append(row[1])
            }
            try flush()
            try db.execute(sql: "DROP TABLE minhash_bands")
        }
        return m
    }
}
