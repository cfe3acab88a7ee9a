package io.clvanalytics.engine.jasper;

import java.util.List;
import net.sf.jasperreports.engine.JRPropertiesMap;
import net.sf.jasperreports.engine.query.JRQueryExecuterFactoryBundle;
import net.sf.jasperreports.engine.query.QueryExecuterFactory;
import net.sf.jasperreports.extensions.ExtensionsRegistry;
import net.sf.jasperreports.extensions.ExtensionsRegistryFactory;

/**
 * Registers the {@code clv} query language with JasperReports. Named in the engine jar's
 * {@code jasperreports_extension.properties}, so dropping the jar (with the DuckDB driver) into
 * JasperReports Server or Jaspersoft Studio is all the installation there is.
 */
public final class ClvExtensionsRegistryFactory implements ExtensionsRegistryFactory {

    private static final QueryExecuterFactory FACTORY = new ClvQueryExecuterFactory();

    private static final JRQueryExecuterFactoryBundle BUNDLE = new JRQueryExecuterFactoryBundle() {
        @Override
        public String[] getLanguages() {
            return new String[] {ClvQueryExecuterFactory.LANGUAGE};
        }

        @Override
        public QueryExecuterFactory getQueryExecuterFactory(String language) {
            return ClvQueryExecuterFactory.LANGUAGE.equalsIgnoreCase(language) ? FACTORY : null;
        }
    };

    private static final ExtensionsRegistry REGISTRY = new ExtensionsRegistry() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> List<T> getExtensions(Class<T> extensionType) {
            return JRQueryExecuterFactoryBundle.class.equals(extensionType) ? List.of((T) BUNDLE) : List.of();
        }
    };

    @Override
    public ExtensionsRegistry createRegistry(String registryId, JRPropertiesMap properties) {
        return REGISTRY;
    }
}
