package io.clvanalytics.engine.jasper;

import java.util.Map;
import net.sf.jasperreports.engine.JRDataset;
import net.sf.jasperreports.engine.JRParameter;
import net.sf.jasperreports.engine.JRValueParameter;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.query.JRQueryExecuter;
import net.sf.jasperreports.engine.query.QueryExecuterFactory;

/**
 * The query executer factory of the {@code clv} query language. A template's query text names a
 * {@link NamedQueries named query} and binds its parameters, for example
 * {@code customer_scores segment=$P{segment} min_clv=$P{minClv} limit=100}.
 *
 * <p>When a CLV server is configured (parameters {@value #SERVER_URL_PARAMETER} and
 * {@value #SERVER_TOKEN_PARAMETER}, properties {@value #SERVER_URL_PROPERTY} and {@value #SERVER_TOKEN_PROPERTY},
 * or the environment variables of the parameters' names), rows come from that server over HTTPS (HTTP on
 * loopback) with the token. Otherwise the store comes from, in this order: the {@code REPORT_CONNECTION} parameter (a DuckDB JDBC
 * connection, which is what a JDBC data source or data adapter gives), the {@value #STORE_PARAMETER}
 * parameter (a store file path, opened read-only), or the {@value #STORE_PROPERTY} property of the
 * dataset, report or JasperReports context.
 */
public final class ClvQueryExecuterFactory implements QueryExecuterFactory {

    /** The language name templates write in {@code <query language="clv">}. */
    public static final String LANGUAGE = "clv";
    /** Report parameter naming the store file when no connection is supplied. */
    public static final String STORE_PARAMETER = "CLV_STORE";
    /** Property (report, dataset or jasperreports.properties) naming the store file. */
    public static final String STORE_PROPERTY = "io.clvanalytics.store";

    /** Report parameter (and environment variable) naming a running CLV server to read rows from. */
    public static final String SERVER_URL_PARAMETER = ServerSettings.URL_PARAMETER;
    /** Report parameter (and environment variable) holding the API token for that server. */
    public static final String SERVER_TOKEN_PARAMETER = ServerSettings.TOKEN_PARAMETER;
    /** Property (report, dataset or jasperreports.properties) naming a running CLV server. */
    public static final String SERVER_URL_PROPERTY = ServerSettings.URL_PROPERTY;
    /** Property (report, dataset or jasperreports.properties) holding the API token. */
    public static final String SERVER_TOKEN_PROPERTY = ServerSettings.TOKEN_PROPERTY;

    private static final Object[] BUILTIN_PARAMETERS = {
        JRParameter.REPORT_CONNECTION, "java.sql.Connection",
        STORE_PARAMETER, "java.lang.String",
        SERVER_URL_PARAMETER, "java.lang.String",
        SERVER_TOKEN_PARAMETER, "java.lang.String"
    };

    @Override
    public Object[] getBuiltinParameters() {
        return BUILTIN_PARAMETERS.clone();
    }

    @Override
    public JRQueryExecuter createQueryExecuter(JasperReportsContext context, JRDataset dataset,
            Map<String, ? extends JRValueParameter> parameters) {
        return new ClvQueryExecuter(context, dataset, parameters);
    }

    @Override
    public boolean supportsQueryParameterType(String className) {
        return true;
    }
}
