package io.clvanalytics.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one SparkSession every test class of this module shares (starting one costs seconds): local
 * mode on two cores, no UI, few shuffle partitions, loopback only. Stopped when the test JVM exits.
 */
final class SharedSpark {

    private static SparkSession session;

    private SharedSpark() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .appName("clv-engine-spark-tests")
                    .master("local[2]")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.default.parallelism", "2")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.session.timeZone", "UTC")
                    .getOrCreate();
            Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
        }
        return session;
    }
}
