// The store's schema as versioned GRDB migrations; a newer store is refused, never downgraded.
import GRDB

enum Schema {
    /// Bumped with every migration appended below; mirrored into `PRAGMA user_version`.
    static let version = 7

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "models") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("state", .text).notNull().defaults(to: "ready")  // training | ready
                t.column("config_json", .text).notNull()
                t.column("corpus_path", .text).notNull()
                t.column("corpus_sha256", .text).notNull()
                t.column("corpus_bytes", .integer).notNull()
                t.column("created_at", .datetime).notNull()
                t.column("updated_at", .datetime).notNull()
            }
            try db.create(table: "checkpoints") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
                t.column("label", .text).notNull()  // latest | best
                t.column("step", .integer).notNull()
                t.column("epoch", .double).notNull()
                t.column("train_loss", .double)
                t.column("val_loss", .double)
                t.column("lr", .double)
                t.column("rng_state", .blob)
                t.column("is_best", .boolean).notNull().defaults(to: false)
                t.column("created_at", .datetime).notNull()
                t.uniqueKey(["model_id", "label"])
            }
            try db.create(table: "tensors") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
                t.column("checkpoint_id", .integer).references("checkpoints", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("shape_json", .text).notNull()
                t.column("dtype", .text).notNull().defaults(to: "float32")
                t.column("byte_count", .integer).notNull()
            }
            try db.create(index: "tensors_lookup", on: "tensors", columns: ["model_id", "checkpoint_id", "name"])
            try db.create(table: "tensor_chunks") { t in
                t.column("tensor_id", .integer).notNull().references("tensors", onDelete: .cascade)
                t.column("seq", .integer).notNull()
                t.column("data", .blob).notNull()
                t.primaryKey(["tensor_id", "seq"])
            }
            try db.create(table: "vocab") { t in
                t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
                t.column("idx", .integer).notNull()
                t.column("token", .text).notNull()
                t.column("count", .integer).notNull()
                t.primaryKey(["model_id", "idx"])
            }
            try db.create(table: "metrics") { t in
                t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
                t.column("step", .integer).notNull()
                t.column("key", .text).notNull()
                t.column("value", .double).notNull()
            }
            try db.create(index: "metrics_lookup", on: "metrics", columns: ["model_id", "key", "step"])
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        // v2: what is not a tensor gets its own table (compare tables were float-less "tensors");
        // `rng_state` says what it holds (the RNG and the optimiser's step: all a resume needs);
        // `state` goes, since no model was ever written in any state but "ready".
        migrator.registerMigration("v2") { db in
            try db.create(table: "artifacts") { t in
                t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
                t.column("name", .text).notNull()
                t.column("media_type", .text).notNull()
                t.column("data", .blob).notNull()
                t.primaryKey(["model_id", "name"])
            }
            try db.execute(
                sql: """
                    INSERT INTO artifacts (model_id, name, media_type, data)
                    SELECT t.model_id, t.name, 'application/json', first_chunk.data
                    FROM tensors t
                    JOIN (SELECT tensor_id, data FROM tensor_chunks WHERE seq = 0) AS first_chunk
                      ON first_chunk.tensor_id = t.id
                    WHERE t.dtype = 'json' AND t.checkpoint_id IS NULL
                    """)
            // Migrations run with foreign keys off (GRDB checks them at the end): no cascade here.
            let moved = "SELECT id FROM tensors WHERE dtype = 'json' AND checkpoint_id IS NULL"
            try db.execute(sql: "DELETE FROM tensor_chunks WHERE tensor_id IN (\(moved))")
            try db.execute(sql: "DELETE FROM tensors WHERE id IN (\(moved))")
            try db.alter(table: "checkpoints") { t in t.rename(column: "rng_state", to: "resume_state") }
            try db.alter(table: "models") { t in t.drop(column: "state") }
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        // v3: word vectors live in their vocabulary rows (unit row + norm: one float32 copy that
        // a query reads row by row, found through an index on the token), beside an approximate
        // nearest-neighbour index (IVF: centroids, then lists of int8 rows).
        migrator.registerMigration("v3") { db in
            try db.alter(table: "vocab") { t in
                t.add(column: "norm", .double)
                t.add(column: "vector", .blob)
            }
            try db.create(index: "vocab_token", on: "vocab", columns: ["model_id", "token"])
            try db.create(table: "vector_indexes") { t in
                t.primaryKey("model_id", .integer).references("models", onDelete: .cascade)
                t.column("method", .text).notNull()  // ivf-int8
                t.column("rows", .integer).notNull()
                t.column("dim", .integer).notNull()
                t.column("lists", .integer).notNull()
                t.column("probe", .integer).notNull()
                t.column("recall_at_10", .double).notNull()
                t.column("recall_curve_json", .text).notNull()
                t.column("fingerprint", .text).notNull()
                t.column("centroids", .blob).notNull()
                t.column("built_at", .datetime).notNull()
            }
            try db.create(table: "vector_lists") { t in
                t.column("model_id", .integer).notNull().references("vector_indexes", onDelete: .cascade)
                t.column("list", .integer).notNull()
                t.column("ids", .blob).notNull()  // int32 row ids
                t.column("scales", .blob).notNull()  // float32 per row
                t.column("codes", .blob).notNull()  // int8 × dim per row
                t.primaryKey(["model_id", "list"])
            }
            try WordVectorTable.moveTensorsIntoVocabulary(db)
            try db.execute(sql: "PRAGMA user_version = 3")
        }
        // v4: a corpus is one or more files (folders, several arguments, standard input): each
        // member with its SHA-256 and size, and why lenient reading skipped it when it did.
        migrator.registerMigration("v4") { db in
            try db.create(table: "corpus_members") { t in
                t.column("model_id", .integer).notNull().references("models", onDelete: .cascade)
                t.column("seq", .integer).notNull()
                t.column("path", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("bytes", .integer).notNull()
                t.column("skipped", .text)
                t.primaryKey(["model_id", "seq"])
            }
            try db.execute(sql: "PRAGMA user_version = 4")
        }
        // v5: document vectors (w2v docs): each document's source and unit vector.
        migrator.registerMigration("v5") { db in
            try DocumentTable.create(db)
            try db.execute(sql: "PRAGMA user_version = 5")
        }
        // v6: a subword model's character n-gram rows (w2v train --subword), by hash bucket.
        migrator.registerMigration("v6") { db in
            try NgramTable.create(db)
            try db.execute(sql: "PRAGMA user_version = 6")
        }
        // v7: a phrase model's learned pairs (w2v phrases), pass by pass.
        migrator.registerMigration("v7") { db in
            try PhraseTableRows.create(db)
            try db.execute(sql: "PRAGMA user_version = 7")
        }
        return migrator
    }
}
