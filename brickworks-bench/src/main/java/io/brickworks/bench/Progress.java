package io.brickworks.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * JMH's full output goes to a log file; the console gets one line per benchmark with its score.
 */
final class Progress implements OutputFormat {

    private final OutputFormat log;
    private final PrintStream console;
    private int started;

    Progress(PrintStream logFile, PrintStream console) {
        this.log = OutputFormatFactory.createFormatInstance(logFile, VerboseMode.NORMAL);
        this.console = console;
    }

    @Override
    public void startBenchmark(BenchmarkParams params) {
        started++;
        console.printf("  [%2d] %-70s", started, Report.idOf(params));
        console.flush();
        log.startBenchmark(params);
    }

    @Override
    public void endBenchmark(BenchmarkResult result) {
        if (result == null) {
            console.println(" failed (see the log)");
        } else {
            console.printf(" %,14.0f %s%n", result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreUnit());
        }
        log.endBenchmark(result);
    }

    @Override
    public void iteration(BenchmarkParams benchParams, IterationParams params, int iteration) {
        log.iteration(benchParams, params, iteration);
    }

    @Override
    public void iterationResult(BenchmarkParams benchParams, IterationParams params, int iteration, IterationResult data) {
        log.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public void startRun() {
        log.startRun();
    }

    @Override
    public void endRun(Collection<RunResult> result) {
        log.endRun(result);
    }

    @Override
    public void print(String s) {
        log.print(s);
    }

    @Override
    public void println(String s) {
        if (s.contains("Exception") || s.contains("ERROR")) {
            String first = s.strip().lines().findFirst().orElse(s);
            console.print(" " + first);
        }
        log.println(s);
    }

    @Override
    public void flush() {
        log.flush();
    }

    @Override
    public void close() {
        log.close();
    }

    @Override
    public void verbosePrintln(String s) {
        log.verbosePrintln(s);
    }

    @Override
    public void write(int b) {
        log.write(b);
    }

    @Override
    public void write(byte[] b) throws IOException {
        log.write(b);
    }
}
