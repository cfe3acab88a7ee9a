/**
 * Data quality: a catalogue of checks run as set-based DuckDB SQL over the whole store, in the
 * spirit of AWS deequ, Soda Core and Great Expectations. Entry point: {@link
 * io.clvanalytics.engine.quality.DataQuality}. Every run is stored with its results so quality can
 * be tracked over time; {@link io.clvanalytics.engine.quality.BatchChecks} runs the fast row rules
 * on a staged import batch before it is committed.
 */
package io.clvanalytics.engine.quality;
