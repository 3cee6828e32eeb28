package dev.servelens.kstar;

import java.io.Serializable;

/**
 * What the simulation of one model needs: its timing profile, its length distributions and its
 * offline p (where the online k* policy starts).
 */
record SimulationInputs(
    ServiceProfile profile, TokenHistogram outputLengths, TokenHistogram inputLengths, double p)
    implements Serializable {}
