package io.clvanalytics.engine.cli;

import io.clvanalytics.engine.ops.StoreMaintenance;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "maintain", mixinStandardHelpOptions = true,
        description = "Checkpoint, vacuum and analyze the store; prints each step with its time and the file sizes after it.")
final class MaintainCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        StoreMaintenance.Report r = StoreOperation.onStore(common, "maintain: checkpoint, vacuum, analyze", StoreMaintenance::run);
        List<List<?>> rows = new ArrayList<>();
        for (StoreMaintenance.Step s : r.steps()) {
            rows.add(List.of(s.step(), String.format("%.2f", s.seconds()), s.fileBytes(), s.walBytes()));
        }
        StoreOperation.print(common, spec, r, List.of("step", "seconds", "file bytes", "wal bytes"), rows);
        return ClvCli.EXIT_OK;
    }
}
