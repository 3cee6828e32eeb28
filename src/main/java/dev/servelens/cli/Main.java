package dev.servelens.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The {@code servelens} command line. Exit codes: 0 success, 1 failure (one line naming what
 * is at fault), 2 bad usage.
 */
@Command(
    name = "servelens",
    mixinStandardHelpOptions = true,
    version = "servelens 0.1.0",
    description = {
      "Spark batch jobs that turn the raw output of LLM serving into answers:",
      "ingest traces into a Parquet catalog once, then analyse and query them many times."
    },
    subcommands = {
      IngestCommand.class,
      AnalyzeCommand.class,
      QueryCommand.class,
      GenerateCommand.class,
      DemoCommand.class,
      PipelineCommand.class,
      TagCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  servelens demo --out demo-out",
      "  servelens generate workload --out traces/ --rows 1000000",
      "  servelens ingest workload --input traces/ --catalog catalog/",
      "  servelens analyze workload --catalog catalog/ --out results/",
      "  servelens report --catalog catalog/ --out results/",
      "  servelens query --catalog catalog/ \"SELECT model_id, count(*) FROM workload_requests"
          + " GROUP BY 1\"",
      "",
      "Run 'servelens help COMMAND' for a command's options."
    })
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code; tests call this. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setDefaultValueProvider(ConfigDefaults.load());
    commandLine.setExecutionExceptionHandler(new OneLineErrors());
    return commandLine.execute(args);
  }

  /** Prints a failure as one line naming the fault, the stack trace only at debug level. */
  private static final class OneLineErrors implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception exception, CommandLine commandLine, ParseResult parseResult) {
      PrintWriter err = commandLine.getErr();
      Throwable cause = exception;
      while (cause.getCause() != null && cause.getMessage() == null) {
        cause = cause.getCause();
      }
      err.println("servelens " + commandLine.getCommandName() + ": error: " + cause.getMessage());
      if (Boolean.getBoolean("servelens.debug")) {
        exception.printStackTrace(err);
      } else {
        err.println("(run with -Dservelens.debug=true for the stack trace)");
      }
      err.flush();
      return exception instanceof UsageException ? 2 : 1;
    }
  }
}
