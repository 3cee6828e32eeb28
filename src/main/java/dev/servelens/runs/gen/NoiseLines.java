package dev.servelens.runs.gen;

/**
 * Lines of the other writers that share driver.log with the benchmark's records: the HTTP
 * client, LiteLLM (time of day only), the benchmark's debug output and the progress bar.
 */
final class NoiseLines {

  private static final String[] WORDS = {"order", "refund", "the", "customer", "flight",
    "baggage", "reservation", "please", "confirm", "address", "data", "roaming", "plan",
    "payment", "gift_card", "exchange", "cancel", "user", "policy", "I", "can", "help"};
  private static final String[] DEBUG_ORIGINS = {
    "tau2.agent.llm_agent:generate_next_message:98",
    "tau2.orchestrator.orchestrator:step:174",
    "tau2.user.user_simulator:generate_next_message:131",
    "tau2.environment.environment:use_tool:211"};

  private final RunRandom random;
  private final String orchestratorUrl;

  NoiseLines(RunRandom random, RunSpec run) {
    this.random = random;
    this.orchestratorUrl = "http://127.0.0.1:" + run.system().port + "/v1/chat/completions";
  }

  /** One line of a randomly chosen kind, at {@code millis}. */
  void append(StringBuilder line, long millis) {
    int kind = random.below(10);
    if (kind < 4) {
      appendHttp(line, millis);
    } else if (kind < 5) {
      line.append(LogTime.seconds(millis), 11, 19)
          .append(" - LiteLLM:INFO: utils.py:2980 - LiteLLM completion() model= ")
          .append(ProfileRecords.USER_MODEL).append("; provider = openai");
    } else {
      LogTime.append(line, millis, '.').append(" | DEBUG    | ")
          .append(random.pick(DEBUG_ORIGINS)).append(" - Message: {\"role\": \"assistant\", ")
          .append("\"content\": \"");
      int words = random.intBetween(3, 40);
      for (int i = 0; i < words; i++) {
        line.append(i == 0 ? "" : " ").append(random.pick(WORDS));
      }
      line.append("\"}");
    }
  }

  /** An HTTP client line, Python logging's default format (comma before milliseconds). */
  void appendHttp(StringBuilder line, long millis) {
    LogTime.append(line, millis, ',').append(" - httpx - INFO - HTTP Request: POST ")
        .append(random.chance(0.7) ? orchestratorUrl : "https://api.openai.com/v1/chat/completions")
        .append(" \"HTTP/1.1 200 OK\"");
  }

  /** A progress-bar update, which carries no newline of its own. */
  void appendProgress(StringBuilder line) {
    int done = random.intBetween(1, 277);
    int percent = done * 100 / 278;
    line.append("Tasks: ").append(percent < 10 ? "  " : " ").append(percent).append("%|");
    for (int i = 0; i < 10; i++) {
      line.append(i < percent / 10 ? '#' : ' ');
    }
    line.append("| ").append(done).append("/278 [").append(random.intBetween(10, 59))
        .append(':').append(random.intBetween(10, 59)).append('<')
        .append(random.intBetween(10, 59)).append(":").append(random.intBetween(10, 59))
        .append(", ");
    LogTime.fixed(line, random.between(8, 40), 2).append("s/it]");
  }
}
