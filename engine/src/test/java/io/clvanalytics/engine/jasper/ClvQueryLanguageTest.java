package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import net.sf.jasperreports.engine.JREmptyDataSource;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRRuntimeException;
import net.sf.jasperreports.engine.JasperCompileManager;
import net.sf.jasperreports.engine.JasperFillManager;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.design.JRDesignQuery;
import org.junit.jupiter.api.Test;

class ClvQueryLanguageTest {

    private static ClvQueryExecuter.Call parse(String text, Map<String, Object> params) {
        JRDesignQuery q = new JRDesignQuery();
        q.setText(text);
        return ClvQueryExecuter.parse(q.getChunks(), params::get);
    }

    @Test
    void a_query_text_names_a_query_and_binds_parameters_literals_and_quoted_text() {
        ClvQueryExecuter.Call call = parse("customer_scores segment=$P{seg} min_clv=250 risk=\"very high\" limit=$P{n}",
                Map.of("seg", "loyal", "n", 10));
        assertEquals("customer_scores", call.query().name());
        assertEquals("loyal", call.values().get("segment"));
        assertEquals(250.0, call.values().get("min_clv"));
        assertEquals("very high", call.values().get("risk"));
        assertEquals(10L, call.values().get("limit"));
    }

    @Test
    void an_empty_parameter_means_no_filter() {
        ClvQueryExecuter.Call call = parse("customer_scores segment=$P{seg}", new java.util.HashMap<>(Map.of()));
        assertNull(call.values().get("segment"));
    }

    @Test
    void mistakes_in_the_query_text_are_named() {
        var unknown = assertThrows(JRRuntimeException.class, () -> parse("select * from customers", Map.of()));
        assertTrue(unknown.getMessage().contains("unknown query \"select\"; known queries: customer_scores, kpis"), unknown.getMessage());
        var param = assertThrows(JRRuntimeException.class, () -> parse("kpis segment=x", Map.of()));
        assertTrue(param.getMessage().contains("query kpis has no parameter \"segment\"; it takes run"), param.getMessage());
        var number = assertThrows(JRRuntimeException.class, () -> parse("customer_scores min_clv=lots", Map.of()));
        assertTrue(number.getMessage().contains("parameter min_clv must be a number (got \"lots\")"), number.getMessage());
        var twice = assertThrows(JRRuntimeException.class, () -> parse("customer_scores limit=1 limit=2", Map.of()));
        assertTrue(twice.getMessage().contains("\"limit\" is given twice"), twice.getMessage());
    }

    @Test
    void sql_splicing_parameters_are_refused() {
        var clause = assertThrows(JRRuntimeException.class, () -> parse("customer_scores $P!{where}", Map.of("where", "1=1")));
        assertTrue(clause.getMessage().contains("$P!{...} and $X{...} are not allowed"), clause.getMessage());
    }

    @Test
    void the_expression_class_filter_stops_a_template_that_reaches_for_the_runtime() throws JRException {
        String jrxml = """
                <jasperReport name="evil" language="java" pageWidth="595" pageHeight="842" columnWidth="555" leftMargin="20" rightMargin="20" topMargin="20" bottomMargin="20">
                	<title height="20">
                		<element kind="textField" x="0" y="0" width="200" height="20">
                			<expression><![CDATA[String.valueOf(Runtime.getRuntime().availableProcessors())]]></expression>
                		</element>
                	</title>
                </jasperReport>
                """;
        JasperReport report = JasperCompileManager.getInstance(ReportRenderer.secureContext())
                .compile(new java.io.ByteArrayInputStream(jrxml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Exception e = assertThrows(Exception.class, () -> JasperFillManager.getInstance(ReportRenderer.secureContext())
                .fill(report, new java.util.HashMap<>(), new JREmptyDataSource(1)));
        String all = e + " " + e.getCause();
        assertTrue(all.contains("java.lang.Runtime") && all.contains("not visible"), all);
    }
}
