package dev.servelens.kstar;

import java.io.Serializable;

/** What the simulation of one model needs: its timing profile and its length distributions. */
record SimulationInputs(
    ServiceProfile profile, TokenHistogram outputLengths, TokenHistogram inputLengths)
    implements Serializable {}
