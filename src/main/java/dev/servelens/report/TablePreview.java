package dev.servelens.report;

import java.util.List;

/**
 * The first rows of a table as text, for an HTML table; {@code truncated} says the source holds
 * more rows than shown.
 */
record TablePreview(List<String> columns, List<List<String>> rows, boolean truncated) {}
