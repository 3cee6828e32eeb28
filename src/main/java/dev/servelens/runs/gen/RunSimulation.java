package dev.servelens.runs.gen;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A discrete-event simulation of one benchmark run: C agents take the 278 tasks (retail 114,
 * telecom 114, airline 50) in a shuffled global order; a task alternates the user's turn, the
 * orchestrator's call and a tool or expert call, each a step on a role edge, until the user ends
 * it; a few tasks fail (context length exceeded, an expert failing for good). Events are handled
 * in time order and written as they happen, so nothing grows with the log size. A stuck run
 * leaves some orchestrator calls unanswered and is killed after a long idle tail.
 */
final class RunSimulation {

  static final int TOTAL_TASKS = 278;
  private static final int[] DOMAIN_TASKS = {114, 114, 50};
  static final String WORKSPACE = "/workspace/ToolOrchestra/outputs/";
  private static final String[] TOOLS = {"get_order_details", "get_user_details",
    "find_user_id_by_email", "return_delivered_order_items", "cancel_pending_order",
    "get_reservation_details", "search_direct_flight", "update_reservation_flights",
    "get_customer_by_phone", "check_network_status", "toggle_airplane_mode", "enable_roaming"};
  private static final String[] EXPERTS = {"openai/gpt-oss-20b", "Qwen/Qwen3-32B-FP8",
    "Qwen/Qwen3-Next-80B-A3B-Instruct-FP8"};
  private static final String TRACEBACK = "Traceback (most recent call last):";
  private static final double REWARDED = 0.68;

  private final RunSpec run;
  private final RunRandom random;
  private final CallDurations durations;
  private final ServerLoad load = new ServerLoad();
  private final PriorityQueue<Agent> agenda = new PriorityQueue<>(
      Comparator.comparingLong((Agent agent) -> agent.due).thenComparingInt(agent -> agent.index));
  private final int[] taskOrder;
  private final double errorProbability;
  private final int stuckAfter;
  private final int stuckWanted;
  private final List<String> stuckTasks = new ArrayList<>();
  private final int threadBase;

  final long launcherStart;
  final long serverReady;
  final long firstScrape;
  final long evaluationStart;
  final long expectedEnd;

  private RunLogs logs;
  private KvTimeseries kv;
  private TaskResults results;
  private SchedulerTimestamps scheduler;
  private int nextTask;
  private int busy;
  private int ended;

  RunSimulation(RunSpec run) {
    this.run = run;
    this.random = RunRandom.stream(run.seed(), 1);
    this.durations = new CallDurations(RunRandom.stream(run.seed(), 2), run);
    this.launcherStart = run.startSecond() * 1000;
    this.serverReady = launcherStart + random.intBetween(40_000, 75_000);
    this.firstScrape = serverReady + random.intBetween(1000, 10_000);
    this.evaluationStart = firstScrape + random.intBetween(5000, 30_000);
    double stepsPerSecond = run.system().stepsPerSecond(run.concurrency());
    this.expectedEnd = evaluationStart + (long) (TOTAL_TASKS * 48 / stepsPerSecond * 1000);
    this.taskOrder = shuffledTasks();
    this.errorProbability = random.between(0.005, 0.05);
    this.stuckAfter = (int) (TOTAL_TASKS * random.between(0.8, 0.93));
    this.stuckWanted = run.stuck() ? Math.min(12, run.concurrency() / 16 + random.intBetween(2, 4))
        : 0;
    this.threadBase = random.intBetween(1000, 60_000);
  }

  /** The orchestrator's server load, read by the KV sampler. */
  ServerLoad load() {
    return load;
  }

  /** Runs the whole simulation through the given writers; {@code scheduler} may be null. */
  void run(RunLogs logs, KvTimeseries kv, TaskResults results, SchedulerTimestamps scheduler)
      throws IOException {
    this.logs = logs;
    this.kv = kv;
    this.results = results;
    this.scheduler = scheduler;
    prologue();
    long stagger = evaluationStart + 1000;
    for (int i = 0; i < run.concurrency(); i++) {
      Agent agent = new Agent(i, threadBase + i);
      stagger += random.intBetween(20, 120);
      schedule(agent, Agent.Phase.START, stagger);
    }
    long last = evaluationStart;
    while (!agenda.isEmpty()) {
      Agent agent = agenda.poll();
      kv.advanceTo(agent.due);
      last = agent.due;
      handle(agent, agent.due);
    }
    if (stuckTasks.isEmpty()) {
      complete(last);
    } else {
      stuckTail(last);
    }
  }

  private int[] shuffledTasks() {
    int[] order = new int[TOTAL_TASKS];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.below(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  private void prologue() throws IOException {
    String directory = WORKSPACE + run.name();
    logs.launcher(launcherStart, "Launching " + run.system().label() + " on port "
        + run.system().port + " (concurrency=" + run.concurrency()
        + ", domains=retail telecom airline, log_level=PROFILE)");
    logs.launcher(launcherStart, "Output dir: " + directory);
    logs.launcher(serverReady, "vLLM server is healthy on port " + run.system().port);
    kv.advanceTo(firstScrape + 1);
    logs.launcher(firstScrape, "KV cache sampler started (pid " + random.intBetween(20_000, 90_000)
        + ") -> " + directory + "/kv_cache_timeseries.csv");
    kv.advanceTo(evaluationStart + 800);
    logs.launcher(evaluationStart, "Starting tau2 global evaluation: " + TOTAL_TASKS
        + " tasks, concurrency=" + run.concurrency());
    logs.loguru(evaluationStart, "INFO", "tau2.run:load_tasks:97",
        "Loaded 278 tasks (retail=114, telecom=114, airline=50)");
    logs.tagged(evaluationStart + 800, RunLogs.PROFILE, ProfileRecords.llmCall("global",
        threadBase - 1, 0, 812.5, 790.25, 120.5, 64, 8, false), false);
  }

  private void handle(Agent agent, long now) throws IOException {
    switch (agent.phase) {
      case START -> startTask(agent, now);
      case USER -> {
        logs.tagged(now, RunLogs.USER_JUDGE,
            ProfileRecords.userSim(agent.task, agent.thread, agent.step, agent.callMillis), false);
        logs.noise(now, run.big() ? random.intBetween(8, 16) : random.below(2));
        step(agent, now, "user", "agent");
      }
      case LLM -> finishLlm(agent, now);
      case EXPERT -> {
        logs.tagged(now, RunLogs.PROFILE, ProfileRecords.expertCall(agent.task, agent.thread,
            agent.step, agent.expertModel, agent.expertMillis, agent.expertMillis * 0.08,
            random.intBetween(800, 6000), random.intBetween(100, 1500)), false);
        agent.function = "call_expert";
        int gap = random.intBetween(2, 15);
        agent.callMillis = agent.expertMillis + gap;
        schedule(agent, Agent.Phase.TOOL, now + gap);
      }
      case TOOL -> {
        logs.tagged(now, RunLogs.PROFILE, ProfileRecords.toolCall(agent.task, agent.thread,
            agent.step, agent.function, agent.callMillis, random.chance(0.03)), false);
        step(agent, now, "env", "agent");
      }
      case STEP -> stepComplete(agent, now);
      case EVALUATION -> {
        double reward = random.chance(REWARDED) ? 1.0 : 0.0;
        logs.finished(now, agent.domain, agent.taskId, reward);
        results.ended(agent.domain, agent.taskId, reward);
        endTask(agent, now);
      }
      case CONTEXT_ERROR -> contextError(agent, now);
      case EXPERT_ERROR -> expertError(agent, now);
      default -> throw new IllegalStateException("unexpected phase " + agent.phase);
    }
  }

  private void schedule(Agent agent, Agent.Phase phase, long due) {
    agent.phase = phase;
    agent.due = due;
    agenda.add(agent);
  }

  private void startTask(Agent agent, long now) throws IOException {
    if (nextTask == TOTAL_TASKS) {
      return;
    }
    int task = taskOrder[nextTask++];
    int domain = task < DOMAIN_TASKS[0] ? 0 : task < DOMAIN_TASKS[0] + DOMAIN_TASKS[1] ? 1 : 2;
    int offset = 0;
    for (int before = 0; before < domain; before++) {
      offset += DOMAIN_TASKS[before];
    }
    agent.domain = TaskResults.DOMAINS.get(domain);
    agent.taskId = task - offset;
    agent.task = agent.domain + "_" + agent.taskId;
    agent.step = 0;
    agent.steps = (int) Math.max(6, Math.min(160, random.logNormal(40, 0.45)));
    agent.contextSlope = random.intBetween(300, 500);
    agent.outcome = !random.chance(errorProbability) ? Agent.Outcome.OK
        : random.chance(0.5) ? Agent.Outcome.CONTEXT_ERROR : Agent.Outcome.EXPERT_ERROR;
    agent.errorStep = random.intBetween(agent.steps / 3, agent.steps);
    busy++;
    logs.loguru(now, "INFO", "tau2.run:run_task:287", "Running task " + agent.task + " (trial 0)");
    startUser(agent, now);
  }

  private void startUser(Agent agent, long now) {
    agent.stepStart = now;
    agent.callMillis = durations.userTurn();
    schedule(agent, Agent.Phase.USER, now + Math.round(agent.callMillis));
  }

  private void startLlm(Agent agent, long now) {
    agent.stepStart = now;
    if (agent.outcome == Agent.Outcome.CONTEXT_ERROR && agent.step >= agent.errorStep) {
      schedule(agent, Agent.Phase.CONTEXT_ERROR, now + random.intBetween(50, 400));
      return;
    }
    if (ended >= stuckAfter && stuckTasks.size() < stuckWanted) {
      stuckTasks.add(agent.task);
      return;
    }
    double[] call = durations.llmCall(busy, run.system() == SystemProfile.THUNDERREACT);
    agent.callMillis = call[0];
    agent.inferMillis = call[1];
    agent.contextTokens = agent.context();
    agent.toolCalls = random.chance(CallDurations.TOOL_TURN);
    load.add(agent.contextTokens);
    schedule(agent, Agent.Phase.LLM, now + Math.round(agent.callMillis));
  }

  private void finishLlm(Agent agent, long now) throws IOException {
    load.remove(agent.contextTokens);
    double prefill = Math.min(agent.inferMillis * 0.3,
        agent.contextTokens * random.between(0.01, 0.03));
    logs.tagged(now, RunLogs.PROFILE, ProfileRecords.llmCall(agent.task, agent.thread, agent.step,
        agent.callMillis, agent.inferMillis, prefill, agent.contextTokens,
        (int) Math.min(2048, random.logNormal(90, 0.8)), agent.toolCalls), false);
    if (scheduler != null) {
      scheduler.request(agent.stepStart, now, agent.contextTokens);
    }
    logs.noise(now, run.big() ? random.intBetween(20, 40) : random.below(2));
    step(agent, now, "agent", agent.toolCalls ? "env" : "user");
  }

  private void startTool(Agent agent, long now) {
    agent.stepStart = now;
    if (!random.chance(CallDurations.EXPERT_TOOL)) {
      agent.function = random.pick(TOOLS);
      agent.callMillis = durations.tool();
      schedule(agent, Agent.Phase.TOOL, now + Math.round(agent.callMillis));
      return;
    }
    agent.expertModel = random.pick(EXPERTS);
    if (agent.outcome == Agent.Outcome.EXPERT_ERROR && agent.step >= agent.errorStep) {
      schedule(agent, Agent.Phase.EXPERT_ERROR, now + random.intBetween(10_000, 40_000));
      return;
    }
    agent.expertMillis = durations.expert();
    schedule(agent, Agent.Phase.EXPERT, now + Math.round(agent.expertMillis));
  }

  private void step(Agent agent, long now, String from, String to) {
    agent.fromRole = from;
    agent.toRole = to;
    schedule(agent, Agent.Phase.STEP, now + durations.stepOverhead());
  }

  private void stepComplete(Agent agent, long now) throws IOException {
    logs.tagged(now, RunLogs.PROFILE, ProfileRecords.stepComplete(agent.task, agent.thread,
        agent.step, now - agent.stepStart + random.unit(), agent.fromRole, agent.toRole), true);
    if (run.big()) {
      logs.noise(now, random.intBetween(2, 6));
    }
    agent.step++;
    switch (agent.toRole) {
      case "agent" -> {
        if (agent.fromRole.equals("user") && agent.step >= agent.steps) {
          schedule(agent, Agent.Phase.EVALUATION, now + random.intBetween(200, 3000));
        } else {
          startLlm(agent, now);
        }
      }
      case "env" -> startTool(agent, now);
      default -> startUser(agent, now);
    }
  }

  private void endTask(Agent agent, long now) {
    busy--;
    ended++;
    schedule(agent, Agent.Phase.START, now + random.intBetween(5, 200));
  }

  private void contextError(Agent agent, long now) throws IOException {
    int requested = agent.context() + 2048 + 32_768 - 30_000;
    logs.loguru(now, "ERROR", "tau2.agent.llm_agent:generate_next_message:143", "Task "
        + agent.task + " failed at step " + agent.step + ": context length exceeded (requested "
        + requested + " tokens, maximum 32768)");
    logs.plain(TRACEBACK,
        "  File \"/workspace/ToolOrchestra/evaluation/tau2-bench/tau2/agent/llm_agent.py\","
            + " line 131, in generate_next_message",
        "    response = self.client.chat.completions.create(**request)",
        "openai.BadRequestError: Error code: 400 - {'object': 'error', 'message': \"This model's"
            + " maximum context length is 32768 tokens. However, you requested " + requested
            + " tokens. Please reduce the length of the messages or completion.\","
            + " 'type': 'BadRequestError', 'param': None, 'code': 400}");
    results.ended(agent.domain, agent.taskId, null);
    endTask(agent, now);
  }

  private void expertError(Agent agent, long now) throws IOException {
    for (int attempt = 1; attempt < 5; attempt++) {
      logs.loguru(now, "WARNING", "tau2.agent.orchestrator:call_expert:371", "Expert call to "
          + agent.expertModel + " failed (attempt " + attempt + "/5): Error code: 500; retrying");
    }
    logs.loguru(now, "ERROR", "tau2.agent.orchestrator:call_expert:388",
        "Expert LLM call failed permanently after 5 attempts: model=" + agent.expertModel
            + " task=" + agent.task);
    logs.plain(TRACEBACK,
        "  File \"/workspace/ToolOrchestra/evaluation/tau2-bench/tau2/agent/orchestrator.py\","
            + " line 371, in call_expert",
        "    resp = client.chat.completions.create(**kwargs)",
        "openai.InternalServerError: Error code: 500 - {'error': {'message': 'Internal Server"
            + " Error', 'type': 'InternalServerError', 'code': 500}}");
    results.ended(agent.domain, agent.taskId, null);
    endTask(agent, now);
  }

  private void complete(long last) throws IOException {
    long done = last + random.intBetween(2000, 8000);
    kv.advanceTo(done);
    logs.launcher(done, "Global evaluation complete: " + results.complete(done - launcherStart));
    long stop = done + random.intBetween(1000, 4000);
    kv.advanceTo(stop);
    kv.serverDownFrom(stop);
    logs.launcher(stop, "Stopping vLLM server and KV cache sampler");
    kv.advanceTo(stop + random.intBetween(15_000, 45_000));
  }

  /** The stuck calls never return: retries fail for one to three hours, then the run is killed. */
  private void stuckTail(long last) throws IOException {
    long kill = last + random.intBetween(3600, 3 * 3600) * 1000L;
    int attempt = 1;
    for (long now = last + random.intBetween(20_000, 90_000); now < kill;
        now += random.intBetween(20_000, 90_000)) {
      kv.advanceTo(now);
      logs.loguru(now, "ERROR", "tau2.agent.llm_agent:generate_next_message:143", "task="
          + stuckTasks.get(random.below(stuckTasks.size())) + " llm_call failed: context length"
          + " exceeded; retrying (attempt " + attempt++ + ")");
    }
    kv.advanceTo(kill);
    logs.launcher(kill, "Interrupted (SIGINT): stopping vLLM server and KV cache sampler");
    logs.plain(TRACEBACK,
        "  File \"/workspace/ToolOrchestra/evaluation/tau2-bench/run_oss.py\", line 512, in"
            + " <module>",
        "    main()",
        "KeyboardInterrupt");
    kv.serverDownFrom(kill + 2000);
    kv.advanceTo(kill + random.intBetween(6000, 20_000));
  }
}
