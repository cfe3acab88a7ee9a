package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.jasper.RenderedReport;
import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportRenderer;
import io.clvanalytics.engine.jasper.ReportTemplate;
import io.clvanalytics.engine.ops.OutputPaths;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render a built-in report to HTML, PDF, XLSX or CSV, or list the templates (--list).")
final class ReportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Option(names = "--list", description = "List the templates and their parameters.")
    boolean list;

    @Option(names = "--template", paramLabel = "NAME", description = "Template name (see --list).")
    String template;

    @Option(names = "--format", paramLabel = "FORMAT", description = "html, pdf, xlsx or csv (default: from the --out extension).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "File to write; written whole or not at all.")
    Path out;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "A template parameter; repeat for several.")
    List<String> params = new ArrayList<>();

    @Override
    public Integer call() {
        if (list) {
            return listTemplates();
        }
        if (template == null) {
            throw new DataValidationException("--template: missing; name one of " + ReportTemplate.names() + " (or use --list)");
        }
        if (out == null) {
            throw new DataValidationException("--out: missing; name the file to write");
        }
        ReportFormat fmt = resolveFormat();
        OutputPaths.checkFile("--out", out, common.dbPath());
        Map<String, String> values = parseParams();
        requireStore();
        Path target = out.toAbsolutePath();
        Path folder = target.getParent();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw unwritable(target, e);
        }
        try (Engine engine = common.openEngine()) {
            requireKnownCustomer(engine, values.get("customer"));
            ReportRenderer renderer = ReportRenderer.of(engine);
            // Render into a temporary file beside the target, then move it: a failed report leaves no
            // half-written file behind. Created like any other file (mode from the process's umask, not
            // createTempFile's 0600), and the rename keeps that mode.
            Path partial = folder.resolve(".clv-report-" + UUID.randomUUID() + ".part");
            try {
                RenderedReport rendered;
                try (OutputStream os = Files.newOutputStream(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    rendered = renderer.render(template, fmt, values, os);
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                var o = spec.commandLine().getOut();
                if (common.json()) {
                    Output.json(o, Map.of("template", rendered.template().templateName(), "format", fmt.extension(),
                            "file", target.toString(), "pages", rendered.pages(), "bytes", Files.size(target)));
                } else {
                    o.println("wrote " + target + " (" + rendered.template().title() + ", " + fmt.extension() + ", "
                            + rendered.pages() + (rendered.pages() == 1 ? " page" : " pages") + ")");
                }
            } finally {
                Files.deleteIfExists(partial);
            }
            return ClvCli.EXIT_OK;
        } catch (IOException e) {
            throw unwritable(target, e);
        }
    }

    /** A report about a customer the store does not know would be empty with exit 0: refuse it (exit 2) instead. */
    private static void requireKnownCustomer(Engine engine, String customer) {
        if (customer == null) {
            return;
        }
        try (Connection c = engine.connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM customers WHERE source_id = ?")) {
            ps.setString(1, customer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    throw new DataValidationException("--param customer=" + customer + ": no customer with that id in "
                            + engine.file() + " (ids are as written in the imported data, e.g. 17448)");
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot look up customer " + customer + ": " + e.getMessage(), e);
        }
    }

    /** A report that cannot be written where --out says: bad input (exit 2) naming the path and the reason. */
    private static DataValidationException unwritable(Path target, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
                : e instanceof NoSuchFileException ? "no such folder"
                : e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                : String.valueOf(e.getMessage());
        String where = e instanceof FileSystemException fs && fs.getFile() != null ? fs.getFile() : target.toString();
        if (Path.of(where).getFileName() != null && Path.of(where).getFileName().toString().startsWith(".clv-report-")) {
            where = "into " + Path.of(where).getParent(); // the temporary file: the folder is what refuses
        }
        return new DataValidationException("--out " + target + ": cannot write " + where + " (" + why + ")");
    }

    private int listTemplates() {
        requireStore();
        try (Engine engine = common.openEngine()) {
            ReportRenderer renderer = ReportRenderer.of(engine);
            var o = spec.commandLine().getOut();
            List<Map<String, Object>> json = new ArrayList<>();
            List<List<?>> rows = new ArrayList<>();
            for (ReportTemplate t : ReportTemplate.values()) {
                List<String> ps = renderer.parameters(t).stream()
                        .map(p -> p.name() + (p.required() ? " (required)" : "") + ": " + p.type())
                        .toList();
                rows.add(List.of(t.templateName(), t.title(), String.join("; ", ps)));
                json.add(Map.of("name", t.templateName(), "title", t.title(), "description", t.description(),
                        "parameters", renderer.parameters(t)));
            }
            if (common.json()) {
                Output.json(o, json);
            } else {
                Output.table(o, List.of("template", "title", "parameters"), rows);
            }
            return ClvCli.EXIT_OK;
        }
    }

    private void requireStore() {
        if (!Files.exists(common.dbPath())) {
            throw new DataValidationException("--db: store " + common.dbPath()
                    + " does not exist (create it with `clv generate` or `clv import`)");
        }
    }

    private ReportFormat resolveFormat() {
        String name = format;
        if (name == null) {
            String file = out.getFileName().toString();
            int dot = file.lastIndexOf('.');
            name = dot < 0 ? "" : file.substring(dot + 1);
        }
        String n = name;
        return ReportFormat.named(n).orElseThrow(() -> new DataValidationException(
                "--format: \"" + n + "\" is not a report format; use one of " + ReportFormat.names()));
    }

    private Map<String, String> parseParams() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String p : params) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new DataValidationException("--param " + p + ": must be NAME=VALUE");
            }
            String name = p.substring(0, eq).trim();
            if (values.put(name, p.substring(eq + 1)) != null) {
                throw new DataValidationException("--param " + name + ": given twice");
            }
        }
        return values;
    }
}
