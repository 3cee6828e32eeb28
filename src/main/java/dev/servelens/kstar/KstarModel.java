package dev.servelens.kstar;

/**
 * Everything the analysis knows about one model before simulating it.
 *
 * @param name model id
 * @param profile the timing profile used
 * @param profileSource {@code fit} (from kstar_profiles) or {@code option} (from --profile)
 * @param fitName the kstar_profiles name whose fit is used (the model's own name, or the
 *     profile mapped to it with {@code --profile-for}); null when not fitted
 * @param p offline termination probability, 1 / mean output length
 * @param pSource {@code workload_requests} or {@code kstar_results} (no trace: reported p)
 * @param requests requests behind p (0 without a trace)
 * @param footprintMean mean input + output tokens per request (NaN without a trace)
 * @param footprintSd its population standard deviation (NaN without a trace)
 */
record KstarModel(
    String name,
    ServiceProfile profile,
    String profileSource,
    String fitName,
    double p,
    String pSource,
    long requests,
    double footprintMean,
    double footprintSd) {}
