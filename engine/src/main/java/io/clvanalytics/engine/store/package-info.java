/** Internal: schema migrations of the store. Not an API; use {@link io.clvanalytics.engine.Engine}. */
package io.clvanalytics.engine.store;
