/**
 * The customer list: customers with their latest CLV scores and retention risk, filtered, sorted
 * and paged in the store, for the server's pages and API and anything else that lists customers.
 */
package io.clvanalytics.engine.customers;
