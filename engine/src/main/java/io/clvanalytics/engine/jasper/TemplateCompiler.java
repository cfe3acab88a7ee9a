package io.clvanalytics.engine.jasper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JasperCompileManager;

/**
 * Build step (run by the engine's Maven build in {@code process-classes}): compiles every
 * {@link ReportTemplate} from its JRXML source on the classpath to a {@code .jasper} file under the
 * given classes folder. Any template that does not compile fails the build, naming the template
 * and JasperReports' reason.
 */
public final class TemplateCompiler {

    private TemplateCompiler() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: TemplateCompiler OUTPUT_CLASSES_FOLDER");
        }
        List<String> failures = compileAll(Path.of(args[0]));
        if (!failures.isEmpty()) {
            throw new IllegalStateException("report templates do not compile:\n  " + String.join("\n  ", failures));
        }
    }

    /** Compiles every template into {@code classes}; returns one message per template that failed. */
    public static List<String> compileAll(Path classes) throws IOException {
        List<String> failures = new ArrayList<>();
        JasperCompileManager compiler = JasperCompileManager.getInstance(ReportRenderer.secureContext());
        for (ReportTemplate t : ReportTemplate.values()) {
            Path target = classes.resolve(t.compiledResource());
            Files.createDirectories(target.getParent());
            try (InputStream in = TemplateCompiler.class.getClassLoader().getResourceAsStream(t.sourceResource())) {
                if (in == null) {
                    failures.add(t.sourceResource() + ": not on the classpath (is clv-report-templates a dependency?)");
                    continue;
                }
                try (OutputStream out = Files.newOutputStream(target)) {
                    compiler.compileToStream(in, out);
                }
            } catch (JRException | RuntimeException e) {
                Files.deleteIfExists(target);
                failures.add(t.sourceResource() + ": " + e.getMessage());
            }
        }
        return failures;
    }
}
