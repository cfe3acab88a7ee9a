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
 * <p>The store comes from, in this order: the {@code REPORT_CONNECTION} parameter (a DuckDB JDBC
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

    private static final Object[] BUILTIN_PARAMETERS = {
        JRParameter.REPORT_CONNECTION, "java.sql.Connection",
        STORE_PARAMETER, "java.lang.String"
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
