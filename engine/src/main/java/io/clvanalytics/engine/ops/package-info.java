/**
 * Operating a store: consistent backups and verified restores ({@link io.clvanalytics.engine.ops.StoreBackup}),
 * maintenance ({@link io.clvanalytics.engine.ops.StoreMaintenance}) and archiving old transactions to
 * Parquet files that stay queryable ({@link io.clvanalytics.engine.ops.TransactionArchive}).
 */
package io.clvanalytics.engine.ops;
