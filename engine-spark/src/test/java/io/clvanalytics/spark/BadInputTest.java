package io.clvanalytics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.cli.ClvCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad flags and bad data sets: exit 2 with a message naming the flag or column and the rule; no output written. */
class BadInputTest {

    @TempDir
    Path dir;

    private static void assertBadInput(Stores.JobRun run, String... mentions) {
        assertEquals(ClvCli.EXIT_BAD_INPUT, run.code(), run.err());
        assertTrue(run.out().isEmpty(), "no JSON on bad input: " + run.out());
        for (String m : mentions) {
            assertTrue(run.err().contains(m), "message should mention " + m + ": " + run.err());
        }
    }

    @Test
    void eachBadFlagIsNamedWithTheRuleItBreaks() {
        String in = dir.resolve("in").toString();
        String out = dir.resolve("out").toString();
        assertBadInput(Stores.spark("--output", out), "--input", "required");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--model", "gg"), "--model", "bgnbd, pnbd or mbgnbd");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--calibration-end", "1997-13-01"), "--calibration-end", "yyyy-MM-dd");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--calibration-end", "1997-09-30", "--holdout-end", "1997-09-01"),
                "--holdout-end", "must be after");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--holdout-end", "1998-01-01"), "--holdout-end", "--calibration-end");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--time-unit", "fortnight"), "--time-unit", "day, week or month");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--horizon", "0"), "--horizon", "1 to 1200");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--horizon", "twelve"), "--horizon", "whole number");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--discount-rate", "-0.1"), "--discount-rate", ">= 0");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--purchases", "basket"), "--purchases", "day, order or timestamp");
        assertBadInput(Stores.spark("--input", in, "--output", out, "--frobnicate", "1"), "--frobnicate", "unknown option");
        assertBadInput(Stores.spark("--input", in, "--output"), "--output", "needs a value");
    }

    @Test
    void aMissingInputAParquetWithoutTheEnginesColumnsAndAnExistingOutputAreRefused() throws Exception {
        Path out = dir.resolve("out");
        assertBadInput(Stores.spark("--input", dir.resolve("absent").toString(), "--output", out.toString()), "--input", "absent");

        Path wrong = dir.resolve("wrong.parquet");
        StructType schema = new StructType().add("customer_id", DataTypes.LongType).add("day", DataTypes.DateType);
        SharedSpark.session().createDataFrame(java.util.List.of(RowFactory.create(1L, java.sql.Date.valueOf("2024-01-01"))), schema)
                .write().parquet(wrong.toString());
        assertBadInput(Stores.spark("--input", wrong.toString(), "--output", out.toString()), "--input", "date", "amount", "is_return");
        assertFalse(Files.exists(out), "nothing written on bad input");

        Files.createDirectories(out);
        assertBadInput(Stores.spark("--input", wrong.toString(), "--output", out.toString()), "--output", "exists");
    }
}
