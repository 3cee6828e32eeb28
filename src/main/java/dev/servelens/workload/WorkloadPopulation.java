package dev.servelens.workload;

/**
 * Who sends requests to which model. Users have Zipf-like popularity (exponent 1.1); models have
 * Zipf-like shares (exponent 1.5, so the top model carries about half of the traffic). Each user
 * sticks to a small preferred set of models: one for most users, a heavy-tailed number for some,
 * more for heavy users, so that "distinct models per user" is heavy-tailed.
 *
 * <p>Everything about a user is a pure function of (seed, user rank), so every partition sees the
 * same population; the per-user sets are built lazily and cached.
 */
final class WorkloadPopulation {

  private static final double USER_ZIPF_EXPONENT = 1.1;
  private static final double MODEL_ZIPF_EXPONENT = 1.5;

  /** Tail exponent of the number of extra models a user prefers. */
  private static final double EXTRA_MODELS_TAIL = 1.5;

  private static final long USER_STREAM = 0x55534552L;
  private static final long ID_STREAM = 0x49445331L;

  private final long seed;
  private final int users;
  private final int models;
  private final double[] userCumulative;
  private final double[] modelWeights;
  private final int[][] preferredModels;
  private final double[][] preferredCumulative;
  private final String[] userIds;
  private final long idMultiplier;
  private final long idOffset;
  private final int idWidth;

  WorkloadPopulation(long seed, int users, int models) {
    this.seed = seed;
    this.users = users;
    this.models = models;
    this.userCumulative = zipfCumulative(users, USER_ZIPF_EXPONENT);
    this.modelWeights = new double[models];
    for (int m = 0; m < models; m++) {
      modelWeights[m] = StrictMath.pow(m + 1.0, -MODEL_ZIPF_EXPONENT);
    }
    this.preferredModels = new int[users][];
    this.preferredCumulative = new double[users][];
    this.userIds = new String[users];
    WorkloadRandom idRandom = new WorkloadRandom(WorkloadRandom.seedFor(seed, ID_STREAM, 0));
    long multiplier = 7919 + idRandom.nextInt(100_000);
    while (gcd(multiplier, users) != 1) {
      multiplier++;
    }
    this.idMultiplier = multiplier;
    this.idOffset = idRandom.nextInt(users);
    this.idWidth = Math.max(6, Integer.toString(users - 1).length());
  }

  /** A user rank (0 = heaviest user) drawn by popularity. */
  int sampleUser(WorkloadRandom random) {
    return searchCumulative(userCumulative, random.nextUnit() * userCumulative[users - 1]);
  }

  /** A model index drawn from the user's preferred set, weighted by the models' shares. */
  int sampleModel(int user, WorkloadRandom random) {
    if (preferredModels[user] == null) {
      buildPreferredModels(user);
    }
    double[] cumulative = preferredCumulative[user];
    int pick = searchCumulative(cumulative, random.nextUnit() * cumulative[cumulative.length - 1]);
    return preferredModels[user][pick];
  }

  /** The user's id as written to {@code user_id}, e.g. {@code u000123}; ranks are scattered. */
  String userId(int user) {
    String id = userIds[user];
    if (id == null) {
      long number = Math.floorMod(user * idMultiplier + idOffset, (long) users);
      StringBuilder builder = new StringBuilder(idWidth + 1).append('u');
      String digits = Long.toString(number);
      for (int pad = digits.length(); pad < idWidth; pad++) {
        builder.append('0');
      }
      id = builder.append(digits).toString();
      userIds[user] = id;
    }
    return id;
  }

  private void buildPreferredModels(int user) {
    WorkloadRandom random = new WorkloadRandom(WorkloadRandom.seedFor(seed, USER_STREAM, user));
    double previous = user == 0 ? 0.0 : userCumulative[user - 1];
    double share = (userCumulative[user] - previous) / userCumulative[users - 1];
    double activity = share * users; // 1.0 = an average user
    double extra = StrictMath.pow(random.nextOpenUnit(), -1.0 / EXTRA_MODELS_TAIL) - 1.0;
    double boost = activity > 1.0 ? StrictMath.log(activity) / StrictMath.log(2.0) : 0.0;
    int size = (int) Math.min(models, 1.0 + Math.floor(extra) + Math.floor(boost));

    int[] chosen = new int[size];
    double[] cumulative = new double[size];
    boolean[] taken = new boolean[models];
    double running = 0.0;
    for (int i = 0; i < size; i++) {
      double free = 0.0;
      for (int m = 0; m < models; m++) {
        free += taken[m] ? 0.0 : modelWeights[m];
      }
      double target = random.nextUnit() * free;
      int pick = -1;
      for (int m = 0; m < models && pick < 0; m++) {
        if (!taken[m]) {
          target -= modelWeights[m];
          if (target < 0.0) {
            pick = m;
          }
        }
      }
      if (pick < 0) { // rounding left the target just above the free weight: take the last free
        for (int m = models - 1; m >= 0 && pick < 0; m--) {
          pick = taken[m] ? -1 : m;
        }
      }
      taken[pick] = true;
      chosen[i] = pick;
      running += modelWeights[pick];
      cumulative[i] = running;
    }
    preferredModels[user] = chosen;
    preferredCumulative[user] = cumulative;
  }

  private static double[] zipfCumulative(int count, double exponent) {
    double[] cumulative = new double[count];
    double running = 0.0;
    for (int i = 0; i < count; i++) {
      running += StrictMath.pow(i + 1.0, -exponent);
      cumulative[i] = running;
    }
    return cumulative;
  }

  /** The first index whose cumulative weight exceeds {@code target}. */
  private static int searchCumulative(double[] cumulative, double target) {
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (cumulative[middle] > target) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
