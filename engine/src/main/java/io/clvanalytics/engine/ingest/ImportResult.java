package io.clvanalytics.engine.ingest;

import java.util.Map;

/**
 * The summary of one import. When {@code alreadyImported} is true the file's content had been
 * imported before as batch {@code batchId} and nothing was changed.
 *
 * @param batchId the batch recorded, the earlier one when {@code alreadyImported}, or 0 when the file held no rows
 *     (a header only: nothing imported, no batch recorded)
 * @param decimalSeparator the numbers' decimal separator in a delimited text file ({@code "."} or {@code ","}, given or
 *     detected), null for a spreadsheet or Parquet (typed cells)
 * @param rejectedByRule rows rejected per rule broken (the first rule each row broke)
 * @param duplicateLines lines that repeat an earlier line of the same file exactly (kept or rejected per policy)
 * @param guestLines imported lines without a customer id (guest purchases, with {@code --missing-customer guest})
 * @param rejectsFile where rejected rows were written, or null when none were
 */
public record ImportResult(
        long batchId,
        boolean alreadyImported,
        String file,
        String sha256,
        String format,
        Map<String, String> mapping,
        String dateFormat,
        String decimalSeparator,
        long rowsRead,
        long rowsImported,
        long rowsRejected,
        Map<String, Long> rejectedByRule,
        long duplicateLines,
        long returns,
        long guestLines,
        long customersCreated,
        long productsCreated,
        long nonProductCodes,
        String rejectsFile,
        double seconds) {
}
